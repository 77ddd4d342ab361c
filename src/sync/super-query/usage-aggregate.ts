/**
 * Usage records summed into groups: one row per distinct combination of the group_by
 * dimensions, with the totals of its records (usage-measures.ts). Across several accounts (a
 * tenant) each row also says how much of it came from each account and vendor (`by_account`).
 */
import type { Seat } from './seats'
import { Measures, type MeasureTotals } from './usage-measures'
import { contributions, groupId, type GroupDimension, type GroupPart } from './usage-groups'

export interface UsageSource {
  accountId: string
  /** The vendor, e.g. `claude`. */
  integration: string
  records: AsyncIterable<Record<string, unknown>>
  /** E-mails of the account's users by user id (its users copy), for records that give only an id. */
  emailOfUser?: ReadonlyMap<string, string>
}

export interface AccountTotals extends MeasureTotals {
  integrated_account_id: string
  integration: string
}

export interface GroupRow extends MeasureTotals {
  [dimension: string]: unknown
  id: string
  by_account?: AccountTotals[]
  /** The people view only (people.ts). */
  seats?: Seat[]
}

interface GroupState {
  parts: GroupPart[]
  total: Measures
  byAccount: Map<string, { integration: string; measures: Measures }>
  /** Every user id seen: a person keeps an id only where all their records agree on it. */
  userIds: Set<string | null>
}

type ShownUser = { id: string | null; email: string | null; name: string | null }

/** A person's name or id may be missing from some of their records: the first one given stands. */
function mergeShownUser(into: GroupPart, from: GroupPart): void {
  const a = into.shown as ShownUser | null
  const b = from.shown as ShownUser | null
  if (!a || !b) return
  a.name ??= b.name
  a.id ??= b.id
}

export async function aggregateUsage(
  sources: UsageSource[],
  dims: GroupDimension[],
  options: { byAccount: boolean },
): Promise<Map<string, GroupRow>> {
  const groups = new Map<string, GroupState>()
  const userIndex = dims.indexOf('user')
  for (const source of sources) {
    for await (const record of source.records) {
      for (const { parts, slice } of contributions(record, dims, source)) {
        const id = groupId(parts)
        let group = groups.get(id)
        if (!group) {
          group = { parts, total: new Measures(), byAccount: new Map(), userIds: new Set() }
          groups.set(id, group)
        } else if (userIndex >= 0) mergeShownUser(group.parts[userIndex], parts[userIndex])
        if (userIndex >= 0) group.userIds.add((parts[userIndex].shown as ShownUser | null)?.id ?? null)
        group.total.add(record, slice)
        if (!options.byAccount) continue
        let part = group.byAccount.get(source.accountId)
        if (!part) {
          part = { integration: source.integration, measures: new Measures() }
          group.byAccount.set(source.accountId, part)
        }
        part.measures.add(record, slice)
      }
    }
  }
  const rows = new Map<string, GroupRow>()
  for (const [id, group] of groups) {
    const row = { id } as GroupRow
    dims.forEach((dim, i) => {
      const shown = group.parts[i].shown
      // Across vendors one person has several ids; those stay on by_account and seats.
      row[dim] = dim === 'user' && shown && group.userIds.size > 1 ? { ...(shown as ShownUser), id: null } : shown
    })
    Object.assign(row, group.total.totals())
    if (options.byAccount) {
      row.by_account = [...group.byAccount.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([accountId, part]) => ({ integrated_account_id: accountId, integration: part.integration, ...part.measures.totals() }))
    }
    rows.set(id, row)
  }
  return rows
}
