/**
 * Checks a vendor body against the connector's wire schema (connectors/<vendor>/wire-schemas.ts),
 * failing with the zod issues so a drift names the field that moved.
 */
import { expect } from 'vitest'
import type { z } from 'zod'
import type { RunningSimulator } from '../../../src/sandbox/simulator-kit/types'
import { startVendorSimulator } from './vendor-accounts'

export function expectWire(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body)
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${what}: ${i.path.join('.')} ${i.message}`)).toEqual([])
}

/** Runs `check` on a fresh simulator of `connector` in each variant, closing each one. */
export async function onEachVariant(
  connector: string,
  users: number,
  variants: Array<Record<string, string>>,
  check: (sim: RunningSimulator, what: string) => Promise<void>,
): Promise<void> {
  for (const variant of variants) {
    const sim = await startVendorSimulator(connector, { users, variant })
    try {
      await check(sim, JSON.stringify(variant))
    } finally {
      await sim.close()
    }
  }
}

/** GET `path` on the simulator with its key as a Bearer token, the JSON body. */
export async function bearerJson(sim: RunningSimulator, path: string): Promise<any> {
  return (await fetch(`${sim.baseUrl}${path}`, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })).json()
}
