/**
 * Webhook target URLs through the API (POST and PATCH /webhook): hosts that are, or tunnel to,
 * a private or loopback IPv4 address (6to4, Teredo, NAT64, IPv4-mapped, -compatible and
 * -translated forms) are refused with 400 `url_not_allowed`, like plain private addresses; a
 * host name that does not resolve when the webhook is saved is a 400 `url_not_allowed`, never a
 * 5xx. Public literals are accepted (nothing is resolved or sent when saving).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { answerOf, expectWellFormed } from './support/hostile'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ sandbox: false, env: { UNIMETER_SYNC_SCHEDULER: 'off' } })
})
afterAll(async () => {
  await g?.close()
})

const send = (method: string, path: string, body: unknown) =>
  answerOf(g, path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const create = (target_url: string) => send('POST', '/webhook', { target_url, event_types: ['*'] })

const REFUSED: Array<[string, RegExp]> = [
  ['https://[2002:7f00:1::]/hook', /127\.0\.0\.1 inside 6to4/],
  ['https://[2002:c0a8:101::1]:8443/hook', /192\.168\.1\.1 inside 6to4/],
  ['https://[2002:a9fe:a9fe::]/latest/meta-data', /169\.254\.169\.254 inside 6to4/],
  ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook', /127\.0\.0\.1 inside Teredo/],
  ['https://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/hook', /10\.0\.0\.1 inside Teredo/],
  ['https://[64:ff9b::7f00:1]/hook', /loopback/],
  ['https://[64:ff9b:1::a00:1]/hook', /NAT64 local-use/],
  ['https://[::ffff:127.0.0.1]/hook', /loopback/],
  ['https://[::ffff:0:a00:1]/hook', /private/],
  ['https://[::10.0.0.1]/hook', /private/],
]

describe('webhook target_url: tunnelled and embedded private addresses', () => {
  it.each(REFUSED)('POST %s is 400 url_not_allowed', async (url, why) => {
    const answer = await create(url)
    expectWellFormed(answer, url)
    expect(answer.status, answer.text).toBe(400)
    expect(answer.body.code).toBe('url_not_allowed')
    expect(answer.body.message).toMatch(why)
    expect(answer.body.message).toMatch(/^target_url/)
  })

  it('PATCH to such a target is refused too, and the webhook keeps its URL', async () => {
    const ok = await create('https://[2606:4700:4700::1111]/hook')
    expect(ok.status, ok.text).toBe(201)
    for (const [url] of REFUSED) {
      const answer = await send('PATCH', `/webhook/${ok.body.id}`, { target_url: url })
      expect(answer.status, `${url}: ${answer.text}`).toBe(400)
      expect(answer.body.code).toBe('url_not_allowed')
    }
    expect((await answerOf(g, `/webhook/${ok.body.id}`)).body.target_url).toBe('https://[2606:4700:4700::1111]/hook')
  })

  it.each(['https://[2002:808:808::1]/hook', 'https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/hook', 'https://[64:ff9b::808:808]/hook'])(
    'tunnels to public IPv4 addresses are accepted: %s',
    async (url) => {
      const answer = await create(url)
      expect(answer.status, answer.text).toBe(201)
    },
  )
})

describe('webhook target_url: a name that does not resolve', () => {
  it('is a 400 url_not_allowed on POST and PATCH, never a 5xx', async () => {
    // .invalid never resolves (RFC 6761); the resolver answers from the system, no network needed.
    const url = 'https://receiver.nowhere.invalid/hook?token=secret'
    const created = await create(url)
    expectWellFormed(created, url)
    expect(created.status, created.text).toBe(400)
    expect(created.body.code).toBe('url_not_allowed')
    expect(created.body.message).toMatch(/target_url \(https:\/\/receiver\.nowhere\.invalid\) could not be resolved/)
    expect(created.body.message).not.toContain('secret')

    const ok = await create('https://[2606:4700:4700::1111]/hook')
    const patched = await send('PATCH', `/webhook/${ok.body.id}`, { target_url: url })
    expect(patched.status, patched.text).toBe(400)
    expect(patched.body.code).toBe('url_not_allowed')
  })
})
