/**
 * The users and invites lists as pageable collections. The `emails` filter is a handful of exact
 * addresses, each resolved to its index in O(1), so a filtered list never scans the org.
 */
import type { SimRequest } from '../../../src/sandbox/simulator-kit'
import type { OpenAIInvite, OpenAIUser, OpenAIWorld } from './data'
import type { IndexedCollection } from './list-page'
import { arrayParam } from './params'

/** The nearest of the sorted `indices` from `from` in direction `step`, or -1. */
function nearest(indices: number[], from: number, step: 1 | -1): number {
  if (step === 1) return indices.find((i) => i >= from) ?? -1
  for (let k = indices.length - 1; k >= 0; k--) if (indices[k] <= from) return indices[k]
  return -1
}

export function usersCollection(world: OpenAIWorld, req: SimRequest): IndexedCollection<OpenAIUser> {
  const emails = arrayParam(req.query, 'emails')
  const filtered =
    emails.length === 0
      ? undefined
      : [...new Set(emails.map((e) => world.userIndexByEmail(e)).filter((i): i is number => i !== undefined))].sort((a, b) => a - b)
  return {
    count: world.userCount,
    ids: world.users,
    item: (i) => world.user(i),
    nextMatch(from, step) {
      if (filtered) return nearest(filtered, from, step)
      return from >= 0 && from < world.userCount ? from : -1
    },
  }
}

export function invitesCollection(world: OpenAIWorld): IndexedCollection<OpenAIInvite> {
  return {
    count: world.inviteCount,
    ids: world.invites,
    item: (i) => world.invite(i),
    nextMatch: (from) => (from >= 0 && from < world.inviteCount ? from : -1),
  }
}
