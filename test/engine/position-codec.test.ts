/**
 * Cursors and checkpoints are stored formats: a cursor handed out before the readable names in
 * code, and the checkpoint of a run that was going on across an upgrade, must decode to the same
 * position and encode back to the same bytes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hmacKey } from '../../src/crypto/digest'
import { createCursorCodec } from '../../src/engine/cursor'
import {
  checkpointFromJson,
  checkpointToJson,
  keysetPositionFromCursor,
  keysetPositionToWire,
  pagePositionFromCursor,
  pagePositionToWire,
} from '../../src/engine/position-codec'

const LISTS = 3
const walk = { maxPageSize: 100, listCount: () => LISTS, hasReport: () => false }

describe('page positions on the wire', () => {
  it('decodes a cursor in the short-key format and signs the same bytes again', async () => {
    const codec = createCursorCodec(await hmacKey(new Uint8Array(32).fill(7)))
    const binding = { accountId: 'ia_1', resource: 'usage-metering/users' }
    // What the list engine put in a cursor before its fields had readable names.
    const oldState = { s: 'cur_42', o: 7, ps: 50, fp: 'k3x9', l: 2 }
    const oldToken = await codec.encode(binding, oldState)
    const position = pagePositionFromCursor(await codec.decode(binding, oldToken), walk)
    expect(position).toEqual({ vendorState: 'cur_42', offset: 7, pageSize: 50, fingerprint: 'k3x9', listIndex: 2 })
    expect(await codec.encode(binding, pagePositionToWire(position))).toBe(oldToken)
  })

  it('keeps the key order and the optional keys of every position the engine makes', () => {
    const arbitrary = fc.record(
      {
        s: fc.oneof(fc.constant(null), fc.string(), fc.integer()),
        o: fc.integer({ min: 0, max: 999_999 }),
        ps: fc.integer({ min: 1, max: walk.maxPageSize }),
        fp: fc.string({ minLength: 1 }),
        l: fc.integer({ min: 1, max: LISTS - 1 }),
      },
      { requiredKeys: ['s', 'o', 'ps'] },
    )
    fc.assert(
      fc.property(arbitrary, (state) => {
        const wire = JSON.stringify(state)
        expect(JSON.stringify(pagePositionToWire(pagePositionFromCursor(JSON.parse(wire), walk)))).toBe(wire)
      }),
    )
  })

  it('refuses a position that does not fit the walk', () => {
    for (const state of [
      { s: null, o: -1, ps: 10 },
      { s: null, o: 0, ps: 101 },
      { s: null, o: 0, ps: 10, l: 3 },
      { s: {}, o: 0, ps: 10 },
    ]) {
      expect(() => pagePositionFromCursor(state, walk)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }))
    }
  })
})

describe('super-query positions on the wire', () => {
  it('reads and writes the short keys', () => {
    expect(keysetPositionFromCursor({ q: 'f', k: 'b@x.io', i: 'u_2' })).toEqual({ sortValue: 'b@x.io', recordId: 'u_2' })
    expect(keysetPositionFromCursor({ q: 'f', k: 3, i: 'u_2' })).toBeNull()
    expect(keysetPositionToWire({ sortValue: 'b@x.io', recordId: 'u_2' })).toEqual({ k: 'b@x.io', i: 'u_2' })
  })
})

describe('sync checkpoints', () => {
  it('reads a checkpoint a running job stored before the readable names, and stores it byte for byte', () => {
    const stored = '{"r":1,"pos":{"s":"page_3","o":0,"ps":100,"fp":"1x2y"},"seen":{"usage-metering/users":250},"partial":false}'
    const checkpoint = checkpointFromJson(stored)
    expect(checkpoint).toEqual({
      resourceIndex: 1,
      next: { vendorState: 'page_3', offset: 0, pageSize: 100, fingerprint: '1x2y' },
      seen: { 'usage-metering/users': 250 },
      partial: false,
    })
    expect(checkpointToJson(checkpoint)).toBe(stored)
    const between = '{"r":2,"pos":null,"seen":{},"partial":true}'
    expect(checkpointToJson(checkpointFromJson(between))).toBe(between)
  })
})
