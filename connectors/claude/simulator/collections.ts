/**
 * The users and invites lists as pageable collections, with the list filters applied the cheap
 * way: an exact email jumps straight to its index, a role filter the org cannot satisfy matches
 * nothing without scanning, and any other role filter scans only as far as the page needs.
 */
import type { SimRequest } from '../../../src/sandbox/simulator-kit'
import { ALL_ROLES, type ClaudeInvite, type ClaudeUser, type ClaudeWorld } from './data'
import type { IndexedCollection } from './id-pages'
import { arrayParam, BadRequest } from './params'

/** Walks from `from` by `step` inside [0, count) until `ok` holds; -1 when it never does. */
export function scan(count: number, from: number, step: 1 | -1, ok: (i: number) => boolean): number {
  for (let i = from; i >= 0 && i < count; i += step) if (ok(i)) return i
  return -1
}

export function usersCollection(world: ClaudeWorld, req: SimRequest): IndexedCollection<ClaudeUser> {
  const roles = arrayParam(req.query, 'roles')
  for (const [n, role] of roles.entries()) {
    if (!(ALL_ROLES as readonly string[]).includes(role)) {
      throw new BadRequest(`roles.${n}: Input should be ${ALL_ROLES.map((r) => `'${r}'`).join(', ')}`)
    }
  }
  const wanted = new Set(roles)
  const email = req.query.get('email')
  const emailIndex = email === null ? undefined : world.userIndexByEmail(email)
  // Run-time edits (the kit's /__sim/records): removed users are skipped, changed ones served changed.
  const edited = req.records.size > 0
  const user = (i: number): ClaudeUser => (edited ? req.records.patch('users', world.user(i)) : world.user(i))
  const present = (i: number): boolean => !edited || !req.records.isRemoved('users', world.users.idOf(i))
  const roleOk = (i: number): boolean => present(i) && (wanted.size === 0 || wanted.has(edited ? user(i).role : world.roleOf(i)))
  const impossible =
    (wanted.size > 0 && ![...wanted].some((r) => world.possibleRoles.has(r))) || (email !== null && emailIndex === undefined)

  return {
    count: world.userCount,
    ids: world.users,
    item: user,
    nextMatch(from, step) {
      if (impossible) return -1
      if (emailIndex !== undefined) {
        const reachable = step === 1 ? emailIndex >= from : emailIndex <= from
        return reachable && roleOk(emailIndex) ? emailIndex : -1
      }
      return scan(world.userCount, from, step, roleOk)
    },
  }
}

export function invitesCollection(world: ClaudeWorld): IndexedCollection<ClaudeInvite> {
  return {
    count: world.inviteCount,
    ids: world.invites,
    item: (i) => world.invite(i),
    nextMatch: (from, step) => scan(world.inviteCount, from, step, () => true),
  }
}
