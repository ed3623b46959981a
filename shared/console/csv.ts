/**
 * A table as CSV that Excel opens correctly: UTF-8 with a byte-order mark (without it Excel reads
 * Chinese as GBK and shows garbage), CRLF line ends, fields quoted where needed, and cells that
 * look like formulas neutralised (CSV injection). One implementation for the console's in-browser
 * exports and the server's large exports (no imports: both bundle it).
 */
export type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return '\ufeff' + [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
