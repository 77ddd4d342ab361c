/**
 * Field options on records whose keys and paths come from anywhere (fast-check, seeded): only a
 * record's own properties are followed, so a path through an inherited member (`constructor.x`,
 * `toString.x`, `__proto__.x`) names nothing; a vendor's real `__proto__` or `constructor` key is a
 * field like any other; the caller's objects are never modified; Object.prototype is untouched.
 * The expected answer comes from a model over key/value lists, where prototypes cannot interfere.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyFieldOptions, keyRecordsBy } from '../../src/formats/field-options'
import { ApiError } from '../../src/lib/http-errors'
import { PROTOTYPE_NAMES } from '../security/support/hostile'

const key = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom('a', 'b', 'emails', 'remote_data'), fc.string({ maxLength: 4 }))

/** JSON as a tree of key/value lists: the model, free of prototypes. */
type Tree = null | boolean | number | string | Tree[] | { entries: Array<[string, Tree]> }
const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 3 })),
    fc.array(tie('t'), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(key, tie('t')), { maxLength: 4, selector: ([k]) => k }).map((entries) => ({ entries })),
  ),
})).t
const record = fc.uniqueArray(fc.tuple(key, tree), { maxLength: 5, selector: ([k]) => k }).map((entries) => ({ entries }))

const toJson = (t: Tree): string =>
  Array.isArray(t)
    ? `[${t.map(toJson).join(',')}]`
    : t !== null && typeof t === 'object'
      ? `{${t.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`
      : JSON.stringify(t)

/** The record as a vendor's parsed JSON holds it (own `__proto__` keys included). */
const parse = (t: Tree) => JSON.parse(toJson(t)) as Record<string, unknown>

function modelWithout(t: Tree, path: string[]): Tree {
  if (Array.isArray(t)) return t.map((item) => modelWithout(item, path))
  if (t === null || typeof t !== 'object') return t
  const [head, ...rest] = path
  if (!t.entries.some(([k]) => k === head)) return t
  if (rest.length === 0) return { entries: t.entries.filter(([k]) => k !== head) }
  return { entries: t.entries.map(([k, v]) => [k, k === head ? modelWithout(v, rest) : v] as [string, Tree]) }
}

/** JSON text with own keys in order, `__proto__` included (JSON.stringify writes own keys). */
const jsonOf = (v: unknown) => JSON.stringify(v)

const path = fc.array(key, { minLength: 1, maxLength: 4 })

describe('applyFieldOptions', () => {
  it('removes exactly what the model removes, never touching the input or Object.prototype', () => {
    fc.assert(
      fc.property(record, fc.array(path, { maxLength: 3 }), fc.boolean(), (rec, paths, ignoreRemoteData) => {
        const input = parse(rec)
        const before = jsonOf(input)
        const out = applyFieldOptions(input, { ignoreRemoteData, excludeFields: paths.map((p) => p.join('.')) })
        let expected: Tree = rec
        if (ignoreRemoteData) expected = modelWithout(expected, ['remote_data'])
        for (const p of paths) expected = modelWithout(expected, p)
        // Through JSON.parse: objects list integer-like keys first, whatever the text's order.
        expect(jsonOf(out)).toBe(jsonOf(parse(expected)))
        expect(jsonOf(input)).toBe(before)
        expect(Object.keys(Object.prototype)).toEqual([])
      }),
      { numRuns: 400 },
    )
  })

  it.each([
    'constructor.x',
    'toString.x',
    'hasOwnProperty.a',
    '__proto__.x',
    'constructor',
    '__proto__',
    'emails.constructor.name',
    'emails.__proto__.x',
    'name.length',
  ])('%s on a record without such a key changes nothing', (field) => {
    const input = { id: 'u1', name: 'Ada', emails: [{ email: 'a@x.io', is_primary: true }], remote_data: { id: 1 } }
    expect(applyFieldOptions(input, { ignoreRemoteData: false, excludeFields: [field] })).toEqual(input)
  })

  it("removes a vendor's own __proto__ and constructor keys, and what is below them", () => {
    const input = JSON.parse('{"id":"1","remote_data":{"__proto__":{"x":1,"y":2},"constructor":{"z":3}}}')
    const out = applyFieldOptions(input, { ignoreRemoteData: false, excludeFields: ['remote_data.__proto__.x', 'remote_data.constructor'] })
    expect(jsonOf(out)).toBe('{"id":"1","remote_data":{"__proto__":{"y":2}}}')
    expect(Object.getPrototypeOf((out as { remote_data: object }).remote_data)).toBe(Object.prototype)
    expect(jsonOf(input)).toBe('{"id":"1","remote_data":{"__proto__":{"x":1,"y":2},"constructor":{"z":3}}}')
  })
})

describe('keyRecordsBy', () => {
  const badKeyBy = (f: () => unknown) => {
    try {
      f()
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError)
      expect((err as ApiError).status).toBe(400)
      expect((err as ApiError).code).toBe('invalid_key_by')
      return
    }
    throw new Error('expected a 400 invalid_key_by')
  }

  it('refuses a field the records only inherit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTOTYPE_NAMES), fc.array(fc.string(), { minLength: 1, maxLength: 3 }), (field, ids) => {
        badKeyBy(() =>
          keyRecordsBy(
            ids.map((id) => ({ id })),
            field,
          ),
        )
      }),
    )
  })

  it('keys by any own value, __proto__ and constructor included', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string()), { minLength: 1, maxLength: 6 }), (ids) => {
        const records = ids.map((id) => ({ id, n: id.length }))
        const { result: out, collisions } = keyRecordsBy(records, 'id')
        expect(collisions).toBe(0)
        expect(Object.keys(out).sort()).toEqual([...ids].sort())
        for (const r of records) expect(Object.getOwnPropertyDescriptor(out, r.id)?.value).toBe(r)
        expect(JSON.parse(jsonOf(out))).toEqual(Object.fromEntries(records.map((r) => [r.id, r])))
        expect(Object.keys(Object.prototype)).toEqual([])
      }),
    )
  })

  it('keeps the last record of each key and counts the ones it replaced; dotted paths follow own properties', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', '__proto__'), { minLength: 1, maxLength: 12 }), (orgs) => {
        const records = orgs.map((org, i) => ({ id: String(i), organization: { id: org } }))
        const { result, collisions } = keyRecordsBy(records, 'organization.id')
        const distinct = new Set(orgs)
        expect(Object.keys(result).sort()).toEqual([...distinct].sort())
        expect(collisions).toBe(records.length - distinct.size)
        for (const org of distinct)
          expect(Object.getOwnPropertyDescriptor(result, org)?.value).toBe(records.findLast((r) => r.organization.id === org))
      }),
    )
    badKeyBy(() => keyRecordsBy([{ organization: { id: 'a' } }], 'organization.constructor'))
    badKeyBy(() => keyRecordsBy([{ organization: { id: 'a' } }], 'organization'))
  })
})
