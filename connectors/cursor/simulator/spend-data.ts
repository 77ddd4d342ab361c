/**
 * Per-member spend for the current billing cycle, and the orders `POST /teams/spend` can sort
 * by. Orders over the whole team are computed once, lazily, as index arrays: a million members
 * cost 4 MB per sort key instead of a million objects.
 */
import { hash32, mulberry32 } from '../../../src/sandbox/simulator-kit'
import type { CursorShape, Team, TeamMember } from './team'

export interface MemberSpend {
  /** Numeric, or the encoded `user_…` id some accounts send (variant `ids: 'string'`). */
  userId: number | string
  spendCents: number
  fastPremiumRequests: number
  name: string
  email: string
  role: string
  hardLimitOverrideDollars: number
  monthlyLimitDollars: number | null
  /**
   * The limit Cursor enforces. Real rows show it equal to the monthly limit when both that and a
   * larger override are set (30 with an override of 200), and the override alone otherwise.
   */
  effectivePerUserLimitDollars: number | null
}

export type SpendSortBy = 'amount' | 'date' | 'user'

const OVERRIDES = [50, 100, 200, 500]
const MONTHLY = [100, 150, 250, 500]

/** Cents spent this cycle; about one member in eight has spent nothing. */
export function spendCents(team: Team, index: number): number {
  const next = mulberry32(hash32(team.seed ^ 0x5e5d, index))
  if (next() < 0.125) return 0
  return Math.floor(next() * next() * 60_000) + 1
}

/**
 * Limits follow the member index so every kind shows up in a small team: one in four has a
 * hard-limit override (and a monthly limit), one in four only a monthly limit, the rest none.
 */
function limits(team: Team, index: number): Pick<MemberSpend, 'hardLimitOverrideDollars' | 'monthlyLimitDollars'> {
  const h = hash32(team.seed ^ 0x11a1, index)
  switch (index % 4) {
    case 0:
      return { hardLimitOverrideDollars: OVERRIDES[h % OVERRIDES.length], monthlyLimitDollars: MONTHLY[(h >>> 8) % MONTHLY.length] }
    case 1:
      return { hardLimitOverrideDollars: 0, monthlyLimitDollars: MONTHLY[(h >>> 8) % MONTHLY.length] }
    default:
      return { hardLimitOverrideDollars: 0, monthlyLimitDollars: null }
  }
}

export function memberSpend(team: Team, member: TeamMember, ids: CursorShape['ids'] = 'numeric'): MemberSpend {
  const cents = spendCents(team, member.index)
  const premium = cents === 0 ? 0 : Math.floor(cents / 2) + (hash32(team.seed ^ 0xfa57, member.index) % 200)
  const limit = limits(team, member.index)
  return {
    userId: ids === 'string' ? team.encodedId(member.index) : member.id,
    spendCents: cents,
    fastPremiumRequests: premium,
    name: member.name,
    email: member.email,
    role: member.role,
    ...limit,
    effectivePerUserLimitDollars: limit.monthlyLimitDollars ?? (limit.hardLimitOverrideDollars > 0 ? limit.hardLimitOverrideDollars : null),
  }
}

/**
 * The day of the month the team's billing cycle renews (1-28, from the seed), and the latest
 * renewal at or before `now`, at UTC midnight, in epoch ms.
 */
export function subscriptionCycleStart(seed: number, now = Date.now()): number {
  const day = 1 + (hash32(seed, -2) % 28)
  const today = new Date(now)
  let year = today.getUTCFullYear()
  let month = today.getUTCMonth()
  if (today.getUTCDate() < day) {
    month -= 1
    if (month < 0) {
      month = 11
      year -= 1
    }
  }
  return Date.UTC(year, month, day)
}

/** Ascending orders over the members still on the team, computed on first use. */
export class SpendOrders {
  private readonly cache = new Map<SpendSortBy, Uint32Array>()

  constructor(private readonly team: Team) {}

  ascending(sortBy: SpendSortBy): Uint32Array {
    let order = this.cache.get(sortBy)
    if (!order) {
      order = this.build(sortBy)
      this.cache.set(sortBy, order)
    }
    return order
  }

  private build(sortBy: SpendSortBy): Uint32Array {
    const { team } = this
    const order = new Uint32Array(team.activeCount)
    let n = 0
    for (let i = 0; i < team.size; i++) if (!team.isRemoved(i)) order[n++] = i
    // `date` is the order members joined in, which is index order already.
    if (sortBy === 'amount') {
      const keys = new Float64Array(team.size)
      for (const i of order) keys[i] = spendCents(team, i)
      order.sort((a, b) => keys[a] - keys[b] || a - b)
    } else if (sortBy === 'user') {
      const names: string[] = new Array(team.size)
      for (const i of order) names[i] = team.member(i).name.toLowerCase()
      order.sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b))
    }
    return order
  }
}
