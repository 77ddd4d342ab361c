/**
 * pathPicker: what a side load with `fields` keeps of each vendor record (src/lib/pick-paths.ts).
 * A read of a named path gives the same value on the copy as on the record, arrays on the way
 * included, and nothing else is kept.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pathPicker } from '../../src/lib/pick-paths'
import { keyPaths } from './support/key-paths'

/** A dot-path read that maps over arrays on the way, as a JSONata path does. */
function read(value: unknown, parts: string[]): unknown {
  if (parts.length === 0) return value
  if (Array.isArray(value)) return value.map((item) => read(item, parts))
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, parts[0])) return undefined
  return read((value as Record<string, unknown>)[parts[0]], parts.slice(1))
}

describe('pathPicker', () => {
  const row = {
    actor: { email_address: 'ada@example.com', type: 'user_actor', extra: 1 },
    core_metrics: { num_sessions: 3 },
    date: '2026-12-04T00:00:00Z',
    model_breakdown: [{ model: 'm', tokens: { input: 1 } }],
  }

  it('keeps the named paths, in the record’s own key order, and drops the rest', () => {
    const pick = pathPicker(['date', 'actor.type', 'actor.email_address'])
    const picked = pick(row)
    expect(picked).toEqual({ actor: { email_address: 'ada@example.com', type: 'user_actor' }, date: '2026-12-04T00:00:00Z' })
    expect(Object.keys(picked as object)).toEqual(['actor', 'date'])
    expect(Object.keys((picked as { actor: object }).actor)).toEqual(['email_address', 'type'])
  })

  it('leaves a path the record lacks absent, and keeps null and scalars where an object was expected', () => {
    const pick = pathPicker(['actor.email_address', 'user.email_address'])
    expect(pick({ actor: null })).toEqual({ actor: null })
    expect(pick({ actor: 'bot' })).toEqual({ actor: 'bot' })
    expect(pick({})).toEqual({})
    expect(Object.hasOwn(pick({ actor: {} }) as object, 'user')).toBe(false)
    expect(pick(7)).toBe(7)
  })

  it('picks arrays item by item, and a shorter path keeps the whole value', () => {
    expect(pathPicker(['model_breakdown.model'])(row)).toEqual({ model_breakdown: [{ model: 'm' }] })
    expect(pathPicker(['actor.type', 'actor'])(row)).toEqual({ actor: row.actor })
    expect(pathPicker(['actor', 'actor.type'])(row)).toEqual({ actor: row.actor })
  })

  it('reads every named path as on the whole record, and keeps nothing off them (property)', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd')
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.integer(),
        fc.string(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node
    const paths = fc.array(
      fc.array(key, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.')),
      { minLength: 1, maxLength: 4 },
    )
    fc.assert(
      fc.property(value, paths, (record, named) => {
        const picked = pathPicker(named)(record)
        for (const path of named) expect(read(picked, path.split('.'))).toEqual(read(record, path.split('.')))
        for (const kept of keyPaths(picked)) {
          expect(named.some((p) => p === kept || p.startsWith(`${kept}.`) || kept.startsWith(`${p}.`))).toBe(true)
        }
      }),
    )
  })
})
