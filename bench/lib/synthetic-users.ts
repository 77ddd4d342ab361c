/**
 * Synthetic users shaped like Claude's mapped users (mappings/usage-metering/users/claude/user.jsonata),
 * for the sync probes that write pages without a vendor or a mapping (bench/probes/sync-page-ab.ts,
 * bench/probes/seen-rows.ts). Ids are scattered over `users` so that pages do not arrive in key order.
 */
export function syntheticUser(i: number, users: number): Record<string, unknown> {
  const id = `user_${((i * 7919) % users).toString(36).padStart(10, '0')}`
  const email = `person.${i}@example-company.com`
  const name = `Person Number ${i}`
  return {
    id,
    name,
    first_name: 'Person',
    last_name: `Number ${i}`,
    emails: [{ email, is_primary: true }],
    roles: [{ id: 'user', name: 'user' }],
    status: 'active',
    organization: { id: 'org_0123456789', name: 'Example Company' },
    last_active_at: '2026-12-01T00:00:00.000Z',
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: null,
    remote_data: { id, type: 'user', email, name, role: 'user', added_at: '2025-01-01T00:00:00Z' },
  }
}

/** CPU milliseconds this process has used (user + system). */
export const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
