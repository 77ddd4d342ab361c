/**
 * What node:http refuses before any handler runs, answered in the contract's envelope over raw
 * sockets on loopback: a request head over 16 KB (a 20 KB query string, 10,000 parameters, a huge
 * header) is 431 `request_header_too_large`, a malformed request line or header is 400
 * `malformed_request`, a request the adapter cannot turn into a URL likewise; more than 500 query
 * parameters in a head that fits is 400 `invalid_query` on every route. The gateway keeps serving.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_HEADER_BYTES } from '../../src/runtime/node/http-limits'
import { MAX_QUERY_PARAMETERS } from '../../src/routes/query-limit'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ sandbox: false, env: { UNIMETER_SYNC_SCHEDULER: 'off' } })
})
afterAll(async () => {
  await g?.close()
})

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: any
  /** The server closed the connection (rather than the test's timeout). */
  closed: boolean
}

/** Writes `text` to a fresh connection and reads until the server closes it (5 s at most). */
function raw(text: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(g.port, '127.0.0.1')
    const chunks: Buffer[] = []
    let closed = false
    const timer = setTimeout(() => socket.destroy(), 5_000)
    socket.on('data', (d) => chunks.push(d))
    socket.on('end', () => {
      closed = true
    })
    // The server may reset after answering a head it stopped reading; the answer came first.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      const answer = Buffer.concat(chunks).toString('utf8')
      const [head, ...rest] = answer.split('\r\n\r\n')
      const [statusLine, ...lines] = head.split('\r\n')
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(answer.slice(0, 200))}`))
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
      let body: unknown = rest.join('\r\n\r\n')
      try {
        body = JSON.parse(body as string)
      } catch {
        /* keep text */
      }
      resolve({ status: Number(m[1]), headers, body, closed })
    })
    socket.write(text)
  })
}

const get = (target: string, extraHeaders = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nConnection: close\r\n${extraHeaders}\r\n`

function expectEnvelope(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status)
  expect(answer.headers['content-type']).toMatch(/^application\/json/)
  expect(answer.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String), code })
  expect(answer.body.message.length).toBeGreaterThan(20)
}

describe('request heads over the limit: 431 in the envelope', () => {
  it.each([
    ['a 20 KB query string', get(`/unified/usage-metering/users?integrated_account_id=x&q=${'a'.repeat(20 * 1024)}`)],
    ['10,000 query parameters', get(`/integrated-account?${Array.from({ length: 10_000 }, (_, i) => `p${i}=1`).join('&')}`)],
    ['a 20 KB header', get('/health', `x-big: ${'b'.repeat(20 * 1024)}\r\n`)],
    ['4,000 small headers', get('/health', Array.from({ length: 4_000 }, (_, i) => `x-h${i}: v\r\n`).join(''))],
  ])('%s', async (_what, request) => {
    const answer = await raw(request)
    expectEnvelope(answer, 431, 'request_header_too_large')
    expect(answer.body.message).toContain(String(MAX_HEADER_BYTES))
    expect(answer.headers.connection).toBe('close')
    expect(answer.closed).toBe(true)
  })

  it('as fetch clients see it', async () => {
    const res = await g.api(`/unified/usage-metering/users?integrated_account_id=x&q=${'a'.repeat(20 * 1024)}`)
    expect(res.status).toBe(431)
    expect(await res.json()).toMatchObject({ statusCode: 431, error: 'Request Header Fields Too Large', code: 'request_header_too_large' })
  })

  it('a head just under the limit is served', async () => {
    const answer = await raw(get(`/health?pad=${'a'.repeat(MAX_HEADER_BYTES - 200)}`))
    expect(answer.status).toBe(200)
  })

  it('after a keep-alive request, an oversized second one is answered on the same connection', async () => {
    const socket = connect(g.port, '127.0.0.1')
    let text = ''
    const received = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => (pattern.test(text) ? resolve() : socket.once('data', check))
        check()
      })
    socket.on('data', (d) => (text += d.toString('utf8')))
    socket.on('error', () => undefined)
    const closed = new Promise((resolve) => socket.on('close', resolve))
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await received(/"status":"ok"/)
    socket.write(get(`/health?q=${'a'.repeat(20 * 1024)}`))
    await closed
    expect(text).toMatch(/^HTTP\/1\.1 200 /)
    expect(text).toMatch(/HTTP\/1\.1 431 Request Header Fields Too Large\r\n[\s\S]*"code":"request_header_too_large"/)
  })
})

describe('malformed requests: 400 in the envelope', () => {
  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['an unknown HTTP version', 'GET /health HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['a space in the target', 'GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a header line without a colon', 'GET /health HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n'],
    ['a control character in a header value', 'GET /health HTTP/1.1\r\nHost: x\r\nx-a: a\u0001b\r\n\r\n'],
    ['two content lengths', 'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}'],
    ['a bad chunked body', 'POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
  ])('%s', async (_what, request) => {
    const answer = await raw(request)
    expectEnvelope(answer, 400, 'malformed_request')
    expect(answer.closed).toBe(true)
  })

  it.each([
    ['a Host header that is not a host', get('/health').replace('Host: 127.0.0.1', 'Host: exa mple')],
    ['a backslash in the path', get('/health\\..\\x')],
  ])('%s (refused by the adapter)', async (_what, request) => {
    expectEnvelope(await raw(request), 400, 'malformed_request')
  })
})

describe('query parameters are bounded on every route', () => {
  const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&')

  it.each(['/integrated-account', '/health', '/unified/usage-metering/users', '/sync-job', '/webhook', '/no-such-route'])(
    `%s with ${MAX_QUERY_PARAMETERS + 1} parameters is 400 invalid_query`,
    async (path) => {
      const answer = await raw(get(`${path}?${params(MAX_QUERY_PARAMETERS + 1)}`))
      expectEnvelope(answer, 400, 'invalid_query')
      expect(answer.body.message).toContain(`at most ${MAX_QUERY_PARAMETERS}`)
    },
  )

  it(`${MAX_QUERY_PARAMETERS} parameters are accepted`, async () => {
    const answer = await raw(get(`/integrated-account?${params(MAX_QUERY_PARAMETERS)}`))
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  })

  it('empty pieces between separators are not parameters', async () => {
    const answer = await raw(get(`/integrated-account?${'&'.repeat(2_000)}a=1`))
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  })
})

it('the gateway keeps serving after all of the above', async () => {
  expect((await g.api('/health')).status).toBe(200)
})
