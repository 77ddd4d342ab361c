/**
 * The `unified` format's completion (every schema field present, null when the mapping gave none)
 * is built once per schema (src/formats/complete-record.ts). It must answer exactly as the walk it
 * replaced, kept here as the reference: the same keys in the same order, the same nulls, nested
 * objects and arrays, wrappers, extra keys and values of the wrong kind, for every resource schema,
 * on records drawn from the schema and damaged at random.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { recordCompleter } from '../../src/formats/complete-record'
import { unwrap } from '../../src/formats/normalize'
import { models } from '../../src/models'
import { referenceObject } from '../support/complete-record-reference'

type Shape = Record<string, z.ZodType>

/** A schema with every wrapper the completion sees through, and one it does not. */
const wrapperSchema = z.object({
  plain: z.string(),
  optional: z.object({ a: z.string(), b: z.number().nullable() }).optional(),
  defaulted: z.array(z.object({ x: z.string() })).default([]),
  layered: z
    .object({ deep: z.object({ leaf: z.boolean() }).nullable().optional() })
    .nullable()
    .optional(),
  nested_arrays: z.array(z.array(z.object({ v: z.number() }))).nullable(),
  // Not seen through by either: values kept as they are.
  piped: z.object({ kept: z.string() }).catch({ kept: '' }),
  union: z.union([z.object({ u: z.string() }), z.string()]),
})

const SCHEMAS: [string, z.ZodObject][] = [
  ...models.all().flatMap((r) => {
    const own: [string, z.ZodObject][] = [[`${r.model}/${r.resource}`, r.schema]]
    return r.aggregates ? [...own, [`${r.model}/${r.resource} aggregates`, r.aggregates] as [string, z.ZodObject]] : own
  }),
  ['wrappers', wrapperSchema],
]

/** Any value at all, prototype-less objects and sparse arrays included: what a broken mapping could give. */
const damaged = fc.anything({ withNullPrototype: true, withSparseArray: true, withBoxedValues: true, maxDepth: 3 })

function valueOf(type: z.ZodType, depth: number): fc.Arbitrary<unknown> {
  const inner = unwrap(type)
  const absentOrBroken = [fc.constant(undefined), fc.constant(null), damaged]
  if (depth > 4) return fc.oneof(...absentOrBroken)
  if (inner instanceof z.ZodObject) return fc.oneof(recordOf(inner.shape as Shape, depth + 1), ...absentOrBroken)
  if (inner instanceof z.ZodArray) {
    const element = valueOf(inner.element as z.ZodType, depth + 1)
    return fc.oneof(fc.array(element, { maxLength: 4 }), fc.sparseArray(element, { maxLength: 4 }), ...absentOrBroken)
  }
  return fc.oneof(fc.string(), fc.double(), fc.boolean(), ...absentOrBroken)
}

/**
 * A record of `shape`: any subset of its keys, some undefined, some null, some of the wrong kind,
 * with extra keys before or after, in shape order or reversed, sometimes without a prototype or
 * with one that carries schema fields (which are not the record's own).
 */
function recordOf(shape: Shape, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(shape).map(([k, t]) => [k, valueOf(t, depth)]))
  const keys = Object.keys(shape)
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...keys)), damaged, { maxKeys: 3 }),
      fc.constantFrom('extras-first', 'extras-last', 'reversed'),
      fc.constantFrom('plain', 'null-prototype', 'inherited-fields'),
    )
    .map(([own, extras, order, proto]) => {
      const entries = Object.entries(own)
      const extraEntries = Object.entries(extras)
      const all =
        order === 'extras-first'
          ? [...extraEntries, ...entries]
          : order === 'reversed'
            ? [...entries, ...extraEntries].reverse()
            : [...entries, ...extraEntries]
      const base =
        proto === 'plain'
          ? {}
          : proto === 'null-prototype'
            ? Object.create(null)
            : Object.create(Object.fromEntries(keys.map((k) => [k, 'inherited'])))
      for (const [k, v] of all) Object.defineProperty(base, k, { value: v, enumerable: true, writable: true, configurable: true })
      return base as Record<string, unknown>
    })
}

/**
 * A value as the wire and the formats downstream see it: own keys in order (undefined values
 * included), array holes marked, anything else as it is. Prototypes of records are left out:
 * where the walk copied a record only because it rebuilt an array (always), the completer keeps
 * the record itself, prototype and all (JSON never sees it; own fields are all it serializes).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return { array: Array.from({ length: value.length }, (_, i) => (i in value ? canonical(value[i]) : 'hole')) }
  // Records, whatever their prototype; boxed values, dates, maps… as they are.
  if (Object.prototype.toString.call(value) === '[object Object]') {
    return { object: Object.keys(value as object).map((k) => [k, canonical((value as Record<string, unknown>)[k])]) }
  }
  return value
}

/** Whatever a call gives, or the kind of error it throws. */
function outcome(run: () => Record<string, unknown>) {
  try {
    return { value: run() }
  } catch (e) {
    return { thrown: (e as Error).constructor.name }
  }
}

function expectSameAnswer(schema: z.ZodObject, record: Record<string, unknown>) {
  const before = JSON.stringify(record)
  const expected = outcome(() => referenceObject(schema.shape as Shape, record))
  const actual = outcome(() => recordCompleter(schema)(record))
  expect(JSON.stringify(record), 'the input is never changed').toBe(before)
  if ('thrown' in expected) {
    expect(actual).toEqual(expected)
    return
  }
  expect(canonical(actual.value)).toEqual(canonical(expected.value))
  expect(JSON.stringify(actual.value)).toBe(JSON.stringify(expected.value))
  // Not copied where the reference gave the record itself back.
  if (expected.value === record) expect(actual.value).toBe(record)
}

describe('unified completion built once per schema', () => {
  it.each(SCHEMAS)('%s: same answer as the per-record walk on records drawn from the schema', (_name, schema) => {
    fc.assert(
      fc.property(recordOf(schema.shape as Shape), (record) => expectSameAnswer(schema, record)),
      { numRuns: 300 },
    )
  })

  it.each(SCHEMAS)('%s: same answer on anything at all in place of a record', (_name, schema) => {
    fc.assert(
      fc.property(damaged, (value) => expectSameAnswer(schema, value as Record<string, unknown>)),
      { numRuns: 200 },
    )
  })

  it('fills missing fields with null at every depth, in schema order after the record’s own keys', () => {
    const users = models.all().find((r) => r.resource === 'users')!
    const out = recordCompleter(users.schema)({ extra: 1, id: 'u1', emails: [{ email: 'a@b.c' }], roles: [{}] })
    expect(Object.keys(out)).toEqual([
      'extra',
      'id',
      'emails',
      'roles',
      ...Object.keys(users.schema.shape).filter((k) => !['id', 'emails', 'roles'].includes(k)),
    ])
    expect(out.roles).toEqual([{ id: null, name: null }])
  })

  it('copies a record without a prototype key by key, an own __proto__ key and integer keys kept as a spread keeps them', () => {
    const users = models.all().find((r) => r.resource === 'users')!
    const record: Record<string, unknown> = Object.create(null)
    record.id = 'u1'
    Object.defineProperty(record, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true })
    record['7'] = 'seven'
    const out = recordCompleter(users.schema)(record)
    expect(out).not.toBe(record)
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(JSON.stringify(out)).toBe(JSON.stringify(referenceObject(users.schema.shape as Shape, { ...record })))
    expect(Object.keys(out).slice(0, 3)).toEqual(['7', 'id', '__proto__'])
  })

  it('copies an ordinary record with an own __proto__ key (as JSON.parse makes one) keeping it a key, not a prototype', () => {
    const users = models.all().find((r) => r.resource === 'users')!
    const record = JSON.parse('{"id":"u1","__proto__":{"polluted":true},"name":"Ada"}') as Record<string, unknown>
    const out = recordCompleter(users.schema)(record)
    expect(out).not.toBe(record)
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect((out as { polluted?: unknown }).polluted).toBeUndefined()
    expect(JSON.stringify(out)).toBe(JSON.stringify(referenceObject(users.schema.shape as Shape, record)))
    expect(Object.keys(out).slice(0, 3)).toEqual(['id', '__proto__', 'name'])
  })

  it('is built once per schema, and follows a schema that contains itself', () => {
    expect(recordCompleter(wrapperSchema)).toBe(recordCompleter(wrapperSchema))
    const node = z.object({
      name: z.string(),
      get children() {
        return z.array(node).optional()
      },
    })
    const record = { name: 'root', children: [{ name: 'leaf', children: [{}] }] }
    expect(recordCompleter(node)(record)).toStrictEqual(referenceObject(node.shape as Shape, record))
    expect(recordCompleter(node)(record)).toEqual({
      name: 'root',
      children: [{ name: 'leaf', children: [{ name: null, children: null }] }],
    })
  })
})
