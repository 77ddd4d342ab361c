/**
 * `GET /teams/members`: the whole team in one unpaginated response, as Cursor sends it. The
 * JSON text is built in chunks (no per-member objects kept) and cached, since the team never
 * changes while the simulator runs.
 */
import type { SimHandler } from '../../../src/sandbox/simulator-kit'
import type { Team } from './team'
import { jsonText } from './vendor'

const CHUNK = 10_000

function memberJson(team: Team, index: number): string {
  const m = team.member(index)
  return JSON.stringify({ id: m.id, name: m.name, email: m.email, role: m.role, isRemoved: m.isRemoved })
}

export function membersText(team: Team): string {
  const chunks: string[] = []
  for (let start = 0; start < team.size; start += CHUNK) {
    const parts: string[] = []
    const end = Math.min(team.size, start + CHUNK)
    for (let i = start; i < end; i++) parts.push(memberJson(team, i))
    chunks.push(parts.join(','))
  }
  return `{"teamMembers":[${chunks.join(',')}]}`
}

export function membersHandler(team: Team): SimHandler {
  let cached: string | undefined
  return () => jsonText((cached ??= membersText(team)))
}
