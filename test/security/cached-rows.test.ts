/**
 * Token and account rows are cached per process (src/db/row-cache.ts). A cached row must never
 * outlive its change: every test first makes the gateway cache the row (several requests), then
 * changes it — through the API, through the store, or from another SQLite connection (the CLI, a
 * key rotation, a second process) — and expects the very next request to see the change.
 */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { RowCache } from '../../src/db/row-cache'
import { useGateway, withSimulatedAccount } from '../connectors/support/vendor-accounts'
import type { TestGateway } from '../support/gateway'

async function statusOf(g: TestGateway, path: string, token?: string): Promise<number> {
  const res = await g.api(path, token ? { headers: { authorization: `Bearer ${token}` } } : {})
  await res.arrayBuffer()
  return res.status
}

/** A few requests, so whatever is cached for them is. */
async function warm(g: TestGateway, path: string, token?: string): Promise<void> {
  for (let i = 0; i < 3; i++) expect(await statusOf(g, path, token)).toBe(200)
}

/** Runs `sql` on the gateway's database file through a connection of its own. */
function otherConnection(g: TestGateway, sql: string, ...params: unknown[]): number {
  const db = new Database(g.dbPath)
  try {
    return db.prepare(sql).run(...params).changes
  } finally {
    db.close()
  }
}

async function newToken(g: TestGateway, body: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
  const { status, body: created } = await g.json('/api-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cached', ...body }),
  })
  expect(status).toBe(201)
  return created
}

describe('cached tokens and accounts never outlive a change', () => {
  const gateway = useGateway()

  it('a revoked token is refused on the next request', async () => {
    const g = gateway.g
    const { id, token } = await newToken(g)
    await warm(g, '/integrated-account', token)
    expect((await g.api(`/api-token/${id}`, { method: 'DELETE' })).status).toBeLessThan(300)
    expect(await statusOf(g, '/integrated-account', token)).toBe(401)
  })

  it('a token revoked from another connection is refused on the next request', async () => {
    const g = gateway.g
    const { id, token } = await newToken(g)
    await warm(g, '/integrated-account', token)
    expect(otherConnection(g, 'UPDATE api_tokens SET revoked_at = ? WHERE id = ?', new Date().toISOString(), id)).toBe(1)
    expect(await statusOf(g, '/integrated-account', token)).toBe(401)
  })

  it('a deleted account is gone on the next request, and one deleted elsewhere too', async () => {
    const g = gateway.g
    await withSimulatedAccount(g, 'claude', { users: 5 }, async (account) => {
      await warm(g, account.list)
      expect((await g.api(`/integrated-account/${account.accountId}`, { method: 'DELETE' })).status).toBeLessThan(300)
      expect(await statusOf(g, account.list)).toBe(404)
    })
    await withSimulatedAccount(g, 'claude', { users: 5 }, async (account) => {
      await warm(g, account.list)
      expect(otherConnection(g, 'DELETE FROM integrated_accounts WHERE id = ?', account.accountId)).toBe(1)
      expect(await statusOf(g, account.list)).toBe(404)
    })
  })

  it('an account moved to another tenant leaves the old tenant’s token on the next request', async () => {
    const g = gateway.g
    await withSimulatedAccount(g, 'claude', { users: 5 }, async (account) => {
      const { token } = await newToken(g, { role: 'read', tenant_id: 'connector-tests' })
      await warm(g, account.list, token)
      const moved = await g.json(`/integrated-account/${account.accountId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant_id: 'elsewhere' }),
      })
      expect(moved.status).toBe(200)
      expect(await statusOf(g, account.list, token)).toBe(404)
      // And back, from another connection: the tenant's token sees it again at once.
      otherConnection(g, 'UPDATE integrated_accounts SET tenant_id = ? WHERE id = ?', 'connector-tests', account.accountId)
      expect(await statusOf(g, account.list, token)).toBe(200)
    })
  })

  it('a status change and a context change show on the next request', async () => {
    const g = gateway.g
    await withSimulatedAccount(g, 'claude', { users: 5 }, async (account) => {
      const path = `/integrated-account/${account.accountId}`
      await warm(g, path)
      await g.services.accounts.setStatus(account.accountId, 'needs_reauth', 'the key was revoked')
      expect((await g.json(path)).body).toMatchObject({ status: 'needs_reauth', last_error: 'the key was revoked' })
      // A successful list clears it (noteOutcome reads the fresh row, not a cached one).
      expect(await statusOf(g, account.list)).toBe(200)
      expect((await g.json(path)).body.status).toBe('active')
      const patched = await g.json(path, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ context: { note: 'rotated' } }),
      })
      expect(patched.status).toBe(200)
      expect((await g.json(path)).body.context).toMatchObject({ note: 'rotated' })
    })
  })

  it('credentials re-sealed elsewhere (a key rotation, a CLI change) are read again', async () => {
    const g = gateway.g
    await withSimulatedAccount(g, 'claude', { users: 5 }, async (account) => {
      await warm(g, account.list)
      // Sealed secrets that cannot be opened: a cached row would still call the vendor (200).
      otherConnection(g, "UPDATE integrated_accounts SET secret_tag = 'AAAAAAAAAAAAAAAAAAAAAA==' WHERE id = ?", account.accountId)
      expect(await statusOf(g, account.list)).not.toBe(200)
    })
  })
})

describe('RowCache', () => {
  it('does not store a row read while a write invalidated the cache', async () => {
    const cache = new RowCache<{ v: number }>(() => 1)
    let release!: () => void
    const reading = cache.load('k', () => new Promise((resolve) => (release = () => resolve({ v: 1 }))))
    cache.invalidate('k')
    release()
    expect(await reading).toEqual({ v: 1 })
    expect(cache.size).toBe(0)
    expect(await cache.load('k', async () => ({ v: 2 }))).toEqual({ v: 2 })
    expect(await cache.load('k', async () => ({ v: 3 }))).toEqual({ v: 2 })
  })

  it('empties when the database changed elsewhere, stays bounded, and caches nothing without a version', async () => {
    let version = 1
    const cache = new RowCache<number>(() => version, 3)
    for (let i = 0; i < 10; i++) await cache.load(`k${i}`, async () => i)
    expect(cache.size).toBe(3)
    expect(await cache.load('k9', async () => -1)).toBe(9)
    version++
    expect(await cache.load('k9', async () => -1)).toBe(-1)
    expect(cache.size).toBe(1)
    const uncached = new RowCache<number>(undefined)
    await uncached.load('k', async () => 1)
    expect(uncached.size).toBe(0)
    expect(await cache.load('missing', async () => undefined)).toBeUndefined()
    expect(cache.size).toBe(1)
  })
})
