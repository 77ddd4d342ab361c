/** Holding vendor bodies (documented examples, simulator answers) to a connector's wire schemas. */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'

/** `value` parses with `schema`; a failure names `what` and zod's reasons. */
export function expectWireValid(schema: z.ZodType, value: unknown, what: string): void {
  const parsed = schema.safeParse(value)
  expect(parsed.error, `${what}: ${parsed.error?.message}`).toBeUndefined()
}

/** One test per documented example: `[fixture name, schema, example]`. */
export function describeDocExamples(connector: string, cases: ReadonlyArray<readonly [string, z.ZodType, unknown]>): void {
  describe(`${connector}: the documented examples are valid against the wire schemas`, () => {
    it.each(cases)('%s', (name, schema, example) => expectWireValid(schema, example, name))
  })
}
