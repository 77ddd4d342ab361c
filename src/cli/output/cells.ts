/** One value as the text of a table or CSV cell: scalars as they are, structures as compact JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/** Every key of the records, in the order they first appear (records may omit unknown fields). */
export function columnsOf(records: Record<string, unknown>[]): string[] {
  const seen = new Set<string>()
  for (const r of records) for (const k of Object.keys(r)) seen.add(k)
  return [...seen]
}
