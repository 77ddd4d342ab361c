/**
 * The plaintext credentials of the sandbox accounts, per connector, and checks that a text or a
 * file holds none of them in any form a leak would take (as is, URL-encoded, base64 — Basic
 * auth sends `key:` in base64, so a vendor echoing the header would leak that form).
 */
import { existsSync, readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { connectors } from '../../../connectors'
import type { RunningSimulator } from '../../../src/sandbox/simulator-kit'

/** Values of the connector's secret fields as the sandbox account holds them. */
export function secretsOf(connectorId: string, sim: RunningSimulator): string[] {
  const connector = connectors.get(connectorId)
  if (!connector) throw new Error(`unknown connector ${connectorId}`)
  const context: Record<string, string> = { ...sim.context, ...sim.credentials }
  return connector.credentials.filter((f) => f.secret && context[f.name]).map((f) => context[f.name])
}

export function leakForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`${secret}:`).toString('base64')]
}

export function expectNoSecret(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    for (const form of leakForms(secret)) expect(text.includes(form), `${where} contains a credential (${form.slice(0, 6)}…)`).toBe(false)
  }
}

/** The SQLite database and its WAL and shared-memory files, as raw bytes (latin1 keeps every byte). */
export function databaseBytes(dbPath: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${dbPath}${suffix}`)
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p).toString('latin1'))
    .join('\n')
}
