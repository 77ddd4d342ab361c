/**
 * The people view (group_by user alone): one row per person with their seats beside their usage.
 * A seat holder without usage in the filters' range is a row too, with zero totals — who holds a
 * seat and does not use it is half of what an adoption dashboard asks. An e-mail filter limits
 * the seat holders as it limits the usage.
 */
import { Measures } from './usage-measures'
import type { SeatIndex } from './seats'
import type { GroupRow } from './usage-aggregate'

export function peopleRows(
  groups: Map<string, GroupRow>,
  seats: SeatIndex,
  options: { emails?: string[]; byAccount: boolean },
): Map<string, GroupRow> {
  const rows = new Map(groups)
  for (const row of rows.values()) row.seats = seats.byPerson.get(row.id) ?? []
  const wanted = options.emails ? new Set(options.emails) : undefined
  for (const [key, held] of seats.byPerson) {
    if (rows.has(key)) continue
    const email = held[0].email
    if (wanted && (!email || !wanted.has(email))) continue
    const ids = new Set(held.map((s) => s.user_id))
    const row = {
      id: key,
      user: { id: ids.size === 1 ? held[0].user_id : null, email, name: held.find((s) => s.name)?.name ?? null },
      ...new Measures().totals(),
    } as GroupRow
    if (options.byAccount) row.by_account = []
    row.seats = held
    rows.set(key, row)
  }
  // A person with usage but whose records carry no name takes it from a seat.
  for (const row of rows.values()) {
    const user = row.user as { name: string | null } | null
    if (user && user.name === null) user.name = row.seats?.find((s) => s.name)?.name ?? null
  }
  return rows
}
