/**
 * Generators of hostile input for the property suites (query strings, ids, JSON bodies) and the
 * checks every answer must pass: no 5xx the vendor did not cause, the contract's envelope with a
 * message on every error, nothing forwarded to a vendor that it should not get.
 */
import fc from 'fast-check'
import { expect } from 'vitest'
import type { TestGateway } from '../../support/gateway'

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype']

/** Names an object inherits: Object.prototype's, and those arrays, strings and functions have. */
export const PROTOTYPE_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
  'length',
  'name',
  'map',
  'push',
  'call',
  'apply',
  'bind',
  'charAt',
]

const keyNames = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, 'toString', 'hasOwnProperty', 'valueOf', 'polluted'),
  fc.constantFrom(
    'limit',
    'next_cursor',
    'cursor',
    'truto_response_format',
    'truto_key_by',
    'truto_ignore_limit',
    'truto_ignore_remote_data',
  ),
  fc.constantFrom('truto_exclude_fields', 'truto_super_query', 'integrated_account_id', 'date', 'email', 'context', 'remote_query'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
)

const values = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.constantFrom('-1', '0', '1e309', '99999999999999999999', 'NaN', 'Infinity', '-0', '1.5', '0x10', 'true', 'null', 'undefined', ''),
  fc.constantFrom('unified', 'raw', 'normalized', 'stream', 'debug', 'xml', 'id', 'remote_data,id', '\r\nX-Injected: 1', '../../admin'),
  fc.string({ maxLength: 5000 }).map((s) => s.repeat(3)),
)

/** A key path in qs syntax: `a`, `a[b]`, `a[]`, `a[b][c]…` up to 10 levels (beyond qs's depth of 5). */
const keyPath = fc
  .tuple(keyNames, fc.array(fc.oneof(keyNames, fc.constant('')), { maxLength: 10 }))
  .map(([root, rest]) => root + rest.map((k) => `[${k}]`).join(''))

/** How a segment is written: properly encoded, raw (stray & = # %), or with a broken escape. */
const encoders = fc.constantFrom(
  (s: string) => encodeURIComponent(s).replace(/%5B/g, '[').replace(/%5D/g, ']'),
  (s: string) => s,
  (s: string) => `${encodeURIComponent(s)}%E0%A4%A`,
  (s: string) => `${s}%`,
)

const segment = fc.tuple(keyPath, values, encoders, encoders).map(([k, v, ek, ev]) => `${ek(k)}=${ev(v)}`)

/** A query string aimed at one account (usually): random segments around a valid account id. */
export function hostileQuery(accountIds: string[]): fc.Arbitrary<string> {
  const account = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...accountIds).map((id) => `integrated_account_id=${encodeURIComponent(id)}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'integrated_account_id=',
        'integrated_account_id[]=x',
        'integrated_account_id[__proto__]=x',
        'integrated_account_id=nope',
      ),
    },
  )
  return fc
    .tuple(account, fc.array(segment, { maxLength: 12 }), fc.boolean())
    .map(([a, segs, first]) => (first ? [a, ...segs] : [...segs, a]).filter(Boolean).join('&'))
}

/** Ids a caller might try to escape the vendor path with, and plain random ones. */
export const hostileId = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '../admin',
    '..%2Fadmin',
    '%2e%2e',
    '%2E%2E%2Fx',
    'a/b',
    'a%2Fb',
    '%252F',
    '?x=1',
    '#frag',
    'id;x=1',
    '\\..\\x',
  ),
  fc.constantFrom('%0D%0AX-Injected:%201', 'a\r\nb', '\u0000', '%00', ' ', '\u202e', '😀', 'x'.repeat(600)),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
)

export interface Answer {
  status: number
  text: string
  body: any
}

/** A gateway request (admin token) that must be answered within 15 s; the body parsed when it is JSON. */
export async function answerOf(g: TestGateway, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await g.api(path, { ...init, signal: AbortSignal.timeout(15_000) })
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: res.status, text, body }
}

/** No 5xx unless the vendor caused it; every error is the contract's envelope with a message. */
export function expectWellFormed(answer: Answer, context: string): void {
  const where = `${context} → ${answer.status} ${answer.text.slice(0, 300)}`
  if (answer.status >= 500) expect(answer.body?.truto_is_remote_error, where).toBe(true)
  if (answer.status >= 400) {
    expect(answer.body, where).toMatchObject({
      statusCode: answer.status,
      error: expect.any(String),
      message: expect.any(String),
      code: expect.any(String),
    })
    expect(answer.body.message.length, where).toBeGreaterThan(5)
  }
}

/** Each key of a query string the vendor received, decoded: its top-level name and every segment. */
export function forwardedKeys(search: string): Array<{ root: string; segments: string[] }> {
  return [...new URLSearchParams(search).keys()].map((k) => ({ root: k.split('[')[0], segments: k.split(/[[\]]+/).filter(Boolean) }))
}

export function prototypeIntact(): void {
  expect(Object.keys(Object.prototype)).toEqual([])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
}
