/**
 * The simulated OpenAI organization: users and invites are pure functions of (seed, user
 * count, index), so user i is generated when asked for and never stored. Timestamps are unix
 * seconds, as everywhere in OpenAI's admin API.
 */
import { fakePerson, hash32, mulberry32 } from '../../../src/sandbox/simulator-kit'
import { idCodec, type IdCodec } from './ids'

/**
 * How many of the spec's optional user fields appear: `mixed` (most users carry `created`,
 * `api_key_last_used_at`, `is_service_account`, nested `user` and `projects`; every fourth user
 * only the basics), `full` (all users) or `minimal` (none), so parsers meet both shapes.
 */
export type FieldsMode = 'mixed' | 'full' | 'minimal'

export interface OpenAIUser {
  object: 'organization.user'
  id: string
  name: string
  email: string
  role: 'owner' | 'reader'
  added_at: number
  created?: number
  api_key_last_used_at?: number | null
  is_service_account?: boolean
  user?: {
    object: 'user'
    id: string
    email: string
    name: string
    picture: string
    enabled: boolean
    banned: boolean
    banned_at: number | null
  }
  projects?: { object: 'list'; data: Array<{ id: string; name: string; role: 'owner' | 'member' }> }
}

export interface OpenAIInvite {
  object: 'organization.invite'
  id: string
  email: string
  role: 'owner' | 'reader'
  status: 'accepted' | 'expired' | 'pending'
  /** The send time: `created_at` in the current spec, `invited_at` in older ones (WorldOptions.inviteTime picks). */
  created_at?: number
  invited_at?: number
  expires_at: number
  accepted_at: number | null
  /** Projects granted on acceptance (required in the current spec). */
  projects: Array<{ id: string; role: 'member' | 'owner' }>
}

/** Which name the simulated invites give their send time. */
export type InviteTimeField = 'created_at' | 'invited_at'

export interface WorldOptions {
  seed: number
  users: number
  domain: string
  fields: FieldsMode
  /** Default `created_at`, the current spec. */
  inviteTime?: InviteTimeField
}

/** Users join evenly over these two years, so `added_at` grows with the index (insertion order). */
const TIMELINE_START = Date.UTC(2024, 0, 1) / 1000
const TIMELINE_SPAN = 731 * 86_400
const DAY = 86_400
const INVITE_LIFETIME = 7 * DAY
/** The organization's active projects, by index (users belong to some of them). */
export const PROJECT_NAMES = ['Default project', 'Codex rollout', 'Internal tools', 'Evaluations']

export class OpenAIWorld {
  readonly users: IdCodec
  readonly invites: IdCodec
  readonly projects: IdCodec
  readonly userCount: number
  private readonly step: number
  private readonly inviteList: OpenAIInvite[]

  constructor(readonly options: WorldOptions) {
    this.userCount = Math.max(0, Math.floor(options.users))
    this.users = idCodec('user-', options.seed, 0x4f415553)
    this.invites = idCodec('invite-', options.seed, 0x4f41494e)
    this.projects = idCodec('proj_', options.seed, 0x4f415052)
    this.step = Math.max(1, Math.floor(TIMELINE_SPAN / Math.max(1, this.userCount)))
    this.inviteList = this.buildInvites()
  }

  /** Increasing with the index: the jitter stays inside 90% of one step (about a minute at 1M users). */
  addedAt(index: number): number {
    return TIMELINE_START + index * this.step + Math.floor((hash32(this.options.seed ^ 0x41444444, index) / 4294967296) * this.step * 0.9)
  }

  roleOf(index: number): 'owner' | 'reader' {
    if (index === 0) return 'owner'
    return hash32(this.options.seed ^ 0x524f4c45, index) % 100 < 10 ? 'owner' : 'reader'
  }

  private extended(index: number): boolean {
    if (this.options.fields === 'mixed') return index % 4 !== 3
    return this.options.fields === 'full'
  }

  user(index: number): OpenAIUser {
    const person = fakePerson(this.options.seed, index, this.options.domain)
    const id = this.users.idOf(index)
    const addedAt = this.addedAt(index)
    const base: OpenAIUser = {
      object: 'organization.user',
      id,
      name: person.name,
      email: person.email,
      role: this.roleOf(index),
      added_at: addedAt,
    }
    if (!this.extended(index)) return base

    const rand = mulberry32(hash32(this.options.seed ^ 0x45585445, index))
    const end = TIMELINE_START + TIMELINE_SPAN
    // A few disabled and banned accounts, at fixed indices so small orgs have them too.
    const enabled = index % 17 !== 5
    const banned = index % 23 === 10
    const avatar = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('')
    const initials = `${person.firstName[0]}${person.lastName[0]}`.toLowerCase()
    const projectCount = 1 + Math.floor(rand() * 3)
    const firstProject = Math.floor(rand() * PROJECT_NAMES.length)
    return {
      ...base,
      created: addedAt - Math.floor(rand() * 400 * DAY),
      api_key_last_used_at: rand() < 0.3 ? null : addedAt + Math.floor(rand() * Math.max(1, end - addedAt)),
      is_service_account: index % 40 === 39,
      user: {
        object: 'user',
        id,
        email: person.email,
        name: person.name,
        picture: `https://s.gravatar.com/avatar/${avatar}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F${initials}.png`,
        enabled,
        banned,
        banned_at: banned ? addedAt + Math.floor(rand() * Math.max(1, end - addedAt)) : null,
      },
      projects: {
        object: 'list',
        data: Array.from({ length: projectCount }, (_, k) => {
          const p = (firstProject + k) % PROJECT_NAMES.length
          return { id: this.projects.idOf(p), name: PROJECT_NAMES[p], role: k === 0 && base.role === 'owner' ? 'owner' : 'member' }
        }),
      },
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

  get inviteCount(): number {
    return this.inviteList.length
  }

  invite(index: number): OpenAIInvite {
    return this.inviteList[index]
  }

  /**
   * A handful of invites near the end of the timeline: people not yet in the org (pending,
   * expired) and one accepted invite for the newest member, ordered by when they were sent.
   */
  private buildInvites(): OpenAIInvite[] {
    const end = TIMELINE_START + TIMELINE_SPAN
    const specs: Array<{ status: OpenAIInvite['status']; role: OpenAIInvite['role']; sentDaysBeforeEnd: number }> = [
      { status: 'expired', role: 'reader', sentDaysBeforeEnd: 40 },
      { status: 'accepted', role: 'reader', sentDaysBeforeEnd: 0 },
      { status: 'pending', role: 'reader', sentDaysBeforeEnd: 5 },
      { status: 'pending', role: 'owner', sentDaysBeforeEnd: 3 },
      { status: 'pending', role: 'reader', sentDaysBeforeEnd: 1 },
    ]
    const built = specs.map((spec, j) => {
      const accepted = spec.status === 'accepted' && this.userCount > 0
      const newest = this.userCount - 1
      const sent = accepted
        ? this.addedAt(newest) - 2 * DAY
        : end - spec.sentDaysBeforeEnd * DAY + (hash32(this.options.seed ^ 0x494e4154, j) % DAY)
      return {
        object: 'organization.invite' as const,
        id: '',
        email: fakePerson(this.options.seed, accepted ? newest : this.userCount + j, this.options.domain).email,
        role: accepted ? this.roleOf(newest) : spec.role,
        status: spec.status === 'accepted' && !accepted ? ('pending' as const) : spec.status,
        [this.options.inviteTime ?? 'created_at']: sent,
        expires_at: sent + INVITE_LIFETIME,
        accepted_at: accepted ? this.addedAt(newest) : null,
        projects: [{ id: this.projects.idOf(0), role: 'member' as const }],
        sent,
      }
    })
    built.sort((a, b) => a.sent - b.sent)
    return built.map(({ sent: _sent, ...invite }, j) => ({ ...invite, id: this.invites.idOf(j) }))
  }
}
