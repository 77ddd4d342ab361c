/**
 * The connect page and the console in a real browser (Debian chromium, playwright-core), with no
 * network beyond the gateway and the test's own app origin. The end user's flows go through the
 * Claude simulator as a production vendor (UNIMETER_CLAUDE_BASE_URL); Truto's link SDK is the
 * real npm package, loaded by the app page. Screenshots go to test-artifacts/ (git-ignored).
 *
 * Truto's iframe mode is not tested because it cannot work against a self-hosted gateway: the
 * SDK's iframe listener accepts messages only from https://app.truto.one and
 * http://localhost:5173 (see README, "Embedding the connect page").
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openIsolatedBrowser, type TestBrowser } from '../support/browser'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'
import { startAppServer, type AppServer } from './support/app-server'

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts')
/** The SDK's default export, as the app page exposes it (its typings lack baseUrl). */
type Authenticate = (token: string, options: Record<string, unknown>) => Promise<unknown>
const WRONG_KEY = 'sk-ant-admin01-wrong-key-0000'

let g: TestGateway
let app: AppServer
let browser: TestBrowser
let claudeKey: string
/** Console errors and failed requests of every page, except the ones a step expects. */
const problems: string[] = []
const expectedErrors: RegExp[] = []

async function api(method: string, path: string, body?: unknown) {
  const res = await g.json(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

const linkToken = (body: Record<string, unknown> = {}) => api('POST', '/link-token', { tenant_id: 'acme', ...body })

function watch(page: Page): void {
  page.on('console', (m) => {
    if (m.type() === 'error' && !expectedErrors.some((re) => re.test(m.text()) || re.test(m.location().url)))
      problems.push(`console: ${m.text()} (${m.location().url})`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`))
}

async function shot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true })
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: 4 },
    env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true', UNIMETER_WEBHOOK_MAX_ATTEMPTS: '1', UNIMETER_WEBHOOK_RETRY_BASE_MS: '10' },
  })
  const sim = g.sandbox!.simulators.get('claude')!
  claudeKey = sim.credentials.api_key
  g.services.env.UNIMETER_CLAUDE_BASE_URL = sim.baseUrl
  app = await startAppServer()
  await api('POST', '/webhook', { target_url: `${app.url}/hook`, event_types: ['integrated_account:created'] })
  browser = await openIsolatedBrowser([g.url, app.url])
  watch(browser.page)
  browser.context.on('page', watch)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await g?.close()
})

async function fillKey(page: Page, key: string) {
  await page.getByLabel('Admin API key').fill(key)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
}

describe('connect page', () => {
  it('picks a vendor, shows the vendor’s refusal, connects, redirects with the id, and cannot be reused', async () => {
    const { page } = browser
    const token = await linkToken({ integrations: ['claude', 'cursor'], redirect_uri: `${app.url}/done` })
    const res = await page.goto(token.url)
    const csp = res!.headers()['content-security-policy']
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    await page.getByRole('button', { name: 'Claude' }).click()
    await expect(page.getByLabel('Admin API key').getAttribute('type')).resolves.toBe('password')
    await shot(page, 'connect-page')

    expectedErrors.push(/status of 422/)
    await fillKey(page, WRONG_KEY)
    const alert = page.locator('form [role=alert]')
    await alert.waitFor({ state: 'visible' })
    const shown = await alert.textContent()
    expect(shown).toContain('Claude rejected the credentials')
    expect(shown).toContain('invalid x-api-key')
    expect(shown).not.toContain(WRONG_KEY)
    await shot(page, 'connect-page-refused')

    await fillKey(page, claudeKey)
    await page.waitForURL(`${app.url}/done?**`)
    const url = new URL(page.url())
    const id = url.searchParams.get('integrated_account_id')!
    expect(url.searchParams.get('integration')).toBe('claude')
    const account = await api('GET', `/integrated-account/${id}`)
    expect(account).toMatchObject({ tenant_id: 'acme', status: 'active', integration_name: 'claude' })
    expect(JSON.stringify(account)).not.toContain(claudeKey)
    await until('the created webhook', async () => app.hooks.find((h) => h.event === 'integrated_account:created' && h.payload.id === id))

    expectedErrors.push(/status of 410/)
    await page.goto(token.url)
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('already used')
    const again = await fetch(`${g.url}/connect/account`, {
      method: 'POST',
      headers: { 'x-link-token': token.link_token, 'content-type': 'application/json' },
      body: JSON.stringify({ integration: 'claude', context: { api_key: claudeKey } }),
    })
    expect(again.status).toBe(410)
  }, 60_000)

  it('works with Truto’s link SDK in a popup: the promise resolves with the new account', async () => {
    const { page, context } = browser
    const token = await linkToken()
    await page.goto(app.url)
    const popupOpened = context.waitForEvent('page')
    const result = page.evaluate(
      ([t, base]) =>
        (window as unknown as { trutoAuthenticate: Authenticate }).trutoAuthenticate(t, {
          baseUrl: base,
          iframe: false,
          integration: 'claude',
        }),
      [token.link_token, g.url],
    )
    const popup = await popupOpened
    await popup.waitForLoadState()
    expect(new URL(popup.url()).pathname).toBe('/connect-account')
    await fillKey(popup, claudeKey)
    const resolved = (await result) as { is_truto: boolean; result: string; integration: string; integrated_account_id: string }
    expect(resolved).toMatchObject({ is_truto: true, result: 'success', integration: 'claude' })
    await expect(api('GET', `/integrated-account/${resolved.integrated_account_id}`)).resolves.toMatchObject({ tenant_id: 'acme' })
  }, 60_000)

  it('works with Truto’s link SDK in the same window, and rejects an invalid token in a popup', async () => {
    const { page } = browser
    const token = await linkToken({ redirect_uri: `${app.url}/done` })
    await page.goto(app.url)
    await page.evaluate(
      ([t, base]) =>
        (window as unknown as { trutoAuthenticate: Authenticate }).trutoAuthenticate(t, {
          baseUrl: base,
          sameWindow: true,
          integration: 'claude',
        }),
      [token.link_token, g.url],
    )
    await page.waitForURL(`${g.url}/connect-account?**`)
    await fillKey(page, claudeKey)
    await page.waitForURL(`${app.url}/done?**`)
    expect(new URL(page.url()).searchParams.get('integrated_account_id')).toMatch(/./)

    expectedErrors.push(/status of 401/)
    await page.goto(app.url)
    const refused = await page.evaluate(
      ([base]) =>
        (window as unknown as { trutoAuthenticate: Authenticate })
          .trutoAuthenticate('lt_not-a-real-token', { baseUrl: base, iframe: false })
          .then(
            () => 'resolved',
            (e: unknown) => (e instanceof Error ? e.message : e),
          ),
      [g.url],
    )
    expect(refused).toBe('This link is not valid: ask the app that sent you here for a new one')
  }, 60_000)

  it('re-authenticates an account in needs_reauth', async () => {
    const { page } = browser
    const accounts = (await api('GET', '/integrated-account?tenant_id=acme')).result
    const target = accounts[0].id
    await g.services.accounts.setStatus(target, 'needs_reauth', 'Claude answered 401')
    const token = await linkToken({ integrated_account_id: target, redirect_uri: `${app.url}/done` })
    await page.goto(token.url)
    await page.getByLabel('Admin API key').fill(claudeKey)
    await page.getByRole('button', { name: 'Update credentials' }).click()
    await page.waitForURL(`${app.url}/done?**`)
    expect(new URL(page.url()).searchParams.get('integrated_account_id')).toBe(target)
    await expect(api('GET', `/integrated-account/${target}`)).resolves.toMatchObject({ status: 'active', last_error: null })
  }, 60_000)
})

describe('console', () => {
  it('signs in, lists accounts, runs a sync to the end, and redelivers a failed webhook', async () => {
    const { page } = browser
    const accountId = (
      await api('POST', '/integrated-account', { integration: 'claude', tenant_id: 'acme', context: { api_key: claudeKey } })
    ).id
    await api('POST', '/sync-job', { integrated_account_id: accountId, resources: [{ resource: 'usage-metering/users' }] })
    await page.goto(`${g.url}/console`)
    await page.getByLabel('API token').fill(TEST_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Integrated accounts' }).waitFor()
    await expect(page.locator('tbody tr', { hasText: accountId }).count()).resolves.toBe(1)
    expect(page.url()).not.toContain(TEST_TOKEN)
    await shot(page, 'console-accounts')

    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    await page.getByRole('button', { name: 'Run now' }).first().click()
    await page.locator('#live-run progress').waitFor()
    await page.locator('#live-run .run:not([data-status=running]):not([data-status=created])').waitFor({ timeout: 30_000 })
    const ended = await page.locator('#live-run').textContent()
    expect(ended).toContain('succeeded')
    const run = (await api('GET', '/sync-job-run?limit=500')).result.find((r: { id: string }) => ended!.includes(r.id))
    expect(run.counts.added).toBeGreaterThan(0)
    expect(ended).toContain(`${run.pages_fetched} pages · ${run.counts.added} added`)
    await page.locator('figure svg[role=img]').first().waitFor()
    await shot(page, 'console-sync')

    app.acceptHooks = false
    const failing = await api('POST', '/integrated-account', {
      integration: 'claude',
      tenant_id: 'globex',
      context: { api_key: claudeKey },
    })
    const webhookId = (await api('GET', '/webhook')).result[0].id
    await until('a failed delivery', async () =>
      (await api('GET', `/webhook/${webhookId}/deliveries?status=failed`)).result.find(
        (d: { event: string }) => d.event === 'integrated_account:created',
      ),
    )
    app.acceptHooks = true
    await page.getByRole('button', { name: 'Webhooks' }).click()
    const row = page.locator('tbody tr', { has: page.locator('.badge.failed') }).first()
    await row.getByRole('button', { name: 'Redeliver' }).click()
    await until('the redelivered hook', async () => app.hooks.find((h) => h.payload.id === failing.id))
    await page.getByRole('button', { name: 'Webhooks' }).click()
    await page.locator('tbody .badge.delivered').first().waitFor()
    await expect(page.locator('tbody .badge.failed').count()).resolves.toBe(0)
    await shot(page, 'console-webhooks')

    await page.getByRole('button', { name: 'API tokens' }).click()
    await page.getByRole('heading', { name: 'API tokens' }).waitFor()
    await shot(page, 'console-tokens')
    expect(problems).toEqual([])
    expect(browser.blocked).toEqual([])
  }, 90_000)
})
