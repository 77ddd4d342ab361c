/**
 * The simulated Cursor team: member `i` is a pure function of (seed, i), so a team of a million
 * costs no memory until someone asks for a whole-team view.
 */
import { base58Noise, fakePerson, hash32 } from '../../../src/sandbox/simulator-kit'

export type CursorRole = 'member' | 'owner' | 'free-owner'

/**
 * Which documented shapes the simulator answers with (options.variant):
 * - `members`: 'current' (default) `{teamMembers:[{id, name, email, role, isRemoved}]}` as the
 *   current docs page and Airbyte's schema show; 'basic' `{teamMembers:[{name, email, role}]}`;
 *   'array', the older docs page's bare array of `{name, email, role}`.
 * - `ids`: 'numeric' (default) numeric `userId`s everywhere; 'string', as public client fixtures
 *   show: spend rows with `"userId": "user_…"` and daily-usage rows without `userId`.
 */
export interface CursorShape {
  members: 'current' | 'basic' | 'array'
  ids: 'numeric' | 'string'
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0]
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new Error(`cursor simulator: unknown ${name} variant '${value}' (expected ${allowed.join(' or ')})`)
}

export function parseShape(variant: Record<string, string> = {}): CursorShape {
  return {
    members: oneOf('members', variant.members, ['current', 'basic', 'array'] as const),
    ids: oneOf('ids', variant.ids, ['numeric', 'string'] as const),
  }
}

export interface TeamMember {
  index: number
  /** Cursor's numeric member id. */
  id: number
  name: string
  email: string
  role: CursorRole
  isRemoved: boolean
}

export class Team {
  /** Ids are consecutive from a seed-dependent base, as an auto-increment column would give. */
  private readonly idBase: number

  constructor(
    readonly seed: number,
    readonly size: number,
  ) {
    this.idBase = 10_000 + (hash32(seed, -1) % 900_000)
  }

  /**
   * Every eighth member (5, 13, 21…) has left the team: a fixed pattern so a 25-member team
   * always shows three removed members, and the owner (index 0) never leaves.
   */
  isRemoved(index: number): boolean {
    return index % 8 === 5
  }

  /** Members still on the team: removed ones follow the fixed pattern above. */
  get activeCount(): number {
    return this.size - (this.size > 5 ? Math.floor((this.size - 6) / 8) + 1 : 0)
  }

  role(index: number): CursorRole {
    if (index === 0) return 'owner'
    const h = hash32(this.seed ^ 0x0c0ffee, index) % 50
    if (h === 0) return 'owner'
    if (h === 1) return 'free-owner'
    return 'member'
  }

  member(index: number): TeamMember {
    const person = fakePerson(this.seed, index)
    return {
      index,
      id: this.idBase + index,
      name: person.name,
      email: person.email,
      role: this.role(index),
      isRemoved: this.isRemoved(index),
    }
  }

  /** The encoded user id other endpoints use (`user_…`, 28 characters after the prefix). */
  encodedId(index: number): string {
    return `user_${base58Noise(this.seed ^ 0x05e7, index, 28)}`
  }

  /** The member's index from its numeric id, or -1 when no member has it. */
  indexOf(id: number): number {
    const index = id - this.idBase
    return Number.isInteger(index) && index >= 0 && index < this.size ? index : -1
  }
}
