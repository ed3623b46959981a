import { XMLBuilder } from 'fast-xml-parser';

import { type AppError, BadRequestError, toErrorBody } from '../errors';

/**
 * Open311 GeoReport v2 on the wire (https://wiki.open311.org/GeoReport_v2): every document in
 * JSON or XML, chosen by the path's suffix (`services.json`, `requests/ABC.xml`); requests are
 * posted form-encoded with `attribute[CODE]` and `attribute[CODE][]` fields; errors are a list of
 * `{code, description}`. The route table's pipeline calls `parseBody` and `renderError` of the
 * routes that declare this wire; their handlers answer with `render`.
 */
export type Open311Format = 'json' | 'xml';

/** A document: its XML root, the element of each item (lists) and the value. */
export interface Open311Document {
  root: string;
  item?: string;
  value: unknown;
}

/** `services.json` -> { name: 'services', format: 'json' }; null when the suffix is neither. */
export function splitDocument(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Open311Format } : null;
}

const xml = new XMLBuilder({ format: false, suppressEmptyNode: true });

/** XML of a value: arrays of scalars become repeated elements named by `listItem`. */
function toXmlTree(value: unknown, listItem: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => toXmlTree(v, listItem));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => (Array.isArray(v) ? [k, { [listItem(k)]: toXmlTree(v, listItem) }] : [k, v === null ? '' : toXmlTree(v, listItem)])),
    );
  }
  return value;
}

/** Nested lists in the documents: `attributes` of `attribute`, `values` of `value`, and so on. */
const itemOf = (key: string) => ({ attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format', keywords: 'keyword' })[key] ?? key.replace(/s$/, '');

export function render(doc: Open311Document, format: Open311Format): { contentType: string; body: string } {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(doc.value) };
  const tree = doc.item ? { [doc.root]: { [doc.item]: toXmlTree(doc.value, itemOf) } } : { [doc.root]: toXmlTree(doc.value, itemOf) };
  return { contentType: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="utf-8"?>${xml.build(tree) as string}` };
}

/**
 * A form-encoded body as an object: repeated fields and `name[]` fields become lists, and
 * `attribute[CODE]` / `attribute[CODE][]` are gathered under `attribute`.
 */
export function parseForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attribute: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const attr = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (attr) {
      const [, code, many] = attr as unknown as [string, string, string | undefined];
      const before = attribute[code];
      attribute[code] = many ? [...(Array.isArray(before) ? before : before !== undefined ? [before] : []), value] : value;
      continue;
    }
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    const before = out[name];
    out[name] = key.endsWith('[]') ? [...(Array.isArray(before) ? before : []), value] : value;
  }
  if (Object.keys(attribute).length) out.attribute = attribute;
  return out;
}

/** What the pipeline reads a POST body with: form-encoded, as the specification says. */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw new BadRequestError('UNSUPPORTED_MEDIA_TYPE', '请以 application/x-www-form-urlencoded 提交', [{ field: 'headers.content-type', reason: 'unsupported', message: contentType || '(none)' }]);
  }
  return parseForm(raw);
}

/** The format a request asked for: the suffix of the path's last segment (JSON when it has none). */
export function formatOfPath(path: string): Open311Format {
  return path.endsWith('.xml') ? 'xml' : 'json';
}

/** Errors as the specification has them: `[{code, description}]`, 400 / 403 / 404 (a 5xx stays one). */
export function renderError(err: AppError, path: string): { statusCode: number; headers: Record<string, string>; body: string } {
  const body = toErrorBody(err).error;
  const code = err.status === 401 ? 403 : err.status;
  const fields = body.details.map((d) => `${d.field}: ${d.message}`).join('; ');
  const out = render({ root: 'errors', item: 'error', value: [{ code, description: fields ? `${body.message} (${fields})` : body.message }] }, formatOfPath(path));
  return { statusCode: code, headers: { 'content-type': out.contentType, 'cache-control': 'no-store' }, body: out.body };
}

export const open311Wire = { parseBody, renderError };
