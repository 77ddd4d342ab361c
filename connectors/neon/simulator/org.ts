/**
 * The simulated Neon organization. Member `i` is a pure function of (seed, i): members join in
 * index order (so `joined_at` ascending is index order), member 0 is the admin who created the
 * org and owns the API key's `/users/me`.
 */
import { fakePerson, fakeUuid, hash32 } from '../../../src/sandbox/simulator-kit'
import { memberId } from './ids'

export const DEFAULT_ORG_ID = 'org-sandbox-unimeter-12345678'
export const ORG_ID_PATTERN = /^[a-z0-9-]{1,60}$/

export type MemberRole = 'admin' | 'member'

export interface Member {
  id: string
  user_id: string
  org_id: string
  role: MemberRole
  joined_at: string
}

export interface MemberWithUser {
  member: Member
  user: { email: string; has_mfa: boolean }
}

/** RFC 3339 in whole seconds, as Neon writes it (`2024-02-23T17:42:25Z`). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

const YEAR_MS = 365 * 86_400_000

export class NeonOrg {
  /** When the org was created; every member joined within the following year. */
  readonly createdAt: number
  private readonly stepMs: number

  constructor(
    readonly seed: number,
    readonly size: number,
    readonly orgId: string,
    readonly name: string,
  ) {
    this.createdAt = Date.UTC(2024, 0, 15, 9) + (hash32(seed, -4) % 60) * 86_400_000
    this.stepMs = Math.max(2_000, Math.floor(YEAR_MS / Math.max(1, size)))
  }

  joinedAt(index: number): number {
    // Jitter stays below one step, so joined_at strictly increases with the index.
    const jitter = hash32(this.seed ^ 0x501d, index) % Math.max(1, this.stepMs - 1_000)
    return this.createdAt + index * this.stepMs + jitter
  }

  role(index: number): MemberRole {
    return index === 0 || hash32(this.seed ^ 0xad, index) % 8 === 0 ? 'admin' : 'member'
  }

  email(index: number): string {
    return fakePerson(this.seed, index).email
  }

  userId(index: number): string {
    return fakeUuid(this.seed ^ 0x0ddba11, index)
  }

  member(index: number): Member {
    return {
      id: memberId(this.seed, index),
      user_id: this.userId(index),
      org_id: this.orgId,
      role: this.role(index),
      joined_at: rfc3339(this.joinedAt(index)),
    }
  }

  memberWithUser(index: number): MemberWithUser {
    return { member: this.member(index), user: { email: this.email(index), has_mfa: hash32(this.seed ^ 0x3fa, index) % 10 < 3 } }
  }

  organization(): Record<string, unknown> {
    return {
      id: this.orgId,
      name: this.name,
      handle: this.orgId.replace(/^org-/, ''),
      plan: 'scale',
      created_at: rfc3339(this.createdAt),
      updated_at: rfc3339(this.createdAt + 42 * 86_400_000),
      managed_by: 'console',
    }
  }

  /** Pending invitations (three), sent by the admin who created the org. */
  invitations(): Record<string, unknown>[] {
    const by = this.email(0)
    return [0, 1, 2].map((j) => ({
      id: fakeUuid(this.seed ^ 0x1a717e, j),
      email: `invitee.${j}@example.com`,
      org_id: this.orgId,
      // The schema says uuid but the documented example carries the inviter's email; follow it.
      invited_by: by,
      role: j === 0 ? 'admin' : 'member',
      invited_at: rfc3339(this.createdAt + YEAR_MS + j * 3_600_000 * 7),
    }))
  }

  /** `CurrentUserInfoResponse` for the key's owner, member 0, shaped like the recorded reply. */
  currentUser(): Record<string, unknown> {
    const person = fakePerson(this.seed, 0)
    const email = person.email
    const login = email.split('@')[0].replace(/[^a-z0-9]/g, '')
    const image = `https://avatars.example.com/u/${hash32(this.seed, -5).toString(16)}`
    return {
      active_seconds_limit: 0,
      billing_account: {
        state: 'active',
        payment_source: { type: '' },
        subscription_type: 'free_v2',
        payment_method: 'none',
        quota_reset_at_last: rfc3339(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)),
        name: person.firstName,
        email,
        address_city: '',
        address_country: '',
        address_line1: '',
        address_line2: '',
        address_postal_code: '',
        address_state: '',
      },
      auth_accounts: [{ email, image, login, name: person.firstName, provider: 'google' }],
      email,
      id: this.userId(0),
      image,
      login,
      name: person.firstName,
      last_name: person.lastName,
      projects_limit: 10,
      branches_limit: 10,
      max_autoscaling_limit: 2,
      plan: 'free_v2',
    }
  }
}
