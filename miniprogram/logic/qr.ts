import qrcode from 'qrcode-generator';

/**
 * The check-in code as a QR matrix the lead's phone draws with plain views (no canvas): rows of
 * cells, true = dark. Medium error correction survives a cracked screen or glare.
 */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}
