/**
 * Seats: who holds an account at each vendor, read from the accounts' users copies, keyed by
 * person the way usage is (usage-groups.ts): the primary (else first) e-mail, lower-cased, or
 * `<account>/<user id>` for a user without one. Each account's users also give the e-mail of
 * a user id, for usage records that name only the id.
 */
import type { AppDatabase } from '../../db/database'
import { resourceKey } from '../../models/model-registry'
import { usageMeteringUsers } from '../../models/usage-metering/users'
import type { SuperQueryFilters } from './filters'
import { accountUserKey } from './usage-groups'
import { scanStoredRecords } from './scan'

export interface Seat {
  integrated_account_id: string
  integration: string
  user_id: string
  name: string | null
  email: string | null
  status: string | null
  roles: string[]
  last_active_at: string | null
}

export interface SeatIndex {
  byPerson: Map<string, Seat[]>
  /** Per account: user id → person e-mail. */
  emailOfUser: Map<string, Map<string, string>>
}

const NO_FILTERS: SuperQueryFilters = { equals: [], ranges: [], sort: { field: 'id', direction: 'asc' }, fingerprint: '' }
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)

function primaryEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null
  const listed = emails.filter((e): e is { email: string; is_primary?: unknown } => !!e && typeof e === 'object' && !!text(e.email))
  return (listed.find((e) => e.is_primary === true) ?? listed[0])?.email.toLowerCase() ?? null
}

export async function loadSeats(db: AppDatabase, accounts: Array<{ id: string; integration: string }>): Promise<SeatIndex> {
  const index: SeatIndex = { byPerson: new Map(), emailOfUser: new Map() }
  const users = resourceKey(usageMeteringUsers)
  for (const account of accounts) {
    const emails = new Map<string, string>()
    index.emailOfUser.set(account.id, emails)
    for await (const user of scanStoredRecords(db, { accountId: account.id, resourceKey: users, filters: NO_FILTERS })) {
      const userId = String(user.id)
      const email = primaryEmail(user.emails)
      if (email) emails.set(userId, email)
      const roles = Array.isArray(user.roles)
        ? user.roles
            .map((r) => text((r as Record<string, unknown> | null)?.name) ?? text((r as Record<string, unknown> | null)?.id))
            .filter((r) => r !== null)
        : []
      const seat: Seat = {
        integrated_account_id: account.id,
        integration: account.integration,
        user_id: userId,
        name: text(user.name),
        email,
        status: text(user.status),
        roles,
        last_active_at: text(user.last_active_at),
      }
      const key = email ?? accountUserKey(account.id, userId)
      const list = index.byPerson.get(key)
      if (list) list.push(seat)
      else index.byPerson.set(key, [seat])
    }
  }
  return index
}
