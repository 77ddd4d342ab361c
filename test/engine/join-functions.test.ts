/**
 * $keyBy / $maxBy join tables: the optional `where` filter gives what a JSONata filter gives, and
 * a table built from the same array with the same arguments is built once and reused (frozen).
 */
import { describe, expect, it } from 'vitest'
import { compileExpression, evaluateExpression } from '../../src/engine/mapping/mapping-engine'
import { keyBy, maxBy, minorUnits, numberIn } from '../../src/engine/mapping/functions'

const activity = [
  { actor: { type: 'user_actor', email_address: 'a@x' }, date: '2025-01-01' },
  { actor: { type: 'api_actor', api_key_name: 'k1' }, date: '2025-03-01' },
  { actor: { type: 'user_actor', email_address: 'a@x' }, date: '2025-02-01' },
  { actor: { type: 'user_actor', email_address: 'b@x' }, date: '2025-01-05' },
  { actor: { type: 'api_actor', email_address: 'b@x' }, date: '2025-12-31' },
]

describe('join functions', () => {
  it('where keeps exactly the items a JSONata filter keeps', async () => {
    const filtered = compileExpression(`$maxBy(sideload.activity[actor.type = 'user_actor'], 'actor.email_address', 'date')`)
    const viaWhere = compileExpression(`$maxBy(sideload.activity, 'actor.email_address', 'date', { 'actor.type': 'user_actor' })`)
    const input = { sideload: { activity } }
    const a = await evaluateExpression(filtered, input)
    const b = await evaluateExpression(viaWhere, input)
    expect({ ...(b as object) }).toEqual({ ...(a as object) })
    expect({ ...(b as object) }).toEqual({ 'a@x': '2025-02-01', 'b@x': '2025-01-05' })

    const rows = [{ id: 1, on: true }, { id: 2, on: false }, { id: 3 }]
    expect(Object.keys(keyBy(rows, 'id', { on: true }))).toEqual(['1'])
    expect(Object.keys(keyBy(rows, 'id'))).toEqual(['1', '2', '3'])
  })

  it("where {'$ne': v} keeps everything but v, absent fields included; caseless folds keys", () => {
    const rows = [{ id: 1, on: true }, { id: 2, on: false }, { id: 3 }]
    expect(Object.keys(keyBy(rows, 'id', { on: { $ne: false } }))).toEqual(['1', '3'])
    const mail = [
      { email: 'Ada@X.io', d: 1 },
      { email: 'ada@x.io', d: 3 },
      { email: 'BOB@x.io', d: 2 },
    ]
    expect({ ...maxBy(mail, 'email', 'd', null, { caseless: true }) }).toEqual({ 'ada@x.io': 3, 'bob@x.io': 2 })
    expect(Object.keys(keyBy(mail, 'email', null, { caseless: true }))).toEqual(['ada@x.io', 'bob@x.io'])
    expect(Object.keys(keyBy(mail, 'email'))).toEqual(['Ada@X.io', 'ada@x.io', 'BOB@x.io'])
  })

  it('numberIn reads numbers and Stof number strings in no unit or the one named, nothing else', () => {
    expect([numberIn(40), numberIn('40'), numberIn(' 12.5 '), numberIn('100usd', 'usd'), numberIn('100USD', 'usd')]).toEqual([
      40, 40, 12.5, 100, 100,
    ])
    expect([numberIn('3GB', 'usd'), numberIn('100usd'), numberIn('abc'), numberIn(null), numberIn(Number.NaN), numberIn('-5')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('builds a table once per array and arguments, and freezes it', () => {
    const first = maxBy(activity, 'actor.email_address', 'date')
    expect(maxBy(activity, 'actor.email_address', 'date')).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    // Other arguments or another array: another table.
    expect(maxBy(activity, 'actor.email_address', 'date', { 'actor.type': 'user_actor' })).not.toBe(first)
    expect(maxBy([...activity], 'actor.email_address', 'date')).not.toBe(first)
    expect(keyBy(activity, 'actor.email_address')).not.toBe(keyBy(activity, 'date'))
  })

  it('a mapping evaluated once per page reuses the side-load table across pages', async () => {
    const expr = compileExpression(`$keyBy(sideload.spend, 'userId')`)
    const sideload = {
      spend: [
        { userId: 'u1', cents: 5 },
        { userId: 'u2', cents: 7 },
      ],
    }
    const page1 = await evaluateExpression(expr, { response: { data: [1] }, sideload })
    const page2 = await evaluateExpression(expr, { response: { data: [2] }, sideload })
    expect(page2).toBe(page1)
    expect({ ...(page1 as object) }).toEqual({ u1: sideload.spend[0], u2: sideload.spend[1] })
  })

  it('a single object (a one-row JSONata result) is still a list of one', () => {
    expect({ ...keyBy({ id: 'z' }, 'id') }).toEqual({ z: { id: 'z' } })
    expect({ ...maxBy({ k: 'a', d: '1' }, 'k', 'd', { k: 'a' }) }).toEqual({ a: '1' })
  })

  it('minorUnits gives the same answer on repeated calls (digits remembered per currency)', () => {
    expect(minorUnits(12.34, 'USD')).toBe(1234)
    expect(minorUnits(12.34, 'usd')).toBe(1234)
    expect(minorUnits(500, 'JPY')).toBe(500)
    expect(minorUnits(1.2345, 'KWD')).toBe(1235)
    expect(minorUnits(1, 'XYZ')).toBeUndefined()
  })
})
