/**
 * What Limitr Cloud sends the connector, as zod schemas written from the SDK
 * (dev-formata-io/limitr `typescript/main.ts`) and the spec files the records follow
 * (`src/spec/customer.stof`, `src/spec/cap.stof`). Tests check the fixtures (test/fixtures/limitr)
 * and the simulator's bodies and frames against these. Extra fields are allowed.
 */
import { z } from 'zod'

/** POST /wss/ticket */
export const ticket = z.object({ ticket: z.string().min(1) })

/** A cap: `credit` defaults to `rune`; `value` a number or a Stof number string. */
export const cap = z.object({
  id: z.string(),
  credit: z.string().optional(),
  value: z.union([z.number(), z.string()]),
  observe_only: z.boolean().optional(),
  shared: z.boolean().optional(),
  shared_with: z.array(z.string()).nullable().optional(),
  scope: z.array(z.string()).nullable().optional(),
})

/** A customer record, as customers() holds it and a `{type:"customer"}` request is answered with. */
export const customer = z.object({
  id: z.string().min(1),
  plan: z.string(),
  alt_ids: z.array(z.string()),
  refs: z.array(z.string()),
  type: z.string(),
  label: z.string(),
  meters: z.record(z.string(), z.unknown()),
  overrides: z.record(z.string(), z.unknown()),
  grants: z.record(z.string(), z.unknown()),
  caps: z.record(z.string(), cap),
  metadata: z.record(z.string(), z.unknown()).nullable(),
})

/** customers(): a record keyed by customer id, or (as exported by some apps) an array. */
export const customers = z.union([z.record(z.string(), customer), z.array(customer)])

/** A reply frame to `{type:"customer", id}`: the record, the envelope, or an error. */
export const customerFrame = z.union([
  customer,
  z.object({ type: z.literal('customer'), id: z.string(), customer }),
  z.object({ error: z.string(), id: z.string().nullable(), type: z.literal('customer') }),
])
