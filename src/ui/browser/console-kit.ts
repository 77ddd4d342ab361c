/**
 * What every console screen shares: the API called with the operator's token, the status line,
 * buttons that run an action, tables, and a sync run followed live. The token is kept in
 * sessionStorage (gone when the tab closes, never in a URL or a cookie, so no other site can
 * make the browser use it).
 */
import type { RunView } from '../../sync/api-schemas'
import { h, isFailure, replace, requestJsonWithHeaders } from './dom'

export const TOKEN_KEY = 'unimeter.console.token'
export type Page<T> = { result: T[]; next_cursor: string | null }

/** The answer with its headers (e.g. which accounts an aggregate left out). */
export const apiWithHeaders = <T>(path: string, method = 'GET', body?: unknown) =>
  requestJsonWithHeaders<T>(path, {
    method,
    headers: {
      authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

export const api = <T>(path: string, method = 'GET', body?: unknown) => apiWithHeaders<T>(path, method, body).then((r) => r.body)

export const message = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })
export const main = h('main', { id: 'main', tabindex: -1 })

export function say(text: string, isError = false): void {
  message.textContent = text
  message.className = isError ? 'status error' : 'status'
}

export const failed = (err: unknown) => say(isFailure(err) ? `${err.message} (${err.code})` : String(err), true)

export function action(label: string, run: () => Promise<void>, extra: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...extra }, label)
  b.addEventListener('click', () => {
    b.disabled = true
    run()
      .catch(failed)
      .finally(() => (b.disabled = false))
  })
  return b
}

export function table(head: string[], rows: (Node | string | number | null)[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty)
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c ?? '–'))))),
    ),
  )
}

export const badge = (text: string) => h('span', { class: `badge ${text}` }, text)

export function runLine(r: RunView): HTMLElement {
  const running = r.status === 'created' || r.status === 'running'
  return h(
    'div',
    { class: 'run', 'data-status': r.status },
    h('p', {}, 'Run ', h('code', {}, r.id), ': ', badge(r.status)),
    running ? h('progress', { 'aria-label': 'Sync run in progress' }) : null,
    h(
      'p',
      {},
      `${r.pages_fetched} pages · ${r.counts.added} added · ${r.counts.updated} updated · ${r.counts.unchanged} unchanged · ${r.counts.deleted} deleted`,
    ),
    r.error ? h('p', { class: 'error' }, `${r.error.code}: ${r.error.message}`) : null,
  )
}

/** Follows a run until it ends, redrawing its progress once a second; answers the ended run. */
export async function follow(id: string, into: HTMLElement): Promise<RunView> {
  for (;;) {
    const run = await api<RunView>(`/sync-job-run/${id}`)
    replace(into, runLine(run))
    if (run.status !== 'created' && run.status !== 'running') return run
    await new Promise((r) => setTimeout(r, 1000))
  }
}
