import { toCsv, type Cell } from '../../shared/console/csv';

/** Downloads a table the panel shows as CSV (the same writer and columns as the server's exports). */
export function downloadCsv(fileName: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const blob = new Blob([toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
