/**
 * A gateway tuned for fault injection: short vendor timeout, small retry delays and a low
 * retry-after cap, so every fault resolves in a second or two and a suite stays bounded. The
 * numbers the assertions depend on (retries, timeout) are exported from here.
 */
import { expect } from 'vitest'
import { startTestGateway, type TestGateway } from '../../support/gateway'

export const RETRY_MAX = 2
export const VENDOR_TIMEOUT_MS = 750
export const RETRY_AFTER_CAP_MS = 2500
/** A client-side budget no answer may exceed: a hang in the gateway fails the test, not the run. */
export const CLIENT_BUDGET_MS = 20_000

export const FAULT_ENV: Record<string, string> = {
  UNIMETER_RETRY_MAX: String(RETRY_MAX),
  UNIMETER_RETRY_MIN_DELAY_MS: '5',
  UNIMETER_RETRY_MAX_DELAY_MS: '40',
  UNIMETER_VENDOR_TIMEOUT_MS: String(VENDOR_TIMEOUT_MS),
  UNIMETER_REQUEST_DEADLINE_MS: '8000',
  UNIMETER_RETRY_AFTER_CAP_MS: String(RETRY_AFTER_CAP_MS),
}

/** 12 users by default and pages of 5: three gateway pages, so faults on a later page matter. */
export function startFaultGateway(env: Record<string, string> = {}, users = 12): Promise<TestGateway> {
  return startTestGateway({ env: { ...FAULT_ENV, ...env }, simulator: { users } })
}

export interface Answer {
  status: number
  body: any
  headers: Headers
}

/** A gateway request that must be answered within CLIENT_BUDGET_MS. */
export async function ask(g: TestGateway, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await g.api(path, { ...init, signal: AbortSignal.timeout(CLIENT_BUDGET_MS) })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    /* not JSON: the assertions on body will say so */
  }
  return { status: res.status, body, headers: res.headers }
}

/** The contract's error envelope, with a message that says something. */
export function expectEnvelope(answer: Answer, status: number, extra: Record<string, unknown> = {}): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status)
  expect(answer.headers.get('content-type') ?? '').toMatch(/json/)
  expect(answer.body).toMatchObject({
    statusCode: status,
    error: expect.any(String),
    message: expect.any(String),
    code: expect.any(String),
    ...extra,
  })
  expect(answer.body.message.length).toBeGreaterThan(5)
}

export interface Walk {
  ids: string[]
  pages: number
  partial: boolean
}

/** Follows next_cursor to the end (or `maxPages`), noting whether any page was flagged partial. */
export async function walk(g: TestGateway, firstPath: string, maxPages = 40): Promise<Walk> {
  const out: Walk = { ids: [], pages: 0, partial: false }
  let cursor: string | null = null
  do {
    const answer = await ask(g, cursor ? `${firstPath}&next_cursor=${encodeURIComponent(cursor)}` : firstPath)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    out.ids.push(...answer.body.result.map((r: { id: unknown }) => String(r.id)))
    out.partial ||= answer.body.is_partial_response === true
    cursor = answer.body.next_cursor
    out.pages++
  } while (cursor && out.pages < maxPages)
  expect(cursor, `the walk did not end within ${maxPages} pages`).toBeNull()
  return out
}
