/** Key and index attributes of a stored item, which no domain object carries. */
const storageAttributes = new Set(['pk', 'sk', 'ownerPk', 'ownerSk', 'scopePk', 'scopeSk', 'feedPk', 'feedSk', 'lookupPk', 'lookupSk', 'type']);

/** The domain object of a stored item: the item without its keys, index keys and entity type. */
export function fromItem<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !storageAttributes.has(k))) as T;
}
