/**
 * The chunking plan that keeps a page's bulk writes within D1's limits (src/db/d1-limits.ts):
 * every record in exactly one chunk, in order, each chunk within the byte budget; a record too
 * large alone is named, not sent. And the statements built from the chunks stay within D1's
 * statement-length, parameter-count and value-size limits, which local D1 (workerd's SQLite)
 * does not enforce the way production D1 does.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  D1_JSON_PARAM_MAX_BYTES,
  D1_MAX_BOUND_PARAMETERS,
  D1_MAX_RECORD_BYTES,
  D1_MAX_STATEMENT_BYTES,
  D1_MAX_VALUE_BYTES,
} from '../../src/db/d1-limits'
import { planJsonChunks, utf8Bytes } from '../../src/db/json-rows'
import { openSqlite } from '../../src/db/open-sqlite'
import { rehashRecords, touchRecords, upsertRecords, type PageScope, type RecordContent } from '../../src/sync/record-writes'

const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8')

/** Text of any code points (1- to 4-byte UTF-8), quotes and control characters included. */
const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength })

describe('utf8Bytes', () => {
  it('counts what Buffer counts for any text JSON.stringify writes', () => {
    fc.assert(
      fc.property(text(200), (s) => {
        expect(utf8Bytes(JSON.stringify(s))).toBe(bytesOf(JSON.stringify(s)))
      }),
    )
  })
})

describe('planJsonChunks', () => {
  it('puts every item that fits in exactly one chunk, in order, each within the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(text(60), fc.integer(), fc.constant(null)), { maxLength: 80 }),
        fc.integer({ min: 8, max: 300 }),
        (items, max) => {
          const plan = planJsonChunks(items, max)
          for (const chunk of plan.chunks) {
            expect(bytesOf(chunk)).toBeLessThanOrEqual(max)
            expect(JSON.parse(chunk)).not.toHaveLength(0)
          }
          const out = new Set(plan.oversized.map((o) => o.index))
          // Cover: the chunks hold exactly the items not listed as oversized, in their order.
          expect(plan.chunks.flatMap((c) => JSON.parse(c) as unknown[])).toEqual(items.filter((_, i) => !out.has(i)))
          // Oversized: exactly the items whose JSON alone makes an array over the limit, with their size.
          items.forEach((item, i) => {
            const bytes = bytesOf(JSON.stringify(item))
            expect(out.has(i)).toBe(bytes + 2 > max)
            if (out.has(i)) expect(plan.oversized.find((o) => o.index === i)?.bytes).toBe(bytes)
          })
          // No waste: two neighbouring chunks could not have been one.
          for (let i = 1; i < plan.chunks.length; i++)
            expect(bytesOf(plan.chunks[i - 1]) + bytesOf(plan.chunks[i]) - 1).toBeGreaterThan(max)
        },
      ),
    )
  })
})

describe('a page of records against D1 limits', () => {
  const { db, close } = openSqlite(':memory:')
  const scope: PageScope = {
    accountId: 'acc-1',
    resourceKey: 'usage-metering/users',
    runId: 'run-1',
    jobId: 'job-1',
    now: '2026-12-07T00:00:00.000Z',
  }
  /** A record whose stored row is about `size` bytes, mostly in `remote_data`. */
  const record = (id: string, size: number, fill = 'x'): RecordContent => ({
    id,
    unified: { id, email: `${id}@example.com` },
    remoteData: { bio: fill.repeat(size / bytesOf(fill)) },
    contentHash: 'h'.repeat(64),
    facets: { status: 'active' },
  })

  /** Every statement's SQL text, bound parameter count and largest bound value within D1's limits. */
  function expectWithinD1(statements: ReturnType<typeof touchRecords>) {
    for (const s of statements) {
      const { sql, params } = (s as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL()
      expect(bytesOf(sql)).toBeLessThan(D1_MAX_STATEMENT_BYTES)
      expect(params.length).toBeLessThanOrEqual(D1_MAX_BOUND_PARAMETERS)
      for (const p of params) if (typeof p === 'string') expect(bytesOf(p)).toBeLessThanOrEqual(D1_JSON_PARAM_MAX_BYTES)
    }
  }

  it('a 5 MB page becomes several statements, each within every limit, and refuses only the record over the row limit', () => {
    // 3-byte characters: the byte budget, not the character count, is what must hold.
    const records = Array.from({ length: 50 }, (_, i) => record(`u${i}`, 100_000, i % 2 ? '€' : 'x'))
    const huge = record('too-big', D1_MAX_RECORD_BYTES, 'é')
    const plan = upsertRecords(db, scope, [...records.slice(0, 20), huge, ...records.slice(20)])
    expect(plan.tooLarge).toEqual([{ id: 'too-big', bytes: expect.any(Number), limit: D1_MAX_RECORD_BYTES }])
    expect(plan.tooLarge[0].bytes).toBeGreaterThan(D1_MAX_RECORD_BYTES)
    expect(plan.statements.length).toBeGreaterThanOrEqual(5)
    expectWithinD1(plan.statements)
    const ids = Array.from({ length: 20_000 }, (_, i) => `user-${i}-${'é'.repeat(40)}`)
    expectWithinD1(touchRecords(db, scope, ids))
    expectWithinD1(
      rehashRecords(
        db,
        scope,
        ids.map((id) => ({ id, contentHash: 'h'.repeat(64) })),
      ),
    )
    // The budget leaves D1's value limit twice the room.
    expect(D1_JSON_PARAM_MAX_BYTES * 2).toBe(D1_MAX_VALUE_BYTES)
    close()
  })
})
