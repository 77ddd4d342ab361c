/**
 * Upgrading a database from before token roles: every existing token becomes what it was, an
 * admin of every tenant, and keeps working. The old database is made by the real migrations up
 * to the one before roles, the upgrade by the gateway's own start.
 */
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_DIR } from '../../src/db/open-sqlite'
import { startTestGateway, type TestGateway } from '../support/gateway'

const ROLES_MIGRATION = '0002_api_token_roles'
const OLD_TOKEN = 'um_tokenFromBeforeRolesExisted0123456789'
const dir = mkdtempSync(join(tmpdir(), 'unimeter-token-migration-'))
let g: TestGateway | undefined

afterAll(async () => {
  await g?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A database migrated up to, not including, the roles migration, with one token in it. */
function databaseBeforeRoles(path: string): void {
  const migrations = join(dir, 'migrations')
  cpSync(MIGRATIONS_DIR, migrations, { recursive: true })
  const journalPath = join(migrations, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> }
  const upTo = journal.entries.findIndex((e) => e.tag === ROLES_MIGRATION)
  expect(upTo).toBeGreaterThan(0)
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }))
  const sqlite = new Database(path)
  migrate(drizzle(sqlite), { migrationsFolder: migrations })
  const columns = (sqlite.prepare('pragma table_info(api_tokens)').all() as Array<{ name: string }>).map((c) => c.name)
  expect(columns).not.toContain('role')
  sqlite
    .prepare('insert into api_tokens (id, name, token_hash, prefix, created_at) values (?, ?, ?, ?, ?)')
    .run(
      'old-token',
      'from before roles',
      createHash('sha256').update(OLD_TOKEN).digest('hex'),
      OLD_TOKEN.slice(0, 9),
      '2026-01-01T00:00:00.000Z',
    )
  sqlite.close()
}

describe('the token roles migration', () => {
  it('makes existing tokens admin and unbound, and they keep working', async () => {
    const dbPath = join(dir, 'old.db')
    databaseBeforeRoles(dbPath)
    g = await startTestGateway({ sandbox: false, env: { UNIMETER_DATABASE_PATH: dbPath } })
    const as = (method: string, path: string, body?: unknown) =>
      fetch(`${g!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${OLD_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    const listed = await as('GET', '/api-token')
    expect(listed.status).toBe(200)
    const rows = ((await listed.json()) as { result: any[] }).result
    expect(rows.find((t) => t.id === 'old-token')).toMatchObject({ name: 'from before roles', role: 'admin', tenant_id: null })
    // Admin of every tenant: it still manages tokens and sees every tenant's accounts.
    expect((await as('POST', '/api-token', { name: 'minted by an old token', role: 'read' })).status).toBe(201)
    expect((await as('GET', '/integrated-account?tenant_id=anyone')).status).toBe(200)
  })
})
