/**
 * The simulated organization and its Copilot seats. Seat `i` is a pure function of (seed, i):
 * seats were granted in index order over the year after the subscription started, so a million
 * of them cost no memory. Shapes follow the "Copilot Business Seat Detail" schema (see
 * ../wire-schemas.ts), timestamps written with a UTC offset as GitHub's examples write them.
 */
import { fakePerson, hash32 } from '../../../src/sandbox/simulator-kit'

export type PlanType = 'business' | 'enterprise' | 'unknown'

const DAY_MS = 86_400_000
const EDITORS = [
  'vscode/1.96.2/copilot-chat/0.23.2',
  'vscode/1.95.3/copilot/1.246.0',
  'JetBrains-IU/243.22562.218/copilot-intellij/1.5.29',
  'copilot-cli/0.0.339',
  'Neovim/0.10.2/copilot.vim/1.41.0',
]

/** `2024-03-05T10:04:46-06:00`: whole seconds at a fixed −06:00 offset, like the documented examples. */
export function offsetTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000 - 6 * 3_600_000).toISOString().slice(0, 19)}-06:00`
}

function loginFor(firstName: string, lastName: string, index: number): string {
  return `${firstName}-${lastName}`.toLowerCase().replace(/[^a-z0-9]+/g, '-') + `-${index}`
}

export class CopilotOrg {
  readonly id: number
  readonly startedAt: number
  /** "Now" for the data: fixed when the simulator starts, so every answer tells the same story. */
  readonly asOf = Math.floor(Date.now() / 1000) * 1000
  private readonly stepMs: number
  private org: string | undefined
  private teams: { team: string; enterpriseTeam: string } | undefined
  private readonly cancellation: string

  constructor(
    readonly seed: number,
    readonly size: number,
    readonly login: string,
    readonly plan: PlanType,
  ) {
    this.id = 9_000_000 + (hash32(seed, -11) % 1_000_000)
    this.startedAt = Date.UTC(2024, 1, 1, 15) + (hash32(seed, -12) % 30) * DAY_MS
    this.stepMs = Math.max(1_000, Math.floor((365 * DAY_MS) / Math.max(1, size)))
    const now = new Date(this.asOf)
    this.cancellation = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10)
  }

  /** GitHub logins: letters, digits and single hyphens; the index keeps them unique. */
  loginOf(index: number): string {
    const p = fakePerson(this.seed, index)
    return loginFor(p.firstName, p.lastName, index)
  }

  /** The seat index a login names, or -1. */
  indexOfLogin(login: string): number {
    const m = /-(\d+)$/.exec(login.toLowerCase())
    const index = m ? Number(m[1]) : -1
    return index >= 0 && index < this.size && this.loginOf(index) === login.toLowerCase() ? index : -1
  }

  /** Numeric account ids: unique, increasing with the index, not the index itself. */
  accountId(index: number): number {
    return 1_000_000 + index * 7 + (hash32(this.seed, -13) % 7)
  }

  private h(index: number, salt: number): number {
    return hash32(this.seed ^ salt, index)
  }

  /**
   * The assignee ("Simple User") as JSON text. Pages are written as text, not objects: a page of
   * thousands of seats (an oversized-page fault) must still be quick to serve.
   */
  assigneeJson(index: number): string {
    const person = fakePerson(this.seed, index)
    const login = loginFor(person.firstName, person.lastName, index)
    const id = this.accountId(index)
    const api = `https://api.github.com/users/${login}`
    // Only some users make their name and email visible; the rest are a login.
    const visible = this.h(index, 0x4e41) % 4 === 0 ? `"name":${JSON.stringify(person.name)},"email":${JSON.stringify(person.email)},` : ''
    return (
      `{${visible}"login":"${login}","id":${id},"node_id":"U_kgDO${id.toString(36).toUpperCase()}",` +
      `"avatar_url":"https://avatars.githubusercontent.com/u/${id}?v=4","gravatar_id":"","url":"${api}",` +
      `"html_url":"https://github.com/${login}","followers_url":"${api}/followers","following_url":"${api}/following{/other_user}",` +
      `"gists_url":"${api}/gists{/gist_id}","starred_url":"${api}/starred{/owner}{/repo}","subscriptions_url":"${api}/subscriptions",` +
      `"organizations_url":"${api}/orgs","repos_url":"${api}/repos","events_url":"${api}/events{/privacy}",` +
      `"received_events_url":"${api}/received_events","type":"User","user_view_type":"public","site_admin":false}`
    )
  }

  /** The same text for every seat: built once. */
  private organizationJson(): string {
    this.org ??= JSON.stringify(this.buildOrganization())
    return this.org
  }

  private buildOrganization(): Record<string, unknown> {
    const api = `https://api.github.com/orgs/${this.login}`
    return {
      login: this.login,
      id: this.id,
      node_id: Buffer.from(`012:Organization${this.id}`).toString('base64'),
      url: api,
      repos_url: `${api}/repos`,
      events_url: `${api}/events`,
      hooks_url: `${api}/hooks`,
      issues_url: `${api}/issues`,
      members_url: `${api}/members{/member}`,
      public_members_url: `${api}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${this.id}?v=4`,
      description: 'Simulated by unimeter',
    }
  }

  /** The team that granted the seat: an organization team, an enterprise team (enterprise plan), or none. */
  private assigningTeamJson(index: number): string {
    const pick = this.h(index, 0x7ea) % 3
    this.teams ??= { team: JSON.stringify(this.buildTeam()), enterpriseTeam: JSON.stringify(this.buildEnterpriseTeam()) }
    if (pick === 0) return this.teams.team
    if (pick === 1 && this.plan === 'enterprise') return this.teams.enterpriseTeam
    return 'null'
  }

  private buildTeam(): Record<string, unknown> {
    const api = `https://api.github.com/organizations/${this.id}/team/${this.id + 1}`
    return {
      id: this.id + 1,
      node_id: Buffer.from(`04:Team${this.id + 1}`).toString('base64'),
      url: api,
      html_url: `https://github.com/orgs/${this.login}/teams/engineering`,
      name: 'Engineering',
      slug: 'engineering',
      description: 'Everyone who ships code.',
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${api}/members{/member}`,
      repositories_url: `${api}/repos`,
      type: 'organization',
      organization_id: this.id,
      parent: null,
    }
  }

  private buildEnterpriseTeam(): Record<string, unknown> {
    const api = `https://api.github.com/enterprises/${this.login}-enterprise/teams/copilot-users`
    return {
      id: this.id + 2,
      name: 'Copilot users',
      description: 'Granted Copilot by the enterprise.',
      slug: 'copilot-users',
      url: api,
      group_id: null,
      html_url: `https://github.com/enterprises/${this.login}-enterprise/teams/copilot-users`,
      members_url: `${api}/members{/member}`,
      created_at: offsetTime(this.startedAt),
      updated_at: offsetTime(this.startedAt),
    }
  }

  grantedAt(index: number): number {
    return this.startedAt + index * this.stepMs + (this.h(index, 0x6a7) % Math.max(1, this.stepMs - 500))
  }

  /** Seat `index` as JSON text ("Copilot Business Seat Detail"). */
  seatJson(index: number): string {
    const granted = this.grantedAt(index)
    // One in six never used Copilot; the others last used it within 60 days of now (or of the grant).
    const used = this.h(index, 0xac7) % 6 !== 0
    const lastUse = Math.max(granted, this.asOf - (this.h(index, 0x1a57) % (60 * DAY_MS)))
    const lastAuth = Math.max(granted, lastUse - (this.h(index, 0xa7) % DAY_MS))
    // One in nine was cancelled this cycle: access lasts until the first day of next month.
    const cancelled = this.h(index, 0xca7) % 9 === 0
    const created = offsetTime(granted)
    const activity = used
      ? `"last_activity_at":"${offsetTime(lastUse)}","last_activity_editor":"${EDITORS[this.h(index, 0xed) % EDITORS.length]}","last_authenticated_at":"${offsetTime(lastAuth)}"`
      : '"last_activity_at":null,"last_activity_editor":null,"last_authenticated_at":null'
    return (
      `{"created_at":"${created}","updated_at":"${created}","pending_cancellation_date":${cancelled ? `"${this.cancellation}"` : 'null'},` +
      `${activity},"plan_type":"${this.plan}","assignee":${this.assigneeJson(index)},` +
      `"assigning_team":${this.assigningTeamJson(index)},"organization":${this.organizationJson()}}`
    )
  }

  seat(index: number): Record<string, unknown> {
    return JSON.parse(this.seatJson(index)) as Record<string, unknown>
  }
}
