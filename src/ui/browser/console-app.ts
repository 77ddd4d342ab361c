/**
 * The operator console: the gateway's own API, called with an API token the operator types once
 * (kept as console-kit.ts says). Screens: integrated accounts, sync jobs and runs (followed live
 * while running), usage and cost from the synced copies (usage-screen.ts), webhook deliveries,
 * API tokens (admin tokens only), with charts of seats per vendor over time and of run durations
 * and records.
 */
import type { AccountView } from '../../accounts/account-store'
import type { JobView, RunView } from '../../sync/api-schemas'
import type { DeliveryView, WebhookView } from '../../webhooks/api-schemas'
import { lineChart, pairedBars } from './charts'
import { action, api, badge, failed, follow, main, message, runLine, say, table, TOKEN_KEY, type Page } from './console-kit'
import { h, isFailure, replace } from './dom'
import { usageScreen } from './usage-screen'

const USERS = 'usage-metering/users'
const root = document.getElementById('app')!
interface TokenView {
  id: string
  name: string
  prefix: string
  role: string
  tenant_id: string | null
  created_at: string
  revoked_at: string | null
}

const seconds = (r: RunView) =>
  r.started_at && r.finished_at ? Math.round((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 100) / 10 : 0
const records = (r: RunView) => r.counts.added + r.counts.updated + r.counts.unchanged

function linkBox(url: string): HTMLElement {
  return h(
    'div',
    { class: 'linkbox' },
    h('label', { for: 'link-url' }, 'Connect link (give it to the end user; it works once)'),
    h('input', { id: 'link-url', readonly: true, value: url }),
  )
}

// ---- Accounts ------------------------------------------------------------------------------

async function accountsScreen(): Promise<void> {
  const accounts = (await api<Page<AccountView>>('/integrated-account?limit=500')).result
  const out = h('div', { id: 'link-out' })
  const tenant = h('input', { id: 'new-tenant', required: true, autocomplete: 'off' })
  const form = h(
    'form',
    { class: 'inline' },
    h('label', { for: 'new-tenant' }, 'Tenant'),
    tenant,
    h('button', { type: 'submit' }, 'Create connect link'),
  )
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    api<{ url: string }>('/link-token', 'POST', { tenant_id: tenant.value.trim() })
      .then((t) => replace(out, linkBox(t.url)))
      .catch(failed)
  })
  const rows = accounts.map((a) => [
    h('code', {}, a.id),
    a.integration.label,
    a.tenant_id,
    badge(a.status),
    a.last_error,
    h(
      'div',
      { class: 'row-actions' },
      action('Re-verify', async () => {
        const checked = await api<AccountView>(`/integrated-account/${a.id}/verify`, 'POST')
        say(`${a.integration.label} account ${a.id}: ${checked.status}`)
        await show('accounts')
      }),
      a.tenant_id
        ? action('Re-auth link', async () => {
            const t = await api<{ url: string }>('/link-token', 'POST', { integrated_account_id: a.id })
            replace(out, linkBox(t.url))
          })
        : null,
      action(
        'Delete',
        async () => {
          if (!confirm(`Delete the ${a.integration.label} account ${a.id}? Its sync jobs go with it.`)) return
          await api(`/integrated-account/${a.id}`, 'DELETE')
          say(`Deleted ${a.id}`)
          await show('accounts')
        },
        { class: 'danger' },
      ),
    ),
  ])
  replace(
    main,
    h('h2', {}, 'Integrated accounts'),
    form,
    out,
    table(['Id', 'Integration', 'Tenant', 'Status', 'Last error', 'Actions'], rows, 'No accounts yet.'),
  )
}

// ---- Sync ----------------------------------------------------------------------------------

function seatsChart(accounts: AccountView[], jobs: JobView[], runs: RunView[]): HTMLElement | null {
  const usersJobs = new Set(jobs.filter((j) => j.resources.length === 1 && j.resources[0].resource === USERS).map((j) => j.id))
  const vendorOf = new Map(accounts.map((a) => [a.id, a.integration.label]))
  const done = runs
    .filter((r) => r.status === 'succeeded' && r.finished_at && usersJobs.has(r.sync_job_id) && vendorOf.has(r.integrated_account_id))
    .sort((a, b) => a.finished_at!.localeCompare(b.finished_at!))
  if (done.length === 0) return null
  const days = [...new Set(done.map((r) => r.finished_at!.slice(0, 10)))]
  const latest = new Map<string, number>()
  const vendors = [...new Set(done.map((r) => vendorOf.get(r.integrated_account_id)!))]
  const values = new Map(vendors.map((v) => [v, [] as number[]]))
  let i = 0
  for (const day of days) {
    for (; i < done.length && done[i].finished_at!.slice(0, 10) === day; i++) latest.set(done[i].integrated_account_id, records(done[i]))
    for (const v of vendors) values.get(v)!.push([...latest].filter(([acc]) => vendorOf.get(acc) === v).reduce((s, [, n]) => s + n, 0))
  }
  return lineChart(
    'Seats per vendor (users seen by the last sync of each account, per day)',
    days,
    vendors.map((v) => ({ name: v, values: values.get(v)! })),
  )
}

async function syncScreen(): Promise<void> {
  const [jobs, runs, accounts] = await Promise.all([
    api<Page<JobView>>('/sync-job?limit=500').then((p) => p.result),
    api<Page<RunView>>('/sync-job-run?limit=500').then((p) => p.result),
    api<Page<AccountView>>('/integrated-account?limit=500').then((p) => p.result),
  ])
  const live = h('div', { id: 'live-run', 'aria-live': 'polite' })
  const jobRows = jobs.map((j) => [
    h('code', {}, j.id),
    h('code', {}, j.integrated_account_id),
    j.resources.map((r) => r.resource).join(', '),
    j.schedule ?? 'manual',
    badge(j.status),
    action('Run now', async () => {
      const run = await api<RunView>(`/sync-job/${j.id}/run`, 'POST')
      const ended = await follow(run.id, live)
      // Redrawn for the charts and the run list; the ended run stays in view, drawn at once (a
      // second poll would leave the new live region empty meanwhile).
      await show('sync', false)
      replace(document.getElementById('live-run')!, runLine(ended))
      say(`Run ${run.id} ended`)
    }),
  ])
  const recent = [...runs].sort((a, b) => b.created_at.localeCompare(a.created_at))
  const runRows = recent
    .slice(0, 50)
    .map((r) => [
      h('code', {}, r.id),
      badge(r.status),
      r.started_at,
      `${seconds(r)} s`,
      r.pages_fetched,
      records(r),
      r.counts.deleted,
      r.error?.message ?? null,
    ])
  const finished = recent
    .filter((r) => r.finished_at)
    .slice(0, 30)
    .reverse()
  replace(
    main,
    h('h2', {}, 'Sync jobs'),
    table(['Job', 'Account', 'Resources', 'Schedule', 'Status', ''], jobRows, 'No sync jobs yet (POST /sync-job).'),
    live,
    h('h2', {}, 'Charts'),
    seatsChart(accounts, jobs, runs) ??
      h('p', { class: 'muted' }, 'Seats appear once a job syncing usage-metering/users alone has succeeded.'),
    finished.length
      ? pairedBars(
          'Recent runs: duration and records',
          finished.map((r) => ({ name: r.id.slice(0, 8), a: seconds(r), b: records(r) })),
          ['seconds', 'records'],
        )
      : null,
    h('h2', {}, 'Runs'),
    table(['Run', 'Status', 'Started', 'Duration', 'Pages', 'Records', 'Deleted', 'Error'], runRows, 'No runs yet.'),
  )
}

// ---- Webhooks ------------------------------------------------------------------------------

async function webhooksScreen(): Promise<void> {
  const hooks = (await api<Page<WebhookView>>('/webhook?limit=500')).result
  const sections = await Promise.all(
    hooks.map(async (w) => {
      const deliveries = (await api<Page<DeliveryView>>(`/webhook/${w.id}/deliveries?limit=50`)).result
      const rows = deliveries.map((d) => [
        d.event,
        badge(d.status),
        d.attempts,
        d.last_status_code,
        d.last_error,
        d.created_at,
        d.status === 'pending'
          ? null
          : action('Redeliver', async () => {
              await api(`/webhook/${w.id}/deliveries/${d.id}/redeliver`, 'POST')
              say(`Delivery ${d.id} queued again`)
              await show('webhooks', false)
            }),
      ])
      return h(
        'section',
        {},
        h('h3', {}, w.target_url, ' ', badge(w.is_active ? 'active' : 'inactive')),
        table(['Event', 'Status', 'Attempts', 'HTTP', 'Last error', 'Created', ''], rows, 'No deliveries yet.'),
      )
    }),
  )
  replace(
    main,
    h('h2', {}, 'Webhook deliveries'),
    ...(sections.length ? sections : [h('p', { class: 'muted' }, 'No webhooks (POST /webhook).')]),
  )
}

// ---- API tokens ----------------------------------------------------------------------------

async function tokensScreen(): Promise<void> {
  const tokens = (await api<Page<TokenView>>('/api-token')).result
  const out = h('div')
  const name = h('input', { id: 'token-name', required: true })
  const role = h('select', { id: 'token-role' }, ...['read', 'write', 'admin'].map((r) => h('option', { value: r }, r)))
  const tenant = h('input', { id: 'token-tenant', placeholder: 'every tenant' })
  const form = h(
    'form',
    { class: 'inline' },
    h('label', { for: 'token-name' }, 'Name'),
    name,
    h('label', { for: 'token-role' }, 'Role'),
    role,
    h('label', { for: 'token-tenant' }, 'Tenant'),
    tenant,
    h('button', { type: 'submit' }, 'Create token'),
  )
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    api<{ token: string }>('/api-token', 'POST', {
      name: name.value.trim(),
      role: role.value,
      ...(tenant.value.trim() ? { tenant_id: tenant.value.trim() } : {}),
    })
      .then(async (t) => {
        await show('tokens', false)
        replace(
          out,
          h(
            'div',
            { class: 'linkbox' },
            h('label', { for: 'new-token' }, 'The new token (shown only now)'),
            h('input', { id: 'new-token', readonly: true, value: t.token }),
          ),
        )
      })
      .catch(failed)
  })
  const rows = tokens.map((t) => [
    t.name,
    h('code', {}, t.prefix),
    t.role,
    t.tenant_id ?? 'every tenant',
    t.created_at,
    t.revoked_at
      ? badge('revoked')
      : action(
          'Revoke',
          async () => {
            if (!confirm(`Revoke the token "${t.name}"? Requests with it are refused from now on.`)) return
            await api(`/api-token/${t.id}`, 'DELETE')
            await show('tokens', false)
          },
          { class: 'danger' },
        ),
  ])
  replace(main, h('h2', {}, 'API tokens'), form, out, table(['Name', 'Prefix', 'Role', 'Tenant', 'Created', ''], rows, 'No tokens.'))
}

// ---- Shell ---------------------------------------------------------------------------------

const SCREENS = {
  accounts: ['Accounts', accountsScreen],
  sync: ['Sync', syncScreen],
  usage: ['Usage', usageScreen],
  webhooks: ['Webhooks', webhooksScreen],
  tokens: ['API tokens', tokensScreen],
} as const
type Screen = keyof typeof SCREENS
const nav = h('nav', { 'aria-label': 'Console sections' })

async function show(screen: Screen, clearStatus = true): Promise<void> {
  for (const b of nav.querySelectorAll('button[data-screen]'))
    b.setAttribute('aria-current', b.getAttribute('data-screen') === screen ? 'page' : 'false')
  if (clearStatus) say('')
  try {
    await SCREENS[screen][1]()
  } catch (err) {
    failed(err)
  }
}

async function signedIn(): Promise<void> {
  let admin = true
  try {
    await api('/api-token')
  } catch (err) {
    if (isFailure(err) && err.status === 401) return signIn('That token was not accepted.')
    admin = false
  }
  const screens = (Object.keys(SCREENS) as Screen[]).filter((s) => admin || s !== 'tokens')
  replace(nav, ...screens.map((s) => h('button', { type: 'button', 'data-screen': s, onclick: () => void show(s) }, SCREENS[s][0])))
  const out = h('button', { type: 'button', class: 'link', onclick: () => (sessionStorage.removeItem(TOKEN_KEY), signIn()) }, 'Sign out')
  replace(root, h('header', {}, h('h1', {}, 'unimeter console'), nav, out), message, main)
  await show('accounts')
}

function signIn(problem?: string): void {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true })
  const form = h(
    'form',
    { class: 'card' },
    h('h1', {}, 'unimeter console'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { class: 'help' }, 'Kept in this tab only, and sent to this gateway only.'),
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  )
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    sessionStorage.setItem(TOKEN_KEY, input.value.trim())
    void signedIn()
  })
  replace(root, h('main', {}, form))
  input.focus()
}

if (sessionStorage.getItem(TOKEN_KEY)) void signedIn()
else signIn()
