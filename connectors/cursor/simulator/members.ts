/**
 * `GET /teams/members`: the whole team in one unpaginated response, as Cursor sends it. The
 * JSON text is built in chunks (no per-member objects kept) and cached, since the team never
 * changes while the simulator runs.
 */
import type { SimHandler } from '../../../src/sandbox/simulator-kit'
import type { CursorShape, Team } from './team'
import { jsonText } from './vendor'

const CHUNK = 10_000

function memberJson(team: Team, index: number, shape: CursorShape['members']): string {
  const m = team.member(index)
  // The older shapes have no id and no removal flag: a removed member is simply not listed.
  if (shape !== 'current') return JSON.stringify({ name: m.name, email: m.email, role: m.role })
  return JSON.stringify({ id: m.id, name: m.name, email: m.email, role: m.role, isRemoved: m.isRemoved })
}

export function membersText(team: Team, shape: CursorShape['members'] = 'current'): string {
  const chunks: string[] = []
  for (let start = 0; start < team.size; start += CHUNK) {
    const parts: string[] = []
    const end = Math.min(team.size, start + CHUNK)
    for (let i = start; i < end; i++) if (shape === 'current' || !team.isRemoved(i)) parts.push(memberJson(team, i, shape))
    if (parts.length) chunks.push(parts.join(','))
  }
  const list = `[${chunks.join(',')}]`
  return shape === 'array' ? list : `{"teamMembers":${list}}`
}

export function membersHandler(team: Team, shape: CursorShape['members'] = 'current'): SimHandler {
  let cached: string | undefined
  return () => jsonText((cached ??= membersText(team, shape)))
}
