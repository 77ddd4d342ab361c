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
import { startTestGateway, TEST_TOKEN, walkAll, type TestGateway } from '../support/gateway'
import { usageMeteringUsage } from '../../src/models/usage-metering/usage'
import { formatMoney, majorValue } from '../../src/ui/browser/money'
import { storeRecords } from '../sync/support/stored-records'
import { createJob, runToEnd } from '../sync/support/sync-helpers'
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

  it('shows usage from the synced copies: the numbers are the API’s aggregates, currencies apart', async () => {
    const { page } = browser
    // Usage synced from the sandbox simulators (tenant "sandbox": one account per vendor).
    const synced = ['sandbox-claude', 'sandbox-cursor', 'sandbox-github-copilot']
    for (const id of synced) {
      // Reports that carry cost: Claude Code's activity (estimated cost per person and day) and
      // Cursor's per-request usage (its daily activity has none).
      const report: Record<string, string> = { 'sandbox-claude': 'activity', 'sandbox-cursor': 'usage' }
      const query = report[id] ? { report_type: report[id] } : {}
      const job = await createJob(g, { integrated_account_id: id, resources: [{ resource: 'usage-metering/usage', query }] })
      expect((await runToEnd(g, job.id)).status).toBe('succeeded')
    }
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.getByRole('button', { name: 'Usage', exact: true }).click()
    await page.locator('#usage-scope').selectOption('tenant:sandbox')
    const from = await page.locator('#usage-from').inputValue()
    const to = await page.locator('#usage-to').inputValue()
    const end = new Date(Date.parse(to) + 86_400_000).toISOString().slice(0, 10)
    const base = `/unified/usage-metering/usage?tenant_id=sandbox&truto_super_query=1&start_date=${from}&end_date=${end}`
    // No simulator bills dated usage in a second currency (Limitr's euro meters carry no dates
    // and it does not sync by window): one euro bucket is stored as a sync stores it.
    const people = (await walkAll(g, `${base}&limit=1000`)).records
    const topUsd = people.find((p: any) => p.user?.email && p.charges.some((c: any) => c.currency === 'USD'))
    await storeRecords(g.services.db, 'sandbox-claude', usageMeteringUsage, [
      {
        id: 'eur-bucket',
        user: { id: null, email: topUsd.user.email, name: null },
        start_date: `${to}T00:00:00.000Z`,
        end_date: `${end}T00:00:00.000Z`,
        charges: [{ amount: '1234.5', currency: 'EUR', type: 'total' }],
        remote_data: {},
      },
    ])
    await page.getByRole('button', { name: 'Show usage' }).click()
    await page.locator('#usage-chart figure').waitFor()

    // Cost per vendor: one row per account, currency and type, exactly the API's sums.
    const label: Record<string, string> = { claude: 'Claude', cursor: 'Cursor', 'github-copilot': 'GitHub Copilot' }
    const types = (await walkAll(g, `${base}&group_by[]=charge_type&limit=1000`)).records
    const expected = types.flatMap((row: any) => [
      ...row.by_account.flatMap((a: any) =>
        a.charges.map((c: any) => [label[a.integration], a.integrated_account_id, c.currency, c.type, formatMoney(c.amount, c.currency)]),
      ),
      ...(row.by_account.length > 1
        ? row.charges.map((c: any) => ['All vendors', '–', c.currency, c.type, formatMoney(c.amount, c.currency)])
        : []),
    ])
    const shown = await page
      .locator('#usage-vendors tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent)))
    expect(shown.sort()).toEqual(expected.sort())
    expect(shown.filter((r) => r[2] === 'EUR')).toEqual([['Claude', 'sandbox-claude', 'EUR', 'total', '12.345 EUR']])
    expect(shown.filter((r) => r[2] === 'USD').length).toBeGreaterThan(1)
    const unsynced = await page.locator('#usage-unsynced li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-account')))
    expect(unsynced.sort()).toEqual(['sandbox-limitly', 'sandbox-limitr', 'sandbox-neon', 'sandbox-openai-codex'])
    await shot(page, 'console-usage')

    // Cost per day: the chart's table is the API's day rows, per vendor and in all, one currency
    // and charge type at a time.
    const days = (await walkAll(g, `${base}&group_by[]=day&group_by[]=charge_type&limit=1000`)).records
    async function chartEqualsApi(currency: string, type: string) {
      await page.locator('#usage-charge').selectOption(`${currency}|${type}`)
      const head = await page.locator('#usage-chart details thead th').allTextContents()
      const rows = await page
        .locator('#usage-chart details tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
      const amount = (charges: any[]) => charges.find((c) => c.currency === currency && c.type === type)
      const billed = days.filter((r: any) => r.charge_type === type && amount(r.charges))
      const expected = Object.fromEntries(
        billed.map((r: any) => {
          const perVendor = head.slice(1, -1).map((name) => {
            const c = amount(r.by_account.find((a: any) => label[a.integration] === name)?.charges ?? [])
            return c ? formatMoney(c.amount, currency) : '–'
          })
          return [r.day, [r.day, ...perVendor, formatMoney(amount(r.charges).amount, currency)]]
        }),
      )
      expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(Object.keys(expected)))
      for (const row of rows) expect(row).toEqual(expected[row[0]!] ?? [row[0], ...head.slice(1).map(() => '–')])
      return { head, billed: rows.filter((r) => r.at(-1) !== '–') }
    }
    expect((await chartEqualsApi('USD', 'total')).billed.length).toBeGreaterThan(3)
    expect((await chartEqualsApi('EUR', 'total')).billed).toEqual([[to, '12.345 EUR', '12.345 EUR']])
    // Two vendors in one chart: Cursor's included requests (billed at zero) and Copilot's.
    const included = await chartEqualsApi('USD', 'included')
    expect(included.head).toEqual(['Day', 'Cursor', 'GitHub Copilot', 'All'])
    expect(included.billed.some((r) => r[1] !== '–' && r[2] !== '–')).toBe(true)

    // Top people, ranked by cost in dollars: the API's people rows, euros kept on their own line.
    const usdCost = (p: any) => majorValue(p.charges.find((c: any) => c.currency === 'USD' && c.type === 'total')?.amount ?? 0, 'USD')
    const top = people
      .filter((p: any) => usdCost(p) > 0)
      .sort((a: any, b: any) => usdCost(b) - usdCost(a) || (a.id < b.id ? -1 : 1))
      .slice(0, 20)
    const peopleShown = await page
      .locator('#usage-people-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('td')].map(
            (td) => [...td.querySelectorAll('li')].map((li) => li.textContent).join(' + ') || td.textContent,
          ),
        ),
      )
    expect(peopleShown.map((r) => r[0])).toEqual(top.map((p: any) => p.user?.email ?? 'Not attributed to a person'))
    // Each currency and type of a person on its own line: the euros beside, not inside, the dollars.
    const first = peopleShown.find((r) => r[0] === topUsd.user.email)!
    const lines = [{ amount: '1234.5', currency: 'EUR', type: 'total' }, ...topUsd.charges]
      .map((c: any) => `${formatMoney(c.amount, c.currency)} (${c.type})`)
      .sort()
    expect(first[2].split(' + ').sort()).toEqual(lines)
    // Ranked by tokens with the keyboard alone.
    await page.locator('#usage-rank').focus()
    const tokensIndex = (await page.locator('#usage-rank option').allTextContents()).indexOf('Tokens')
    const current = await page.locator('#usage-rank').evaluate((s: HTMLSelectElement) => s.selectedIndex)
    for (let i = current; i < tokensIndex; i++) await page.keyboard.press('ArrowDown')
    await expect(page.locator('#usage-rank').inputValue()).resolves.toBe('tokens')
    const byTokens = people
      .filter((p: any) => Object.values(p.usage.tokens).length)
      .map((p: any) => [p.user?.email, Object.values(p.usage.tokens as Record<string, number>).reduce((s, n) => s + n, 0)])
      .sort((a: any, b: any) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    await expect(page.locator('#usage-people-table tbody tr td:nth-child(4)').first().textContent()).resolves.toBe(
      byTokens[0][1].toLocaleString('en-US'),
    )

    // An account without a copy: the button creates its usage sync job, runs it, and redraws.
    await page.locator('#usage-unsynced li[data-account=sandbox-neon]').getByRole('button', { name: 'Start a usage sync' }).click()
    await until('the Neon sync and the redraw', async () =>
      (await page.locator('#usage-unsynced li').count()) === 3 && (await page.locator('#usage-chart figure').count()) === 1
        ? true
        : undefined,
    )
    const neonJobs = (await api('GET', '/sync-job?limit=500')).result.filter((j: any) => j.integrated_account_id === 'sandbox-neon')
    expect(neonJobs.map((j: any) => j.resources[0].resource)).toEqual(['usage-metering/usage'])

    // One account without a copy: named with its button instead of numbers; a period backwards is refused.
    expectedErrors.push(/status of 422/)
    await page.locator('#usage-scope').selectOption('account:sandbox-limitly')
    await page.getByRole('button', { name: 'Show usage' }).click()
    await page.locator('#usage-unsynced li[data-account=sandbox-limitly]').getByRole('button', { name: 'Start a usage sync' }).waitFor()
    await expect(page.locator('#usage-chart').count()).resolves.toBe(0)
    await page.locator('#usage-from').fill(to)
    await page.locator('#usage-to').fill(from)
    await page.getByRole('button', { name: 'Show usage' }).click()
    await expect(page.locator('#usage-results [role=alert]').textContent()).resolves.toContain('first day is on or before its last')
    await page.locator('#usage-from').fill('2020-01-01')
    await page.locator('#usage-to').fill(to)
    await page.getByRole('button', { name: 'Show usage' }).click()
    await expect(page.locator('#usage-results [role=alert]').textContent()).resolves.toContain('at most 366 days')

    // Narrow screens: nothing wider than the viewport but the tables' own scroll boxes.
    await page.setViewportSize({ width: 375, height: 800 })
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true)
    await shot(page, 'console-usage-narrow')
    expect(problems).toEqual([])
    expect(browser.blocked).toEqual([])
  }, 120_000)
})
