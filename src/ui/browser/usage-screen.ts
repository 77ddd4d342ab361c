/**
 * The console's usage view: for a tenant (every account, people joined by e-mail) or one account,
 * over a period, the cost per day per vendor as stacked bars, the cost per vendor in each currency
 * and charge type, and the people who cost or used the most. Every number is the gateway's own
 * aggregate over the synced copies (`truto_super_query` with `group_by[]` or `tenant_id`): the
 * console only picks rows and formats them, so a total is the API's exact decimal sum and two
 * currencies are never added together. An account without a usage copy is named, with a button
 * that creates (or runs) its usage sync job.
 */
import type { AccountView } from '../../accounts/account-store'
import type { Integration } from '../../integrations/catalog-schema'
import type { UsageGroupRow } from '../../models/usage-metering/usage-aggregates'
import type { JobView, RunView } from '../../sync/api-schemas'
import { MAX_INITIAL_DAYS } from '../../sync/sync-window'
import { stackedBars } from './charts'
import { action, api, apiWithHeaders, follow, main, table, type Page } from './console-kit'
import { h, isFailure, replace } from './dom'
import { formatMoney, majorValue } from './money'

const USAGE = 'usage-metering/usage'
const DAY_MS = 86_400_000
const TOP_PEOPLE = 20
/** The refusals of an account without a usage copy (src/sync/super-query/readiness.ts). */
const WHY_UNSYNCED: Record<string, string> = {
  super_query_not_synced: 'no usage sync has completed yet',
  sync_in_progress: 'its first usage sync is still running',
}

type Charge = UsageGroupRow['charges'][number]
type Scope = { kind: 'tenant' | 'account'; id: string }
interface Selection {
  scope: Scope
  /** First and last day, both included (YYYY-MM-DD, UTC). */
  from: string
  to: string
}
interface Unsynced {
  id: string
  code: string
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10)
const chargeKey = (c: Pick<Charge, 'currency' | 'type'>) => `${c.currency ?? ''}|${c.type ?? ''}`
const chargeName = (c: Pick<Charge, 'currency' | 'type'>) => `${c.currency ?? 'no currency'} · ${c.type ?? 'untyped'}`
const count = (n: number) => n.toLocaleString('en-US')

/** The view keeps its choice while the console redraws it (e.g. after a sync). */
let chosen: Selection | undefined

/** First the tenant (or else the account) of an account that syncs usage: the one likeliest to have numbers. */
function defaultSelection(accounts: AccountView[], jobs: JobView[]): Selection {
  const syncing = new Set(jobs.filter((j) => j.resources.some((r) => r.resource === USAGE)).map((j) => j.integrated_account_id))
  const account = accounts.find((a) => syncing.has(a.id)) ?? accounts[0]
  const scope: Scope = account.tenant_id ? { kind: 'tenant', id: account.tenant_id } : { kind: 'account', id: account.id }
  return { scope, from: isoDay(Date.now() - 29 * DAY_MS), to: isoDay(Date.now()) }
}

/** Every page of an aggregate, with the headers of the first. */
async function aggregate(path: string): Promise<{ rows: UsageGroupRow[]; headers: Headers }> {
  const first = await apiWithHeaders<Page<UsageGroupRow>>(`${path}&limit=1000`)
  const rows = [...first.body.result]
  for (let cursor = first.body.next_cursor; cursor;) {
    const page = await api<Page<UsageGroupRow>>(`${path}&limit=1000&next_cursor=${encodeURIComponent(cursor)}`)
    rows.push(...page.result)
    cursor = page.next_cursor
  }
  return { rows, headers: first.headers }
}

/** `x-unimeter-unsynced-accounts: id (code), id (code)`. */
function unsyncedFrom(headers: Headers): Unsynced[] {
  const value = headers.get('x-unimeter-unsynced-accounts')
  if (!value) return []
  return [...value.matchAll(/([^\s,][^,]*?) \(([a-z_]+)\)/g)].map((m) => ({ id: m[1], code: m[2] }))
}

function daysOf(sel: Selection): string[] {
  const out: string[] = []
  for (let t = Date.parse(sel.from); t <= Date.parse(sel.to); t += DAY_MS) out.push(isoDay(t))
  return out
}

/** What the screen needs from the accounts: a vendor's name per account, unambiguous in a tenant. */
function seriesNames(accounts: AccountView[]): (id: string) => string {
  const byId = new Map(accounts.map((a) => [a.id, a]))
  return (id) => {
    const a = byId.get(id)
    if (!a) return id
    const twins = accounts.filter((b) => b.tenant_id === a.tenant_id && b.integration.id === a.integration.id).length
    return twins > 1 ? `${a.integration.label} (${a.id})` : a.integration.label
  }
}

// ---- The parts of the view -------------------------------------------------------------------

function syncButton(account: AccountView, jobs: JobView[], sel: Selection, redraw: () => Promise<void>): HTMLElement {
  const live = h('div', { 'aria-live': 'polite' })
  const job = jobs.find((j) => j.integrated_account_id === account.id && j.resources.some((r) => r.resource === USAGE))
  const days = Math.min(MAX_INITIAL_DAYS, Math.max(1, Math.ceil((Date.now() - Date.parse(sel.from)) / DAY_MS)))
  const start = action(job ? 'Run its usage sync' : 'Start a usage sync', async () => {
    const jobId =
      job?.id ??
      (
        await api<JobView>('/sync-job', 'POST', {
          integrated_account_id: account.id,
          resources: [{ resource: USAGE, window: { initial_days: days } }],
        })
      ).id
    const run = await api<RunView>(`/sync-job/${jobId}/run`, 'POST')
    const ended = await follow(run.id, live)
    if (ended.status === 'succeeded') await redraw()
  })
  return h('div', {}, start, live)
}

/** What the screen reads once: the accounts, their jobs, and which vendors list usage at all. */
interface Context {
  accounts: AccountView[]
  jobs: JobView[]
  listsUsage: Set<string>
}

function unsyncedNotice(list: Unsynced[], ctx: Context, sel: Selection, redraw: () => Promise<void>) {
  const byId = new Map(ctx.accounts.map((a) => [a.id, a]))
  return h(
    'section',
    { id: 'usage-unsynced', class: 'notice', 'aria-labelledby': 'usage-unsynced-title' },
    h('h3', { id: 'usage-unsynced-title' }, 'Accounts without synced usage'),
    h(
      'p',
      {},
      'The numbers below read the synced copies only. These accounts have none yet and are left out; a usage sync copies the period from the vendor.',
    ),
    h(
      'ul',
      {},
      ...list.map((u) => {
        const account = byId.get(u.id)
        return h(
          'li',
          { 'data-account': u.id },
          h('strong', {}, account?.integration.label ?? u.id),
          ' ',
          h('code', {}, u.id),
          account && !ctx.listsUsage.has(account.integration.id)
            ? `: ${account.integration.label} has no usage report in this gateway`
            : `: ${WHY_UNSYNCED[u.code] ?? u.code}`,
          account && ctx.listsUsage.has(account.integration.id) ? syncButton(account, ctx.jobs, sel, redraw) : null,
        )
      }),
    ),
  )
}

/** One row per vendor (account), currency and charge type, then the API's sums over vendors. */
function vendorTotals(types: UsageGroupRow[], sel: Selection, name: (id: string) => string): HTMLElement {
  const rows: { vendor: string; account: string; charge: Charge }[] = []
  for (const row of types) {
    const parts = sel.scope.kind === 'tenant' ? (row.by_account ?? []) : [{ ...row, integrated_account_id: sel.scope.id }]
    for (const part of parts) {
      for (const charge of part.charges)
        rows.push({ vendor: name(part.integrated_account_id), account: part.integrated_account_id, charge })
    }
    if (sel.scope.kind === 'tenant' && (row.by_account?.length ?? 0) > 1) {
      for (const charge of row.charges) rows.push({ vendor: 'All vendors', account: '', charge })
    }
  }
  rows.sort(
    (a, b) =>
      chargeKey(a.charge).localeCompare(chargeKey(b.charge)) ||
      Number(a.vendor === 'All vendors') - Number(b.vendor === 'All vendors') ||
      a.vendor.localeCompare(b.vendor),
  )
  return h(
    'section',
    { id: 'usage-vendors', 'aria-labelledby': 'usage-vendors-title' },
    h('h3', { id: 'usage-vendors-title' }, 'Cost per vendor'),
    h('p', { class: 'help' }, 'In each currency’s major unit; different currencies and charge types are never added together.'),
    table(
      ['Vendor', 'Account', 'Currency', 'Charge type', 'Amount'],
      rows.map((r) => [
        r.vendor,
        r.account ? h('code', {}, r.account) : null,
        r.charge.currency ?? 'none given',
        r.charge.type ?? 'untyped',
        h('span', { class: 'amount' }, formatMoney(r.charge.amount, r.charge.currency)),
      ]),
      'No charges in this period: the vendors’ usage carries no cost here, or nothing was used.',
    ),
  )
}

/** The charges of one currency and type a part of a row holds, or undefined. */
const pick = (charges: Charge[], key: string) => charges.find((c) => chargeKey(c) === key)

function costChart(days: UsageGroupRow[], key: string, sel: Selection, name: (id: string) => string): HTMLElement {
  const [currency] = key.split('|')
  const cur = currency || null
  const type = key.slice(key.indexOf('|') + 1) || null
  const xs = daysOf(sel)
  const onDay = new Map(days.filter((r) => r.day && (r.charge_type ?? null) === type).map((r) => [r.day!, r]))
  const accounts = [
    ...new Set(
      [...onDay.values()].flatMap((r) =>
        sel.scope.kind === 'tenant'
          ? (r.by_account ?? []).filter((p) => pick(p.charges, key)).map((p) => p.integrated_account_id)
          : [sel.scope.id],
      ),
    ),
  ].sort()
  const chargeOn = (day: string, account: string) => {
    const row = onDay.get(day)
    if (!row) return undefined
    return sel.scope.kind === 'tenant'
      ? pick(row.by_account?.find((p) => p.integrated_account_id === account)?.charges ?? [], key)
      : pick(row.charges, key)
  }
  const series = accounts.map((account) => {
    const charges = xs.map((d) => chargeOn(d, account))
    return {
      name: name(account),
      values: charges.map((c) => (c ? majorValue(c.amount, c.currency) : 0)),
      texts: charges.map((c) => (c ? formatMoney(c.amount, c.currency) : '–')),
    }
  })
  const totals = xs.map((d) => {
    const c = onDay.get(d) && pick(onDay.get(d)!.charges, key)
    return c ? formatMoney(c.amount, c.currency) : '–'
  })
  const tick = (v: number) => `${Number(v.toFixed(2))} ${cur ?? ''}`.trim()
  return stackedBars(`Cost per day per vendor: ${chargeName({ currency: cur, type })}, ${sel.from} to ${sel.to}`, xs, series, totals, tick)
}

function personName(row: UsageGroupRow): string {
  return row.user?.email ?? row.user?.name ?? row.user?.id ?? 'Not attributed to a person'
}

const tokensOf = (row: UsageGroupRow) => Object.values(row.usage.tokens).reduce((s, n) => s + n, 0)
/** A vendor's `requests.total` counts its requests; its other keys break that total down. */
const requestsOf = (row: UsageGroupRow) => row.usage.requests.total ?? Object.values(row.usage.requests).reduce((s, n) => s + n, 0)

function peopleTable(people: UsageGroupRow[], rank: string, sel: Selection, name: (id: string) => string): HTMLElement {
  const measure = (row: UsageGroupRow): number => {
    if (rank === 'tokens') return tokensOf(row)
    if (rank === 'requests') return requestsOf(row)
    const c = pick(row.charges, rank.slice('cost:'.length))
    return c ? majorValue(c.amount, c.currency) : 0
  }
  const top = people
    .filter((r) => r.record_count > 0 && measure(r) > 0)
    .sort((a, b) => measure(b) - measure(a) || (a.id < b.id ? -1 : 1))
    .slice(0, TOP_PEOPLE)
  const vendors = (row: UsageGroupRow) =>
    sel.scope.kind === 'tenant'
      ? (row.by_account ?? [])
          .filter((p) => p.record_count > 0)
          .map((p) => name(p.integrated_account_id))
          .join(', ')
      : name(sel.scope.id)
  return table(
    ['Person', 'Vendors', 'Cost', 'Tokens', 'Requests', 'Active days'],
    top.map((row) => [
      personName(row),
      vendors(row),
      row.charges.length
        ? h(
            'ul',
            { class: 'plain' },
            ...row.charges.map((c) =>
              h('li', { 'data-charge': chargeKey(c) }, formatMoney(c.amount, c.currency), ` (${c.type ?? 'untyped'})`),
            ),
          )
        : '–',
      count(tokensOf(row)),
      count(requestsOf(row)),
      row.active_days,
    ]),
    'Nobody has usage of this kind in the period.',
  )
}

function chooser(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void) {
  const select = h('select', { id }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)))
  select.addEventListener('change', () => onChange(select.value))
  return h('div', { class: 'field' }, h('label', { for: id }, label), select)
}

// ---- The screen --------------------------------------------------------------------------------

async function loadInto(out: HTMLElement, sel: Selection, ctx: Context): Promise<void> {
  const { accounts } = ctx
  // After a sync the jobs and the numbers have changed: the whole screen is drawn again.
  const redraw = () => ((chosen = sel), usageScreen())
  replace(out, h('p', { role: 'status', class: 'muted' }, 'Loading usage…'))
  out.setAttribute('aria-busy', 'true')
  const scope =
    sel.scope.kind === 'tenant'
      ? `tenant_id=${encodeURIComponent(sel.scope.id)}`
      : `integrated_account_id=${encodeURIComponent(sel.scope.id)}`
  const base = `/unified/${USAGE}?${scope}&truto_super_query=1&start_date=${sel.from}&end_date=${isoDay(Date.parse(sel.to) + DAY_MS)}`
  const name = seriesNames(accounts)
  try {
    const [days, types, people] = await Promise.all([
      aggregate(`${base}&group_by[]=day&group_by[]=charge_type`),
      aggregate(`${base}&group_by[]=charge_type`),
      aggregate(sel.scope.kind === 'tenant' ? base : `${base}&group_by[]=user`),
    ])
    const unsynced = unsyncedFrom(types.headers)
    const kinds = [...new Map(types.rows.flatMap((r) => r.charges).map((c) => [chargeKey(c), c])).values()].sort((a, b) =>
      chargeKey(a).localeCompare(chargeKey(b)),
    )
    // Cost is the vendors' `total` where they give one, in the currency billed on the most days.
    const totals = kinds.some((c) => c.type === 'total') ? kinds.filter((c) => c.type === 'total') : kinds
    const daysBilled = (key: string) => days.rows.filter((r) => pick(r.charges, key)).length
    const costKey = totals.map(chargeKey).sort((a, b) => daysBilled(b) - daysBilled(a))[0] as string | undefined
    const chart = h('div', { id: 'usage-chart' })
    const drawChart = (key: string) => replace(chart, costChart(days.rows, key, sel, name))
    const peopleOut = h('div', { id: 'usage-people-table' })
    const rankOptions: [string, string][] = [
      ...kinds.map((c): [string, string] => [`cost:${chargeKey(c)}`, `Cost: ${chargeName(c)}`]),
      ['tokens', 'Tokens'],
      ['requests', 'Requests'],
    ]
    const drawPeople = (rank: string) => replace(peopleOut, peopleTable(people.rows, rank, sel, name))
    const firstRank = costKey ? `cost:${costKey}` : 'tokens'
    replace(
      out,
      unsynced.length ? unsyncedNotice(unsynced, ctx, sel, redraw) : null,
      h(
        'section',
        { id: 'usage-days', 'aria-labelledby': 'usage-days-title' },
        h('h3', { id: 'usage-days-title' }, 'Cost per day'),
        costKey
          ? chooser(
              'usage-charge',
              'Currency and charge type',
              kinds.map((c) => [chargeKey(c), chargeName(c)]),
              costKey,
              drawChart,
            )
          : h('p', { class: 'muted' }, 'No charges in this period to draw.'),
        chart,
      ),
      vendorTotals(types.rows, sel, name),
      h(
        'section',
        { id: 'usage-people', 'aria-labelledby': 'usage-people-title' },
        h('h3', { id: 'usage-people-title' }, `Top ${TOP_PEOPLE} people`),
        h(
          'p',
          { class: 'help' },
          sel.scope.kind === 'tenant'
            ? 'One row per person across the tenant’s vendors, joined by e-mail.'
            : 'One row per person of this account.',
        ),
        chooser('usage-rank', 'Rank by', rankOptions, firstRank, drawPeople),
        peopleOut,
      ),
    )
    if (costKey) drawChart(costKey)
    drawPeople(firstRank)
  } catch (err) {
    const account = sel.scope.kind === 'account' ? accounts.find((a) => a.id === sel.scope.id) : undefined
    const code = isFailure(err) ? err.code : ''
    if (code in WHY_UNSYNCED) {
      // Nothing synced at all: every account in scope is without a copy.
      const inScope = account ? [account] : accounts.filter((a) => sel.scope.kind === 'tenant' && a.tenant_id === sel.scope.id)
      replace(
        out,
        unsyncedNotice(
          inScope.map((a) => ({ id: a.id, code })),
          ctx,
          sel,
          redraw,
        ),
      )
    } else {
      replace(out, h('p', { class: 'error', role: 'alert' }, isFailure(err) ? `${err.message} (${err.code})` : String(err)))
    }
  } finally {
    out.removeAttribute('aria-busy')
  }
}

export async function usageScreen(): Promise<void> {
  const [accounts, jobs, integrations] = await Promise.all([
    api<Page<AccountView>>('/integrated-account?limit=500').then((p) => p.result),
    api<Page<JobView>>('/sync-job?limit=500').then((p) => p.result),
    api<Page<Integration>>('/integrations').then((p) => p.result),
  ])
  const listsUsage = new Set(
    integrations
      .filter((i) => i.resources.some((r) => `${r.model}/${r.resource}` === USAGE && r.methods.includes('list')))
      .map((i) => i.id),
  )
  const ctx: Context = { accounts, jobs, listsUsage }
  if (accounts.length === 0) {
    replace(main, h('h2', {}, 'Usage'), h('p', { class: 'muted' }, 'No integrated accounts yet: connect one first.'))
    return
  }
  // A choice from before (another token may see other accounts) stands only if it is still there.
  const known = (s: Scope) => accounts.some((a) => (s.kind === 'tenant' ? a.tenant_id === s.id : a.id === s.id))
  const sel = chosen && known(chosen.scope) ? chosen : defaultSelection(accounts, jobs)
  const tenants = [...new Set(accounts.map((a) => a.tenant_id).filter((t): t is string => !!t))].sort()
  const value = (s: Scope) => `${s.kind}:${s.id}`
  const scope = h(
    'select',
    { id: 'usage-scope' },
    tenants.length
      ? h(
          'optgroup',
          { label: 'Tenants (every account, people joined by e-mail)' },
          ...tenants.map((t) =>
            h('option', { value: `tenant:${t}` }, `${t} (${accounts.filter((a) => a.tenant_id === t).length} accounts)`),
          ),
        )
      : null,
    h(
      'optgroup',
      { label: 'Accounts' },
      ...accounts.map((a) => h('option', { value: `account:${a.id}` }, `${a.integration.label} · ${a.id}`)),
    ),
  )
  scope.value = value(sel.scope)
  const from = h('input', { id: 'usage-from', type: 'date', required: true, value: sel.from })
  const to = h('input', { id: 'usage-to', type: 'date', required: true, value: sel.to })
  const out = h('div', { id: 'usage-results' })
  const form = h(
    'form',
    { class: 'inline', 'aria-label': 'Usage period' },
    h('div', { class: 'field' }, h('label', { for: 'usage-scope' }, 'Tenant or account'), scope),
    h('div', { class: 'field' }, h('label', { for: 'usage-from' }, 'From'), from),
    h('div', { class: 'field' }, h('label', { for: 'usage-to' }, 'To (included)'), to),
    h('button', { type: 'submit', class: 'primary' }, 'Show usage'),
  )
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    if (!from.value || !to.value || from.value > to.value) {
      replace(out, h('p', { class: 'error', role: 'alert' }, 'Pick a period whose first day is on or before its last.'))
      return
    }
    if (Date.parse(to.value) - Date.parse(from.value) >= MAX_INITIAL_DAYS * DAY_MS) {
      replace(out, h('p', { class: 'error', role: 'alert' }, `Pick a period of at most ${MAX_INITIAL_DAYS} days.`))
      return
    }
    const [kind, ...rest] = scope.value.split(':')
    chosen = { scope: { kind: kind === 'tenant' ? 'tenant' : 'account', id: rest.join(':') }, from: from.value, to: to.value }
    void loadInto(out, chosen, ctx)
  })
  replace(main, h('h2', {}, 'Usage'), form, out)
  await loadInto(out, sel, ctx)
}
