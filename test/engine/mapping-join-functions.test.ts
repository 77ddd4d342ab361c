/** Mapping functions used by the connector mappings: one-row joins and display-name splitting. */
import { describe, expect, it } from 'vitest'
import { compileExpression, evaluateExpression } from '../../src/engine/mapping/mapping-engine'
import { keyBy, maxBy, nameParts } from '../../src/engine/mapping/functions'

const run = (expr: string, input: Record<string, unknown>) => evaluateExpression(compileExpression(expr), input)

describe('joins over a filter that matches one row', () => {
  const rows = [
    { user: 'a', date: '2025-01-02', active: true },
    { user: 'b', date: '2025-01-03', active: false },
  ]

  it('JSONata hands a single match over as the object itself; $maxBy and $keyBy still join it', async () => {
    expect(await run('$maxBy(rows[active = true], "user", "date")', { rows })).toEqual({ a: '2025-01-02' })
    expect(await run('$lookup($keyBy(rows[user = "b"], "user"), "b").date', { rows })).toBe('2025-01-03')
  })

  it('takes a bare object as a list of one, and anything else as empty', () => {
    expect({ ...keyBy({ id: 7 }, 'id') }).toEqual({ 7: { id: 7 } })
    expect({ ...maxBy({ id: 7, d: 3 }, 'id', 'd') }).toEqual({ 7: 3 })
    expect({ ...keyBy(undefined, 'id') }).toEqual({})
    expect({ ...maxBy('text', 'id', 'd') }).toEqual({})
  })
})

describe('$nameParts', () => {
  it.each([
    ['Ada Lovelace', { first: 'Ada', last: 'Lovelace' }],
    ['Annie van Rossum', { first: 'Annie', last: 'van Rossum' }],
    ['  Cher  ', { first: 'Cher', last: null }],
    ['', { first: null, last: null }],
    [null, { first: null, last: null }],
    [42, { first: null, last: null }],
  ])('%j → %j', (name, parts) => {
    expect(nameParts(name)).toEqual(parts)
  })

  it('is callable from a mapping', async () => {
    expect(await run('{ "first": $nameParts(n).first, "last": $nameParts(n).last }', { n: 'Grace Brewster Hopper' })).toEqual({
      first: 'Grace',
      last: 'Brewster Hopper',
    })
  })
})
