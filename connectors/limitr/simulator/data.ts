/**
 * The customers of a Limitr Cloud account (reference §6.2): users and the orgs they belong to,
 * with plans, alt ids (Stripe customer ids, API-key ids), meters, overrides, grants, spend caps
 * and metadata, all derived from the seed. Customer records carry no timestamps or emails of
 * their own; a user's email lives in `metadata`, as an app would put it there.
 */
import { base58Noise, fakePerson, hash32 } from '../../../src/sandbox/simulator-kit'

export interface LimitrMeter {
  credit: string
  value: number
  /** When the meter next resets (ms), or null for meters that never do. */
  reset: number | null
}

export interface LimitrLimit {
  credit: string
  mode: 'hard' | 'soft' | 'observe'
  value: number
  resets: boolean
  reset_inc: number | null
  expires: number | null
}

export interface LimitrGrant {
  id: string
  credit: string
  granted_on: number
  starting_value: number
  value: number
  resets: boolean
  reset_inc: number
  expires_on: number | null
}

/** Fields as in `src/spec/cap.stof`. */
export interface LimitrCap {
  id: string
  credit: string
  exchangeable: boolean
  ignore_grants: boolean
  overage_only: boolean
  follow_decrements: boolean
  observe_only: boolean
  overhead_cost: boolean
  /** A number, or a Stof number string ('25', '25usd'). */
  value: number | string
  hard_trailing: boolean
  /** Applies to the customers whose refs lead here too (an org's budget for its users). */
  shared: boolean
  /** Caller types a shared cap applies to; null = every referencing customer. */
  shared_with: string[] | null
  scope: string[] | null
  created_on: number
  meter_value: number
  started: number | null
  resets: boolean
  reset_inc: number | null
  reset_sch: string | null
  last_reset: number | null
  expires_on: number | null
}

export interface LimitrCustomer {
  id: string
  plan: string
  alt_ids: string[]
  refs: string[]
  type: 'user' | 'org'
  label: string
  meters: Record<string, LimitrMeter>
  overrides: Record<string, LimitrLimit>
  grants: Record<string, LimitrGrant>
  caps: Record<string, LimitrCap>
  metadata: Record<string, unknown> | null
}

const DAY = 86_400_000
/** The moment the seeded state describes; fixed so records never change between runs. */
export const SEEDED_AT = Date.UTC(2025, 5, 14, 12, 0, 0)
const PERIOD_START = Date.UTC(2025, 5, 1)
const NEXT_PERIOD = Date.UTC(2025, 6, 1)

const COMPANIES = [
  'Northwind Traders',
  'Contoso',
  'Fabrikam',
  'Tailspin Toys',
  'Wide World Importers',
  'Adventure Works',
  'Litware',
  'Proseware',
  'Lucerne Publishing',
  'Coho Winery',
  'Alpine Ski House',
  'Blue Yonder Airlines',
  'Fourth Coffee',
  'Humongous Insurance',
  'Trey Research',
  'VanArsdel',
  'Woodgrove Bank',
  'Wingtip Toys',
  'Relecloud',
  'Bellows College',
]

const USER_PLANS = ['free', 'starter', 'pro']
const ORG_PLANS = ['team', 'enterprise']
/** Credits a connector may read as a monetary spend cap: runes (1 rune = 1 USD) and currencies. */
export const CURRENCY_CREDITS = ['rune', 'usd', 'eur']

function cap(id: string, credit: string, value: number | string, meterValue: number, extra: Partial<LimitrCap> = {}): LimitrCap {
  return {
    id,
    credit,
    exchangeable: true,
    ignore_grants: false,
    overage_only: false,
    follow_decrements: false,
    observe_only: false,
    overhead_cost: false,
    value,
    hard_trailing: false,
    shared: false,
    shared_with: null,
    scope: null,
    created_on: SEEDED_AT - 40 * DAY,
    meter_value: meterValue,
    started: PERIOD_START,
    resets: true,
    reset_inc: null,
    reset_sch: 'monthly:1',
    last_reset: PERIOD_START,
    expires_on: null,
    ...extra,
  }
}

/** Every 5th customer (index 0, 5, 10…) is an org, so 25 customers hold 5 orgs. */
export function isOrgIndex(index: number): boolean {
  return index % 5 === 0
}

export class LimitrAccount {
  readonly customers: LimitrCustomer[]
  private readonly byId = new Map<string, LimitrCustomer>()
  private readonly byAlt = new Map<string, LimitrCustomer>()

  constructor(
    readonly seed: number,
    readonly count: number,
  ) {
    const orgIndexes = Array.from({ length: count }, (_, i) => i).filter(isOrgIndex)
    const customers = Array.from({ length: count }, (_, i) => (isOrgIndex(i) ? this.org(i) : this.user(i, orgIndexes)))
    // Seats follow membership, so an org's seat meter agrees with the users that reference it.
    for (const org of customers.filter((c) => c.type === 'org')) {
      org.meters.seats.value = customers.filter((c) => c.refs.includes(org.id)).length
    }
    this.customers = customers
    for (const c of customers) {
      this.byId.set(c.id, c)
      for (const alt of c.alt_ids) this.byAlt.set(alt, c)
    }
  }

  /** Lookup by primary id or by any alt id, as the cloud resolves `{"type":"customer","id"}`. */
  find(idOrAlt: string): LimitrCustomer | undefined {
    return this.byId.get(idOrAlt) ?? this.byAlt.get(idOrAlt)
  }

  /** What the SDK's `customers()` returns: one record keyed by customer id. */
  snapshotMap(): Record<string, LimitrCustomer> {
    return Object.fromEntries(this.customers.map((c) => [c.id, c]))
  }

  private customerId(prefix: string, index: number): string {
    // The index in front keeps ids unique however the noise falls.
    return `${prefix}_${index.toString(36)}${base58Noise(this.seed ^ 0x1d, index, 10)}`
  }

  private stripeId(index: number): string {
    return `cus_${base58Noise(this.seed ^ 0x57e, index, 14)}`
  }

  private org(index: number): LimitrCustomer {
    const h = hash32(this.seed ^ 0x0e6, index)
    const ordinal = index / 5
    const base = COMPANIES[(h + ordinal) % COMPANIES.length]
    const label = ordinal < COMPANIES.length ? base : `${base} ${Math.floor(ordinal / COMPANIES.length) + 1}`
    const domain = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`
    const plan = ORG_PLANS[h % ORG_PLANS.length]
    const caps: Record<string, LimitrCap> = {}
    if ((h >>> 3) % 2 === 0) {
      // Half the budgets are shared: they cap the org's users too (for users only, in some).
      const budget = plan === 'enterprise' ? 5000 : 1000
      const shared = (h >>> 11) % 2 === 0
      caps.org_budget = cap('org_budget', 'usd', budget, ((h >>> 1) % (budget * 100)) / 100, {
        shared,
        shared_with: shared && (h >>> 12) % 2 === 0 ? ['user'] : null,
      })
    }
    return {
      id: this.customerId('org', index),
      plan,
      alt_ids: [this.stripeId(index)],
      refs: [],
      type: 'org',
      label,
      meters: {
        seats: { credit: 'seat', value: 0, reset: null },
        ai_tokens: { credit: 'token', value: (h >>> 5) % 20_000_000, reset: NEXT_PERIOD },
      },
      overrides: {},
      grants: {},
      caps,
      metadata: { domain },
    }
  }

  private user(index: number, orgIndexes: number[]): LimitrCustomer {
    const h = hash32(this.seed ^ 0x05e, index)
    // One user in six is an individual customer with no org.
    const orgIndex = orgIndexes.length > 0 && h % 6 !== 0 ? orgIndexes[(h >>> 3) % orgIndexes.length] : undefined
    const orgDomain = orgIndex === undefined ? 'example.com' : (this.org(orgIndex).metadata!.domain as string)
    const person = fakePerson(this.seed, index, orgDomain)
    const tokens = (h >>> 7) % 2_000_000

    const altIds: string[] = []
    if ((h >>> 2) % 3 !== 0) altIds.push(this.stripeId(index))
    if ((h >>> 4) % 4 === 0) altIds.push(`key_${base58Noise(this.seed ^ 0xa91, index, 16)}`)

    const caps: Record<string, LimitrCap> = {}
    // Caps draw on their own hash so their mix does not follow the plan or org choice above.
    const hc = hash32(this.seed ^ 0xcafe, index)
    const capPick = hc % 6
    if (capPick <= 1) {
      // A monthly spend cap: in runes (the default credit, 1 rune = 1 USD) or a currency, its
      // value a number or, now and then, a Stof number string.
      const value = [50, 100, 25, 250][(hc >>> 14) % 4]
      const credit = capPick === 0 ? 'rune' : (hc >>> 17) % 4 === 0 ? 'eur' : 'usd'
      const asText = (hc >>> 19) % 3 === 0
      caps.monthly_spend = cap('monthly_spend', credit, asText ? `${value}${credit}` : value, ((hc >>> 6) % (value * 100)) / 100)
    } else if (capPick === 2) {
      // A cap in a non-currency credit: a usage ceiling, not a spend limit.
      caps.daily_tokens = cap('daily_tokens', 'token', 500_000, tokens % 500_000, {
        exchangeable: false,
        reset_sch: null,
        reset_inc: DAY,
        last_reset: null,
      })
    }

    const grants: Record<string, LimitrGrant> = {}
    if ((h >>> 20) % 4 === 0) {
      const starting = 10
      grants.welcome_credit = {
        id: 'welcome_credit',
        credit: 'usd',
        granted_on: SEEDED_AT - 20 * DAY,
        starting_value: starting,
        value: ((h >>> 9) % (starting * 100)) / 100,
        resets: false,
        reset_inc: 30 * DAY,
        expires_on: SEEDED_AT + 70 * DAY,
      }
    }

    const overrides: Record<string, LimitrLimit> = {}
    if ((h >>> 23) % 8 === 0) {
      overrides.ai_tokens = { credit: 'token', mode: 'hard', value: 5_000_000, resets: true, reset_inc: 30 * DAY, expires: null }
    }

    return {
      id: this.customerId('user', index),
      plan: USER_PLANS[(h >>> 25) % USER_PLANS.length],
      alt_ids: altIds,
      refs: orgIndex === undefined ? [] : [this.customerId('org', orgIndex)],
      type: 'user',
      label: person.name,
      meters: {
        ai_tokens: { credit: 'token', value: tokens, reset: NEXT_PERIOD },
        api_calls: { credit: 'call', value: (h >>> 13) % 10_000, reset: NEXT_PERIOD },
      },
      overrides,
      grants,
      caps,
      metadata: { email: person.email },
    }
  }
}
