/**
 * Keyset pagination on (sort key, id), as in drizzle's cursor-pagination guide: the rows
 * strictly after the last one served, in the list's order — `(key > k) or (key = k and id > i)`
 * ascending, mirrored descending. Unlike an offset, it neither repeats nor skips rows when
 * rows are added or removed between pages.
 */
import { and, eq, gt, lt, or, type SQL, type SQLWrapper } from 'drizzle-orm'

export function afterKeyset(direction: 'asc' | 'desc', key: SQLWrapper, id: SQLWrapper, last: { key: string; id: string }): SQL {
  const beyond = direction === 'asc' ? gt : lt
  return or(beyond(key, last.key), and(eq(key, last.key), beyond(id, last.id))) as SQL
}
