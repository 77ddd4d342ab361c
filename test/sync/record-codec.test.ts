/** Content hashes are stored: the canonical JSON they are computed from must never change shape. */
import { describe, expect, it } from 'vitest'
import { stableJson } from '../../src/sync/record-codec'

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
