/** Content hashes are stored: the canonical JSON they are computed from must never change shape. */
import { describe, expect, it } from 'vitest'
import { recordKey, stableJson } from '../../src/sync/record-codec'

describe('stableJson', () => {
  it('sorts keys at every depth, drops undefined members and keeps array order and holes as null', () => {
    const value = { b: 1, a: [3, undefined, null, { z: 'é"', y: undefined, x: [] }], c: { '10': 1, '9': 2, B: 3, a: 4 }, e: {} }
    expect(stableJson(value)).toBe('{"a":[3,null,null,{"x":[],"z":"é\\""}],"b":1,"c":{"10":1,"9":2,"B":3,"a":4},"e":{}}')
  })

  it('writes scalars as JSON does, and what JSON cannot write as null', () => {
    expect([null, 'x', 0, -0, 1e21, true, undefined].map(stableJson)).toEqual(['null', '"x"', '0', '0', '1e+21', 'true', 'null'])
  })

  it('gives equal content the same text whatever the key order', () => {
    expect(stableJson({ u: { id: '1', name: 'A' }, r: null })).toBe(stableJson({ r: null, u: { name: 'A', id: '1' } }))
  })
})

describe('recordKey', () => {
  const one = { key: ['id'] }
  const two = { key: ['start_date', 'user.id'] }

  it('keeps a one-field key as the text records were always stored under', () => {
    expect(recordKey(one, { id: 'u_1' })).toBe('u_1')
    expect(recordKey(one, { id: 42 })).toBe('42')
    expect([{}, { id: '' }, { id: null }, { id: {} }, { id: Number.NaN }].map((r) => recordKey(one, r))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('joins a composite key from dot paths, allowing a missing part but not all of them', () => {
    expect(recordKey(two, { start_date: '2026-12-01', user: { id: 'u1' } })).toBe('["2026-12-01","u1"]')
    expect(recordKey(two, { start_date: '2026-12-01', user: null })).toBe('["2026-12-01",null]')
    expect(recordKey(two, { user: null })).toBeUndefined()
    expect(recordKey(two, { start_date: '2026-12-01', user: { id: ['x'] } })).toBeUndefined()
  })

  it('never confuses two composite keys whose parts contain the separator', () => {
    const a = recordKey(two, { start_date: 'a","b', user: { id: 'c' } })
    const b = recordKey(two, { start_date: 'a', user: { id: 'b","c' } })
    expect(a).not.toBe(b)
  })
})
