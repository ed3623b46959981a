/**
 * An UpdateExpression from plain fields: every attribute name and value gets its own placeholder
 * (so reserved words such as `status` or `name` need no care), SET / ADD / REMOVE in one string.
 * `expressions` are SET clauses written by hand (e.g. `#version = #version + :one`) whose
 * placeholders the caller supplies in `names` / `values`, as for its condition.
 */
export interface UpdateParts {
  set?: Record<string, unknown>;
  add?: Record<string, number>;
  remove?: readonly string[];
  expressions?: readonly string[];
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface BuiltUpdate {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export function buildUpdate(p: UpdateParts): BuiltUpdate {
  const names: Record<string, string> = { ...p.names };
  const values: Record<string, unknown> = { ...p.values };
  const sets = Object.entries(p.set ?? {}).map(([k, v], i) => {
    names[`#u${i}`] = k;
    values[`:u${i}`] = v;
    return `#u${i} = :u${i}`;
  });
  const adds = Object.entries(p.add ?? {}).map(([k, n], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = n;
    return `#a${i} :a${i}`;
  });
  const removes = (p.remove ?? []).map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  const allSets = [...sets, ...(p.expressions ?? [])];
  const clauses = [allSets.length ? `SET ${allSets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean);
  if (!clauses.length) throw new Error('buildUpdate: nothing to update');
  return { UpdateExpression: clauses.join(' '), ExpressionAttributeNames: names, ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}) };
}
