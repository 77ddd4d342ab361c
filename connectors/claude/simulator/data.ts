/**
 * The simulated Anthropic organization: its users and invites are pure functions of
 * (seed, user count, index), so user i is generated when asked for and never stored.
 */
import { fakePerson, fakeUuid, hash32 } from '../../../src/sandbox/simulator-kit'
import { idCodec, type IdCodec } from './ids'

/** Console/API orgs and Claude Enterprise orgs use different role sets (providers.md §1.2). */
export type RoleSet = 'console' | 'enterprise'

export const ALL_ROLES = [
  'admin',
  'billing',
  'claude_code_user',
  'developer',
  'managed',
  'membership_admin',
  'owner',
  'primary_owner',
  'user',
] as const

export interface ClaudeUser {
  id: string
  type: 'user'
  email: string
  name: string
  role: string
  added_at: string
}

export interface ClaudeInvite {
  id: string
  type: 'invite'
  email: string
  role: string
  status: 'pending' | 'accepted' | 'expired' | 'deleted'
  invited_at: string
  expires_at: string
}

export interface WorldOptions {
  seed: number
  users: number
  domain: string
  roleSet: RoleSet
  orgName: string
  /** false: an org without invites (for suites that count members only). Default true. */
  invites?: boolean
}

/** Users join evenly over these two years, so `added_at` grows with the index (insertion order). */
const TIMELINE_START_US = Date.UTC(2024, 0, 1) * 1000
const TIMELINE_SPAN_US = 731 * 86_400_000_000
const DAY_US = 86_400_000_000
/** Anthropic invites expire 21 days after they are sent. */
const INVITE_LIFETIME_US = 21 * DAY_US

/** RFC 3339 with microseconds, as in `2024-10-30T23:58:27.427722Z`. */
export function rfc3339Micros(us: number): string {
  const ms = Math.floor(us / 1000)
  const micros = String(us % 1_000_000).padStart(6, '0')
  return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`
}

/** Role weights out of 100; the first user of an org is the one who created it. */
const CONSOLE_ROLES: Array<[string, number]> = [
  ['user', 45],
  ['developer', 35],
  ['claude_code_user', 7],
  ['admin', 7],
  ['billing', 6],
]
const ENTERPRISE_ROLES: Array<[string, number]> = [
  ['user', 84],
  ['managed', 6],
  ['membership_admin', 5],
  ['owner', 5],
]

function pickRole(roleSet: RoleSet, roll: number): string {
  let acc = 0
  for (const [role, weight] of roleSet === 'console' ? CONSOLE_ROLES : ENTERPRISE_ROLES) {
    acc += weight
    if (roll < acc) return role
  }
  return 'user'
}

export class ClaudeWorld {
  readonly users: IdCodec
  readonly invites: IdCodec
  readonly orgId: string
  readonly userCount: number
  /** Micro-seconds between two consecutive joins. */
  private readonly step: number
  private readonly inviteList: ClaudeInvite[]

  constructor(readonly options: WorldOptions) {
    this.userCount = Math.max(0, Math.floor(options.users))
    this.users = idCodec('user_', options.seed, 0x55534552)
    this.invites = idCodec('invite_', options.seed, 0x494e5654)
    this.orgId = fakeUuid(options.seed, 0x4f524721)
    this.step = Math.floor(TIMELINE_SPAN_US / Math.max(1, this.userCount))
    this.inviteList = this.buildInvites()
  }

  /** Roles this org can hold at all: a filter outside them is answered without a scan. */
  get possibleRoles(): Set<string> {
    return new Set((this.options.roleSet === 'console' ? CONSOLE_ROLES : ENTERPRISE_ROLES).map(([r]) => r).concat(this.firstRole))
  }

  private get firstRole(): string {
    return this.options.roleSet === 'console' ? 'admin' : 'primary_owner'
  }

  /** Strictly increasing: the jitter stays inside 90% of one step. */
  addedAtUs(index: number): number {
    const jitter = Math.floor((hash32(this.options.seed ^ 0x41444444, index) / 4294967296) * this.step * 0.9)
    return TIMELINE_START_US + index * this.step + jitter
  }

  roleOf(index: number): string {
    if (index === 0) return this.firstRole
    return pickRole(this.options.roleSet, hash32(this.options.seed ^ 0x524f4c45, index) % 100)
  }

  user(index: number): ClaudeUser {
    const person = fakePerson(this.options.seed, index, this.options.domain)
    return {
      id: this.users.idOf(index),
      added_at: rfc3339Micros(this.addedAtUs(index)),
      email: person.email,
      name: person.name,
      role: this.roleOf(index),
      type: 'user',
    }
  }

  /** O(1) exact-email lookup: fakePerson puts the index in the local part (`first.last.<i>@`). */
  userIndexByEmail(email: string): number | undefined {
    const m = /\.(\d+)@/.exec(email)
    if (!m) return undefined
    const index = Number(m[1])
    if (index >= this.userCount) return undefined
    return fakePerson(this.options.seed, index, this.options.domain).email === email.toLowerCase() ? index : undefined
  }

  /** How many users had joined before `us` (users are sorted by join time). O(1). */
  joinedBefore(us: number): number {
    if (us <= TIMELINE_START_US || this.userCount === 0) return 0
    const k = Math.min(this.userCount, Math.floor((us - TIMELINE_START_US) / this.step))
    if (k >= this.userCount) return this.userCount
    return k + (this.addedAtUs(k) < us ? 1 : 0)
  }

  get inviteCount(): number {
    return this.inviteList.length
  }

  invite(index: number): ClaudeInvite {
    return this.inviteList[index]
  }

  /**
   * A handful of invites around the end of the timeline: people not yet in the org (pending,
   * expired) and one accepted invite for the newest member, whose email therefore also appears
   * among the users, as it would at Anthropic.
   */
  private buildInvites(): ClaudeInvite[] {
    if (this.options.invites === false) return []
    const end = TIMELINE_START_US + TIMELINE_SPAN_US
    const specs: Array<{ status: ClaudeInvite['status']; role: string; sentDaysBeforeEnd: number }> = [
      { status: 'expired', role: 'user', sentDaysBeforeEnd: 40 },
      { status: 'accepted', role: 'developer', sentDaysBeforeEnd: 30 },
      { status: 'pending', role: 'developer', sentDaysBeforeEnd: 9 },
      { status: 'pending', role: this.options.roleSet === 'console' ? 'billing' : 'user', sentDaysBeforeEnd: 4 },
      { status: 'pending', role: 'user', sentDaysBeforeEnd: 1 },
    ]
    const built = specs.map((spec, j) => {
      const accepted = spec.status === 'accepted' && this.userCount > 0
      const invitedAt = accepted
        ? this.addedAtUs(this.userCount - 1) - 2 * DAY_US
        : end -
          spec.sentDaysBeforeEnd * DAY_US +
          (hash32(this.options.seed ^ 0x494e4154, j) % 86_400_000) * 1000 +
          (hash32(this.options.seed ^ 0x4d494352, j) % 1000)
      const person = fakePerson(this.options.seed, accepted ? this.userCount - 1 : this.userCount + j, this.options.domain)
      return {
        id: '',
        email: person.email,
        expires_at: rfc3339Micros(invitedAt + INVITE_LIFETIME_US),
        invited_at: rfc3339Micros(invitedAt),
        role: accepted ? this.roleOf(this.userCount - 1) : spec.role,
        status: spec.status === 'accepted' && !accepted ? 'pending' : spec.status,
        type: 'invite' as const,
        sentUs: invitedAt,
      }
    })
    // Ids follow insertion order, i.e. when each invite was sent.
    built.sort((x, y) => x.sentUs - y.sentUs)
    return built.map(({ sentUs: _sent, ...invite }, j) => ({ ...invite, id: this.invites.idOf(j) }))
  }
}
