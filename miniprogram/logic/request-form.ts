import type { RequestType } from '../../shared/requests/catalogue';

/**
 * The request form is generated from the catalogue: one control per field of the chosen type,
 * in its order, with its choices. Required fields are checked before sending (the server checks
 * again and its messages land under the same fields).
 */
export interface FormControl {
  code: string;
  label: string;
  kind: 'input' | 'textarea' | 'number' | 'date' | 'picker' | 'checkboxes' | 'switch';
  required: boolean;
  options: { key: string; name: string }[];
}

const kinds = {
  string: 'input',
  text: 'textarea',
  number: 'number',
  datetime: 'date',
  singlevaluelist: 'picker',
  multivaluelist: 'checkboxes',
  boolean: 'switch',
} as const;

export function formFor(type: RequestType): FormControl[] {
  return [...type.fields]
    .sort((a, b) => a.order - b.order)
    .map((f) => ({ code: f.code, label: f.label, kind: kinds[f.datatype], required: f.required, options: f.choices ?? [] }));
}

/** Missing required answers, as field -> message (shown before anything is sent). */
export function missingAnswers(controls: FormControl[], values: Record<string, unknown>, description: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (description.trim().length < 5) out.description = '请简单描述一下情况（至少 5 个字）';
  for (const c of controls) {
    const v = values[c.code];
    if (c.required && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0))) out[c.code] = `请填写「${c.label}」`;
  }
  return out;
}

/** The submission body: values in the types the server expects. */
export function submission(type: RequestType, values: Record<string, unknown>, description: string) {
  const fields: Record<string, unknown> = {};
  for (const f of type.fields) {
    const v = values[f.code];
    if (v === undefined || v === '') continue;
    fields[f.code] = f.datatype === 'number' ? Number(v) : f.datatype === 'datetime' ? new Date(`${String(v)}T00:00:00+08:00`).toISOString().replace('.000Z', 'Z') : v;
  }
  return { typeCode: type.code, description: description.trim(), fields };
}
