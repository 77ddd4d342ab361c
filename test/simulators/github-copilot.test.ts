/**
 * The GitHub Copilot simulator answers as GitHub documents: every body it sends validates against
 * the wire schemas written from GitHub's reference (as GitHub's own examples do), pages are
 * walked through Link headers, per_page is capped at 100, errors are Basic Errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startSimulator } from '../../connectors/github-copilot/simulator'
import { basicErrorSchema, getSeatSchema, listSeatsSchema } from '../../connectors/github-copilot/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { getSeat } from '../fixtures/github-copilot/get-seat'
import { listSeats } from '../fixtures/github-copilot/list-seats'
import { listSeatsSchemaVariants } from '../fixtures/github-copilot/list-seats.schema-variants'

interface SeatsPage {
  total_seats: number
  seats: Array<{ assignee: { id: number; login: string }; plan_type: string; assigning_team: unknown }>
}

function client(sim: RunningSimulator, token = DEFAULT_TOKEN) {
  return (path: string, headers: Record<string, string> = {}) =>
    fetch(sim.baseUrl + path, { headers: { authorization: `Bearer ${token}`, ...headers } })
}

function expectValid(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, body: unknown): void {
  const parsed = schema.safeParse(body)
  expect(parsed.success, JSON.stringify(parsed.error)).toBe(true)
}

/** `rel` → URL of a Link header. */
function links(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of (res.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)) out[m[2]] = m[1]
  return out
}

describe("wire schemas accept GitHub's documented examples", () => {
  it('the list example, the get example and the schema variants', () => {
    expectValid(listSeatsSchema, listSeats)
    expectValid(getSeatSchema, getSeat)
    expectValid(listSeatsSchema, listSeatsSchemaVariants)
  })

  it('and refuse what GitHub does not send (undocumented fields, a numeric status, a bad date)', () => {
    expect(getSeatSchema.safeParse({ ...getSeat, seat_id: 1 }).success).toBe(false)
    expect(getSeatSchema.safeParse({ ...getSeat, pending_cancellation_date: '01/11/2021' }).success).toBe(false)
    expect(getSeatSchema.safeParse({ ...getSeat, plan_type: 'pro' }).success).toBe(false)
    expect(basicErrorSchema.safeParse({ message: 'Not Found', status: 404 }).success).toBe(false)
  })
})

describe('GitHub Copilot simulator', () => {
  let sim: RunningSimulator
  let get: ReturnType<typeof client>
  const seatsPath = (query = '') => `/orgs/${sim.context.org}/copilot/billing/seats${query}`

  beforeAll(async () => {
    sim = await startSimulator({ users: 230, variant: { plan: 'enterprise' } })
    get = client(sim)
  })
  afterAll(() => sim.close())

  it('reports its base URL, token and org', () => {
    expect(sim.baseUrl).toBe(sim.origin)
    expect(sim.credentials).toEqual({ api_key: DEFAULT_TOKEN })
    expect(sim.context).toEqual({ org: 'unimeter-sandbox' })
  })

  it('serves 50 seats by default and caps per_page at 100, every body valid against the schema', async () => {
    const first = await get(seatsPath())
    const body = (await first.json()) as SeatsPage
    expectValid(listSeatsSchema, body)
    expect(body.total_seats).toBe(230)
    expect(body.seats).toHaveLength(50)
    const capped = (await (await get(seatsPath('?per_page=1000'))).json()) as SeatsPage
    expect(capped.seats).toHaveLength(100)
    expectValid(listSeatsSchema, capped)
  })

  it('walks every seat once through rel="next", with first/prev/last as GitHub sends them', async () => {
    const ids: number[] = []
    let url: string | undefined = `${sim.baseUrl}${seatsPath('?per_page=40')}`
    let pages = 0
    while (url) {
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${DEFAULT_TOKEN}` } })
      const body = (await res.json()) as SeatsPage
      expectValid(listSeatsSchema, body)
      ids.push(...body.seats.map((s) => s.assignee.id))
      const rel = links(res)
      if (pages === 0) expect(Object.keys(rel)).toEqual(['next', 'last'])
      if (pages > 0) expect(rel.first).toBe(`${sim.baseUrl}${seatsPath('?per_page=40&page=1')}`)
      url = rel.next
      pages++
    }
    expect(pages).toBe(6)
    expect(new Set(ids).size).toBe(230)
  })

  it('leaves the Link header out when everything fits on one page', async () => {
    const res = await get(seatsPath('?per_page=100&page=3'))
    expect(Object.keys(links(res))).toEqual(['prev', 'first'])
    const small = await startSimulator({ users: 3 })
    try {
      expect((await client(small)(`/orgs/${small.context.org}/copilot/billing/seats`)).headers.get('link')).toBeNull()
    } finally {
      await small.close()
    }
  })

  it('answers the seat get by login, valid against the schema, 404 for a stranger', async () => {
    const { seats } = (await (await get(seatsPath('?per_page=3'))).json()) as SeatsPage
    const res = await get(`/orgs/${sim.context.org}/members/${seats[2].assignee.login}/copilot`)
    const seat = await res.json()
    expectValid(getSeatSchema, seat)
    expect(seat).toEqual(seats[2])
    const missing = await get(`/orgs/${sim.context.org}/members/not-a-member/copilot`)
    expect(missing.status).toBe(404)
    expectValid(basicErrorSchema, await missing.json())
  })

  it('gives enterprise seats enterprise teams, and every assignee a unique numeric id', async () => {
    const { seats } = (await (await get(seatsPath('?per_page=100'))).json()) as SeatsPage
    expect(seats.every((s) => s.plan_type === 'enterprise')).toBe(true)
    expect(seats.some((s) => s.assigning_team && (s.assigning_team as { group_id?: unknown }).group_id === null)).toBe(true)
    expect(seats.some((s) => s.assigning_team === null)).toBe(true)
    expect(new Set(seats.map((s) => s.assignee.id)).size).toBe(seats.length)
    expect(seats.every((s) => Number.isInteger(s.assignee.id))).toBe(true)
  })

  it('matches the organization case-insensitively and answers 404 for another one', async () => {
    expect((await get(`/orgs/${sim.context.org.toUpperCase()}/copilot/billing/seats?per_page=1`)).status).toBe(200)
    const other = await get('/orgs/someone-else/copilot/billing/seats')
    expect(other.status).toBe(404)
    expect(await other.json()).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' })
  })

  it.each([
    ['missing', {}, 'Requires authentication'],
    ['wrong token', { authorization: 'Bearer ghp_wrong' }, 'Bad credentials'],
  ])("401 in GitHub's shape for a %s token", async (_name, headers, message) => {
    const res = await fetch(sim.baseUrl + seatsPath(), { headers })
    expect(res.status).toBe(401)
    const body = await res.json()
    expectValid(basicErrorSchema, body)
    expect(body).toMatchObject({ message, status: '401' })
  })

  it('accepts the classic `token` scheme too, and both documented API versions; refuses others', async () => {
    expect((await fetch(sim.baseUrl + seatsPath('?per_page=1'), { headers: { authorization: `token ${DEFAULT_TOKEN}` } })).status).toBe(200)
    for (const version of ['2022-11-28', '2026-03-10']) {
      const res = await get(seatsPath('?per_page=1'), { 'x-github-api-version': version })
      expect(res.headers.get('x-github-api-version-selected')).toBe(version)
    }
    const bad = await get(seatsPath(), { 'x-github-api-version': '2021-01-01' })
    expect(bad.status).toBe(400)
    expectValid(basicErrorSchema, await bad.json())
  })

  it('sends the primary rate-limit headers on every answer, counting requests', async () => {
    const a = await get(seatsPath('?per_page=1'))
    const b = await get(seatsPath('?per_page=1'))
    expect(a.headers.get('x-ratelimit-limit')).toBe('5000')
    expect(a.headers.get('x-ratelimit-resource')).toBe('core')
    expect(Number(b.headers.get('x-ratelimit-used'))).toBe(Number(a.headers.get('x-ratelimit-used')) + 1)
    expect(Number(b.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
  })

  it('injected faults: a 429 secondary limit with retry-after, errors as Basic Errors', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit' }, path: '/copilot/billing/seats' })
    const limited = await get(seatsPath())
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expectValid(basicErrorSchema, await limited.json())
    sim.faults.add({ fault: { kind: 'status', status: 503, message: 'Service unavailable' }, path: '/copilot/billing/seats' })
    const down = await get(seatsPath())
    expect(await down.json()).toEqual({ message: 'Service unavailable', documentation_url: 'https://docs.github.com/rest', status: '503' })
  })

  it('semantic faults bend the links: empty-but-linked, self-linked and oversized pages', async () => {
    sim.faults.add({ fault: { kind: 'empty-has-more' }, path: '/copilot/billing/seats' })
    const empty = await get(seatsPath('?per_page=10&page=2'))
    expect(((await empty.json()) as SeatsPage).seats).toEqual([])
    expect(links(empty).next).toContain('page=2')
    sim.faults.add({ fault: { kind: 'repeat-cursor' }, path: '/copilot/billing/seats' })
    const again = await get(seatsPath('?per_page=10&page=2'))
    expect(links(again).next).toContain('per_page=10&page=2')
    sim.faults.add({ fault: { kind: 'oversized-page', factor: 3 }, path: '/copilot/billing/seats' })
    const big = await get(seatsPath('?per_page=10&page=2'))
    const bigBody = (await big.json()) as SeatsPage
    expect(bigBody.seats).toHaveLength(30)
    expectValid(listSeatsSchema, bigBody)
    expect(links(big).next).toContain('per_page=10&page=3')
  })
})

describe('GitHub Copilot simulator variants', () => {
  it('copilot off: the seat get answers 422', async () => {
    const sim = await startSimulator({ users: 2, variant: { copilot: 'off' } })
    try {
      const res = await client(sim)(`/orgs/${sim.context.org}/members/anyone/copilot`)
      expect(res.status).toBe(422)
      expectValid(basicErrorSchema, await res.json())
    } finally {
      await sim.close()
    }
  })

  it('same seed, same seats; another seed, other seats', async () => {
    const [a, b, c] = await Promise.all([startSimulator({ users: 5 }), startSimulator({ users: 5 }), startSimulator({ users: 5, seed: 7 })])
    try {
      const seats = async (sim: RunningSimulator) =>
        ((await (await client(sim)(`/orgs/${sim.context.org}/copilot/billing/seats`)).json()) as SeatsPage).seats.map(
          (s) => s.assignee.login,
        )
      expect(await seats(a)).toEqual(await seats(b))
      expect(await seats(c)).not.toEqual(await seats(a))
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })
})
