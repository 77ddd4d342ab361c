/**
 * Checks a vendor body against the connector's wire schema (connectors/<vendor>/wire-schemas.ts),
 * failing with the zod issues so a drift names the field that moved.
 */
import { expect } from 'vitest'
import type { z } from 'zod'

export function expectWire(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body)
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${what}: ${i.path.join('.')} ${i.message}`)).toEqual([])
}
