/**
 * The Limitly account the simulator serves: plans, users (one per index) and one end-user API key
 * per user. Every record is computed from (seed, index), so a million users cost nothing until a
 * page of them is asked for, and ids decode back to their index for O(1) lookups.
 */
import { fakePerson, fakeUuid, hash32 } from '../../../src/sandbox/simulator-kit'
import { isoSeconds, type RequestPeriod } from './time'

export interface LimitlyPlan {
  id: string
  owner_id: string
  name: string
  description: string
  max_requests: number
  request_period: RequestPeriod
  is_active: boolean
  created_at: string
  updated_at: string
}

/** The SDK `User` type: `email`, `custom_start` and `plan` are optional and really are left out on some users. */
export interface LimitlyUser {
  user_id: number
  name: string
  email?: string
  is_disabled: boolean
  created_at: string
  updated_at: string
  custom_start?: string
  plan?: LimitlyPlan
}

/** A key as listed: `api_key` itself is only ever shown on create/regenerate, so it is not here. */
export interface LimitlyKey {
  id: string
  name: string
  user_id: number
  plan_id?: string
  status: 'active' | 'inactive'
  created_at: string
  updated_at: string
  last_used_at?: string
}

/** Serial integer ids, as a Postgres identity column would hand out. */
export const FIRST_USER_ID = 1001

const DAY = 86_400_000
/** Users were created over this window, oldest first, so listing order is creation order. */
const FIRST_CREATED = Date.UTC(2024, 0, 2, 9, 0, 0)
const CREATION_WINDOW = 540 * DAY
const PLAN_CREATED = Date.UTC(2023, 11, 18, 10, 30, 0)

const PLAN_DEFS: ReadonlyArray<Omit<LimitlyPlan, 'id' | 'owner_id' | 'created_at' | 'updated_at'>> = [
  { name: 'Free', description: 'Free tier for evaluation', max_requests: 1_000, request_period: 'day', is_active: true },
  { name: 'Basic Plan', description: 'Plan for basic users', max_requests: 10_000, request_period: 'month', is_active: true },
  {
    name: 'Pro Plan',
    description: 'Professional plan with higher limits',
    max_requests: 100_000,
    request_period: 'month',
    is_active: true,
  },
  { name: 'Team Weekly', description: 'Weekly quota for shared team keys', max_requests: 25_000, request_period: 'week', is_active: true },
  { name: 'Enterprise', description: 'Annual commitment', max_requests: 5_000_000, request_period: 'year', is_active: true },
  { name: 'Legacy Starter', description: 'Retired; kept for existing users', max_requests: 500, request_period: 'day', is_active: false },
]

const KEY_NAMES = ['Production API Key', 'Staging key', 'CI runner', 'Local development', 'Batch jobs']

function hex32(seed: number, index: number): string {
  return fakeUuid(seed, index).replace(/-/g, '')
}

/** The account owner's key (`lk_` + 32 chars). Independent of the seed so scripts can hard-code it. */
export function defaultOwnerKey(): string {
  return `lk_${hex32(0x1a11, 0)}`
}

export class LimitlyData {
  readonly plans: LimitlyPlan[]
  private readonly plansById: Map<string, LimitlyPlan>

  constructor(
    readonly seed: number,
    readonly userCount: number,
  ) {
    const ownerId = fakeUuid(seed, 0x0ace)
    this.plans = PLAN_DEFS.map((def, i) => ({
      id: `plan_${hex32(seed ^ 0x91a7, i).slice(0, 16)}`,
      owner_id: ownerId,
      ...def,
      created_at: isoSeconds(PLAN_CREATED + i * 3 * DAY),
      updated_at: isoSeconds(PLAN_CREATED + i * 3 * DAY + (hash32(seed, i) % (90 * DAY))),
    }))
    this.plansById = new Map(this.plans.map((p) => [p.id, p]))
  }

  plan(id: string): LimitlyPlan | undefined {
    return this.plansById.get(id)
  }

  // ---- users -------------------------------------------------------------------------------

  /** Spacing between creations: wide for small accounts, seconds apart for a million users. */
  private get step(): number {
    return Math.max(1_000, Math.min(6 * 3_600_000, Math.floor(CREATION_WINDOW / Math.max(1, this.userCount))))
  }

  private createdAt(index: number): number {
    return FIRST_CREATED + index * this.step + (hash32(this.seed ^ 0xc4ea, index) % Math.floor(this.step / 2))
  }

  /** The plan of a user, or undefined for the one in six who has none (an unlimited user). */
  private planIndex(index: number): number | undefined {
    const h = hash32(this.seed ^ 0x71a4, index)
    if (h % 6 === 0) return undefined
    // Weighted towards the cheap plans, like a real customer base; the retired plan stays rare.
    const weights = [30, 30, 20, 8, 4, 2]
    let pick = (h >>> 8) % weights.reduce((a, b) => a + b, 0)
    for (let i = 0; i < weights.length; i++) {
      if (pick < weights[i]) return i
      pick -= weights[i]
    }
    return 0
  }

  indexOfUserId(userId: number): number | undefined {
    const index = userId - FIRST_USER_ID
    return Number.isInteger(index) && index >= 0 && index < this.userCount ? index : undefined
  }

  /** The user whose address is `email`; emails embed the index (`ada.lovelace.17@…`), so no scan. */
  indexOfEmail(email: string): number | undefined {
    const m = /\.(\d+)@/.exec(email)
    if (!m) return undefined
    const index = Number(m[1])
    if (index >= this.userCount) return undefined
    return this.user(index).email?.toLowerCase() === email.toLowerCase() ? index : undefined
  }

  user(index: number): LimitlyUser {
    const h = hash32(this.seed ^ 0x05e7, index)
    const person = fakePerson(this.seed, index, 'example.com')
    const created = this.createdAt(index)
    const updated = created + (h % (45 * DAY))
    const planIndex = this.planIndex(index)
    const user: LimitlyUser = {
      user_id: FIRST_USER_ID + index,
      name: person.name,
      // The SDK types email as optional: some users were created with a name only.
      ...(h % 7 === 3 ? {} : { email: person.email }),
      is_disabled: (h >>> 4) % 10 === 0,
      created_at: isoSeconds(created),
      updated_at: isoSeconds(updated),
    }
    if ((h >>> 9) % 5 === 0) user.custom_start = isoSeconds(Math.floor(created / DAY) * DAY + 7 * DAY)
    if (planIndex !== undefined) user.plan = this.plans[planIndex]
    return user
  }

  /** Users [from, to) in listing order (user_id ascending). */
  users(from: number, to: number): LimitlyUser[] {
    const out: LimitlyUser[] = []
    for (let i = Math.max(0, from); i < Math.min(to, this.userCount); i++) out.push(this.user(i))
    return out
  }

  // ---- keys (one per user, same index) -------------------------------------------------------

  keyId(index: number): string {
    // 8 hex digits of index keep the id decodable; the rest is noise so ids look like the vendor's.
    return `key_${index.toString(16).padStart(8, '0')}${hex32(this.seed ^ 0x4e7, index).slice(0, 8)}`
  }

  indexOfKeyId(id: string): number | undefined {
    const m = /^key_([0-9a-f]{8})[0-9a-f]{8}$/.exec(id)
    if (!m) return undefined
    const index = parseInt(m[1], 16)
    return index < this.userCount && this.keyId(index) === id ? index : undefined
  }

  key(index: number): LimitlyKey {
    const user = this.user(index)
    const h = hash32(this.seed ^ 0x6b3, index)
    const created = Date.parse(user.created_at) + (h % DAY)
    const key: LimitlyKey = {
      id: this.keyId(index),
      name: KEY_NAMES[h % KEY_NAMES.length],
      user_id: user.user_id,
      ...(user.plan ? { plan_id: user.plan.id } : {}),
      status: user.is_disabled ? 'inactive' : 'active',
      created_at: isoSeconds(created),
      updated_at: isoSeconds(created + ((h >>> 5) % (30 * DAY))),
    }
    if ((h >>> 11) % 4 !== 0) key.last_used_at = isoSeconds(created + ((h >>> 3) % (200 * DAY)))
    return key
  }

  keys(from: number, to: number): LimitlyKey[] {
    const out: LimitlyKey[] = []
    for (let i = Math.max(0, from); i < Math.min(to, this.userCount); i++) out.push(this.key(i))
    return out
  }

  /** The secret end-user key (`lk_user_` + 32 hex) behind key `index`, as `POST /validate` expects it. */
  endUserApiKey(index: number): string {
    return `lk_user_${index.toString(16).padStart(8, '0')}${hex32(this.seed ^ 0x5ec, index).slice(0, 24)}`
  }

  indexOfEndUserApiKey(apiKey: string): number | undefined {
    const m = /^lk_user_([0-9a-f]{8})[0-9a-f]{24}$/.exec(apiKey)
    if (!m) return undefined
    const index = parseInt(m[1], 16)
    return index < this.userCount && this.endUserApiKey(index) === apiKey ? index : undefined
  }

  /**
   * Requests already counted in the current period for user/key `index` before the simulator
   * started. Plan users sit between 0 and their limit; one in fifteen has exhausted it, so
   * `/validate` denials can be exercised.
   */
  baseUsage(index: number): number {
    const h = hash32(this.seed ^ 0x05a6e, index)
    const planIndex = this.planIndex(index)
    if (planIndex === undefined) return h % 5_000
    const limit = this.plans[planIndex].max_requests
    if (h % 15 === 0) return limit
    return Math.floor(((h >>> 4) / 0x10000000) * limit * 0.9)
  }
}
