import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { WebSocket } from 'undici'
import { startSimulator, CURRENCY_CREDITS, type LimitrCustomer } from '../../connectors/limitr/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'

type Frame = string | ArrayBuffer

/** A client socket whose frames can be awaited one by one, in order. */
interface Client {
  ws: WebSocket
  next(): Promise<Frame>
  send(data: string | Record<string, unknown>): void
  closed: Promise<number>
}

let sim: RunningSimulator
let snapshot: Record<string, LimitrCustomer>
const sockets: WebSocket[] = []

async function ticket(target: RunningSimulator, token = target.credentials.token): Promise<Response> {
  return fetch(`${target.baseUrl}/wss/ticket`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  })
}

async function freshTicket(target: RunningSimulator): Promise<string> {
  const res = await ticket(target)
  expect(res.status).toBe(200)
  return ((await res.json()) as { ticket: string }).ticket
}

/** Opens a socket with `t`; resolves to the client once open, or to 'refused' if the upgrade fails. */
function open(target: RunningSimulator, t: string): Promise<Client | 'refused'> {
  const ws = new WebSocket(`${target.context.ws_url}?ticket=${encodeURIComponent(t)}`)
  ws.binaryType = 'arraybuffer'
  sockets.push(ws)
  const frames: Frame[] = []
  const waiting: Array<(f: Frame) => void> = []
  ws.addEventListener('message', (e) => {
    const f = e.data as Frame
    const w = waiting.shift()
    if (w) w(f)
    else frames.push(f)
  })
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)))
  const client: Client = {
    ws,
    next: () => (frames.length > 0 ? Promise.resolve(frames.shift()!) : new Promise((r) => waiting.push(r))),
    send: (data) => ws.send(typeof data === 'string' ? data : JSON.stringify(data)),
    closed,
  }
  return new Promise((resolve) => {
    ws.addEventListener('open', () => resolve(client))
    void closed.then(() => resolve('refused'))
  })
}

async function connect(target: RunningSimulator): Promise<Client> {
  const c = await open(target, await freshTicket(target))
  if (c === 'refused') throw new Error('socket refused')
  return c
}

async function nextJson(c: Client): Promise<any> {
  const f = await c.next()
  expect(typeof f).toBe('string')
  return JSON.parse(f as string)
}

beforeAll(async () => {
  sim = await startSimulator()
  snapshot = (await (await fetch(sim.context.snapshot_url)).json()) as Record<string, LimitrCustomer>
})

afterAll(async () => {
  for (const ws of sockets) ws.close()
  await sim?.close()
})

describe('limitr simulator: tickets', () => {
  it('uses the default sandbox token and origin', () => {
    expect(sim.credentials.token).toBe('test_sandbox_unimeter')
    expect(sim.baseUrl).toBe(sim.origin)
    expect(sim.context.ws_url).toBe(`${sim.origin.replace('http', 'ws')}/wss`)
  })

  it('refuses a bad token with 401 {"error":"invalid token"}', async () => {
    const res = await ticket(sim, 'lmlive_not_this_one')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'invalid token' })
  })

  it('refuses a body without a token with 400', async () => {
    const res = await fetch(`${sim.baseUrl}/wss/ticket`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'invalid request' })
  })

  it('issues a ticket for the right token, and accepts an overridden lmlive_ token', async () => {
    expect(typeof (await freshTicket(sim))).toBe('string')
    const live = await startSimulator({ users: 3, variant: { token: 'lmlive_abc123' } })
    try {
      expect((await ticket(live)).status).toBe(200)
      expect((await ticket(live, 'test_sandbox_unimeter')).status).toBe(401)
    } finally {
      await live.close()
    }
  })
})

describe('limitr simulator: websocket', () => {
  it('answers ping with pong', async () => {
    const c = await connect(sim)
    c.send('ping')
    expect(await c.next()).toBe('pong')
  })

  it('pushes a customer record by id and by alt id', async () => {
    const user = Object.values(snapshot).find((x) => x.type === 'user' && x.alt_ids.some((a) => a.startsWith('cus_')))!
    const c = await connect(sim)
    c.send({ type: 'customer', id: user.id })
    const byId = await nextJson(c)
    expect(byId).toEqual(user)
    expect(byId.type).toBe('user')
    expect(byId.id).toBe(user.id)

    const alt = user.alt_ids.find((a) => a.startsWith('cus_'))!
    c.send({ type: 'customer', id: alt })
    expect(await nextJson(c)).toEqual(user)
  })

  it('sends an error frame for an unknown customer', async () => {
    const c = await connect(sim)
    c.send({ type: 'customer', id: 'user_missing' })
    expect(await nextJson(c)).toEqual({ error: 'customer not found', id: 'user_missing', type: 'customer' })
  })

  it('answers the policy request with a binary frame', async () => {
    const c = await connect(sim)
    c.send({ type: 'policy', id: 'active', format: 'bstf' })
    const f = await c.next()
    expect(f).toBeInstanceOf(ArrayBuffer)
    expect((f as ArrayBuffer).byteLength).toBeGreaterThan(0)
  })

  it('refuses a reused ticket and an unknown one', async () => {
    const t = await freshTicket(sim)
    expect(await open(sim, t)).not.toBe('refused')
    expect(await open(sim, t)).toBe('refused')
    expect(await open(sim, 'not-a-ticket')).toBe('refused')
  })

  it('wraps replies in the envelope framing variant', async () => {
    const env = await startSimulator({ users: 6, variant: { framing: 'envelope' } })
    try {
      const snap = (await (await fetch(env.context.snapshot_url)).json()) as Record<string, LimitrCustomer>
      const user = Object.values(snap).find((x) => x.type === 'user')!
      const c = await connect(env)
      c.send({ type: 'customer', id: user.id })
      expect(await nextJson(c)).toEqual({ type: 'customer', id: user.id, customer: user })
    } finally {
      await env.close()
    }
  })
})

describe('limitr simulator: snapshot', () => {
  it('serves customers() as a map keyed by id: users, orgs, refs, caps', () => {
    const all = Object.values(snapshot)
    expect(all).toHaveLength(25)
    for (const [key, c] of Object.entries(snapshot)) {
      expect(c.id).toBe(key)
      expect(Object.keys(c).sort()).toEqual([
        'alt_ids',
        'caps',
        'grants',
        'id',
        'label',
        'metadata',
        'meters',
        'overrides',
        'plan',
        'refs',
        'type',
      ])
    }
    const orgs = all.filter((c) => c.type === 'org')
    const users = all.filter((c) => c.type === 'user')
    expect(orgs).toHaveLength(5)
    for (const u of users) {
      expect(typeof u.metadata?.email).toBe('string')
      for (const ref of u.refs) expect(snapshot[ref]?.type).toBe('org')
    }
    expect(users.some((u) => u.refs.length === 0)).toBe(true)
    expect(users.some((u) => u.refs.length === 1)).toBe(true)
    const currencyCaps = users.flatMap((u) => Object.values(u.caps)).filter((cap) => CURRENCY_CREDITS.includes(cap.credit))
    expect(currencyCaps.length).toBeGreaterThan(0)
    // A positive number, or a Stof number string in the cap's own credit ('50rune', '25usd').
    expect(currencyCaps.every((cap) => (typeof cap.value === 'number' ? cap.value : Number(cap.value.replace(cap.credit, ''))) > 0)).toBe(
      true,
    )
    expect(currencyCaps.some((cap) => typeof cap.value === 'string') && currencyCaps.some((cap) => cap.credit === 'rune')).toBe(true)
    expect(users.some((u) => Object.values(u.caps).some((cap) => !CURRENCY_CREDITS.includes(cap.credit)))).toBe(true)
    expect(all.some((c) => c.alt_ids.some((a) => /^cus_[1-9A-HJ-NP-Za-km-z]{14}$/.test(a)))).toBe(true)
    const allAlts = all.flatMap((c) => c.alt_ids)
    expect(new Set(allAlts).size).toBe(allAlts.length)
  })

  it('serves an array in the array variant', async () => {
    const arr = await startSimulator({ variant: { snapshot: 'array' } })
    try {
      const body = (await (await fetch(arr.context.snapshot_url)).json()) as LimitrCustomer[]
      expect(Array.isArray(body)).toBe(true)
      expect(body).toEqual(Object.values(snapshot))
    } finally {
      await arr.close()
    }
  })

  it('is deterministic per seed', async () => {
    const again = await startSimulator()
    const other = await startSimulator({ seed: 9 })
    try {
      expect(await (await fetch(again.context.snapshot_url)).json()).toEqual(snapshot)
      expect(await (await fetch(other.context.snapshot_url)).json()).not.toEqual(snapshot)
    } finally {
      await Promise.all([again.close(), other.close()])
    }
  })
})

describe('limitr simulator: faults', () => {
  it('hang: the customer request goes unanswered while the socket stays usable', async () => {
    const user = Object.values(snapshot)[1]
    const c = await connect(sim)
    sim.faults.add({ fault: { kind: 'hang' }, path: '/wss', method: 'GET' })
    c.send({ type: 'customer', id: user.id })
    c.send('ping')
    expect(await c.next()).toBe('pong')
    c.send({ type: 'customer', id: user.id })
    expect(await nextJson(c)).toEqual(user)
  })

  it('reset: the socket is dropped without a close frame', async () => {
    const c = await connect(sim)
    sim.faults.add({ fault: { kind: 'reset' }, path: '/wss', method: 'GET' })
    c.send({ type: 'customer', id: Object.keys(snapshot)[0] })
    expect(await c.closed).toBe(1006)
  })

  it('a /wss rule with method GET leaves the ticket endpoint alone', async () => {
    sim.faults.add({ fault: { kind: 'status', status: 503, message: 'upstream down' }, path: '/wss', method: 'GET' })
    const c = await connect(sim)
    c.send({ type: 'customer', id: 'anything' })
    expect(await nextJson(c)).toEqual({ error: 'upstream down', id: 'anything', type: 'customer' })
  })

  it('counts socket traffic in the request log', () => {
    expect(sim.counts.get('GET /wss')).toBeGreaterThan(0)
    expect(sim.counts.get('WS /wss')).toBeGreaterThan(0)
    expect(sim.counts.get('POST /wss/ticket')).toBeGreaterThan(0)
  })
})
