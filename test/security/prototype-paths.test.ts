/**
 * Caller-supplied field paths follow own properties only, on every entry point that takes them
 * (live list, get, super-query list) and in every format (unified, normalized, raw, stream,
 * debug): `truto_exclude_fields=constructor.x` (and any path through an inherited member) names
 * nothing and changes nothing, `truto_key_by=constructor` is a 400 saying so, and super-query
 * sort and filters named after prototype members are refused or ignored — never a 500.
 * Properties are seeded (test/support/seeded.ts).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, SYNC_TEST_ENV, USERS_LIST, usersJob } from '../sync/support/sync-helpers'
import { answerOf, expectWellFormed, PROTOTYPE_NAMES, prototypeIntact } from './support/hostile'

const ACCOUNT = 'sandbox-claude'
const FORMATS = ['unified', 'normalized', 'raw', 'stream', 'debug'] as const
type Format = (typeof FORMATS)[number]
type Entry = 'list' | 'get' | 'super-query'
const ENTRIES: Entry[] = ['list', 'get', 'super-query']

let g: TestGateway
let userId: string
beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 5 }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
  const job = await createJob(g, usersJob(ACCOUNT))
  expect((await runToEnd(g, job.id)).status).toBe('succeeded')
  userId = (await g.json(`${USERS_LIST}?integrated_account_id=${ACCOUNT}&limit=1`)).body.result[0].id
})
afterAll(async () => {
  await g?.close()
})

function urlOf(entry: Entry, format: Format, extra: string): string {
  const base = entry === 'get' ? `${USERS_LIST}/${encodeURIComponent(userId)}` : USERS_LIST
  const sq = entry === 'super-query' ? '&truto_super_query=1' : ''
  const limit = entry === 'get' ? '' : '&limit=5'
  return `${base}?integrated_account_id=${ACCOUNT}${sq}${limit}&truto_response_format=${format}${extra}`
}

/** The records (or the vendor body, for raw) an answer carries, whatever the format's envelope. */
function payloadOf(entry: Entry, format: Format, text: string): unknown {
  if (format === 'stream')
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
  const body = JSON.parse(text)
  if (format === 'raw') return body
  const envelope = format === 'debug' ? body.result : body
  return entry === 'get' ? envelope : envelope.result
}

async function payload(entry: Entry, format: Format, extra = ''): Promise<unknown> {
  const answer = await answerOf(g, urlOf(entry, format, extra))
  expectWellFormed(answer, `${entry} ${format} ${extra}`)
  expect(answer.status, `${entry} ${format} ${extra}: ${answer.text.slice(0, 300)}`).toBe(200)
  return payloadOf(entry, format, answer.text)
}

const baselines = new Map<string, unknown>()
async function baseline(entry: Entry, format: Format): Promise<unknown> {
  const key = `${entry} ${format}`
  if (!baselines.has(key)) baselines.set(key, await payload(entry, format))
  return baselines.get(key)
}

const ISSUE_PATHS = ['constructor.x', 'toString.x', 'hasOwnProperty.a', '__proto__.x']

describe('truto_exclude_fields through inherited members', () => {
  for (const entry of ENTRIES) {
    it.each(FORMATS)(`${entry}, %s: the issue's paths are 200 and change nothing`, async (format) => {
      const expected = await baseline(entry, format)
      for (const path of ISSUE_PATHS) {
        expect(await payload(entry, format, `&truto_exclude_fields=${encodeURIComponent(path)}`), path).toEqual(expected)
      }
      prototypeIntact()
    })
  }

  it('any path through inherited members, on any entry point and format, changes nothing (property)', async () => {
    // A real field first (emails, name, remote_data…) then inherited names: still nothing to remove.
    const inherited = fc.constantFrom(...PROTOTYPE_NAMES)
    const path = fc
      .tuple(
        fc.option(fc.constantFrom('emails', 'name', 'remote_data', 'roles', 'id'), { nil: undefined }),
        fc.array(inherited, { minLength: 1, maxLength: 3 }),
      )
      .map(([head, rest]) => [...(head ? [head] : []), ...rest].join('.'))
    const list = fc.array(path, { minLength: 1, maxLength: 3 })
    const style = fc.constantFrom('comma', 'brackets')
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENTRIES), fc.constantFrom(...FORMATS), list, style, async (entry, format, paths, how) => {
        const extra =
          how === 'comma'
            ? `&truto_exclude_fields=${encodeURIComponent(paths.join(','))}`
            : paths.map((p) => `&truto_exclude_fields[]=${encodeURIComponent(p)}`).join('')
        expect(await payload(entry, format, extra)).toEqual(await baseline(entry, format))
      }),
      { numRuns: 60 },
    )
    prototypeIntact()
  })

  it('a real nested path still removes its field (own properties are followed)', async () => {
    for (const entry of ENTRIES) {
      const records = (await payload(entry, 'unified', '&truto_exclude_fields=emails.is_primary')) as any
      for (const r of entry === 'get' ? [records] : records) {
        expect(r.emails.length, entry).toBeGreaterThan(0)
        for (const e of r.emails) expect(Object.keys(e), entry).not.toContain('is_primary')
      }
    }
  })
})

describe('truto_key_by names an own field or is a 400', () => {
  it.each(['list', 'super-query'] as const)('%s: inherited names are 400 invalid_key_by', async (entry) => {
    for (const field of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      for (const format of ['unified', 'normalized', 'debug'] as const) {
        const answer = await answerOf(g, urlOf(entry, format, `&truto_key_by=${field}`))
        expectWellFormed(answer, `${entry} ${format} key_by=${field}`)
        expect(answer.status, answer.text).toBe(400)
        expect(answer.body).toMatchObject({ code: 'invalid_key_by', message: expect.stringContaining(field) })
      }
    }
    const keyed = await answerOf(g, urlOf(entry, 'unified', '&truto_key_by=id'))
    expect(Object.keys(keyed.body.result)).toHaveLength(5)
    prototypeIntact()
  })
})

describe('super-query sort and filters named after inherited members', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', '-constructor'])(
    'sort_by=%s is a 400 naming the sortable fields',
    async (name) => {
      for (const query of [`&sort_by=${name}`, `&sort_by[${name}]=desc`]) {
        const answer = await answerOf(g, urlOf('super-query', 'unified', query))
        expectWellFormed(answer, query)
        // qs drops a `__proto__` key: `sort_by[__proto__]=desc` is then no sort at all (400 too).
        expect(answer.status, `${query}: ${answer.text}`).toBe(400)
        expect(answer.body.code).toBe('invalid_filter')
        expect(answer.body.message).toMatch(/sort_by/)
      }
    },
  )

  it('filters named after inherited members are not filters: ignored, like any unknown key', async () => {
    const expected = await baseline('super-query', 'unified')
    for (const query of ['&constructor=x', '&toString[gte]=2026-01-01', '&hasOwnProperty[]=a', '&valueOf=1', '&__proto__[status]=active']) {
      expect(await payload('super-query', 'unified', query), query).toEqual(expected)
    }
  })

  it('a real filter given an object keyed by inherited names is a 400 saying what to send', async () => {
    for (const query of ['&status[constructor]=x', '&emails[toString]=a@x.io']) {
      const answer = await answerOf(g, urlOf('super-query', 'unified', query))
      expectWellFormed(answer, query)
      expect(answer.status, answer.text).toBe(400)
      expect(answer.body).toMatchObject({ code: 'invalid_filter', message: expect.stringMatching(/must be a value or a list/) })
    }
  })

  it('range operators named after inherited members are 400 invalid_filter', async () => {
    for (const op of ['constructor', 'toString', 'valueOf']) {
      const answer = await answerOf(g, urlOf('super-query', 'unified', `&updated_at[${op}]=2026-01-01T00:00:00Z`))
      expectWellFormed(answer, op)
      expect(answer.status).toBe(400)
      expect(answer.body).toMatchObject({ code: 'invalid_filter', message: expect.stringContaining(`updated_at[${op}]`) })
    }
  })
})
