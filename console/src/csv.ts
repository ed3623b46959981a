import { type Cell,toCsv } from '../../shared/console/csv';

/** Saves what a link points at as a file (a CSV made here, or a server export's short-lived link). */
export function download(href: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Downloads a table the panel shows as CSV (the same writer and columns as the server's exports). */
export function downloadCsv(fileName: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const href = URL.createObjectURL(new Blob([toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' }));
  download(href, fileName);
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
