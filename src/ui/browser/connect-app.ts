/**
 * The connect page. Reads the link token and Truto's link-SDK parameters (integration,
 * integrations, no_back) from its URL, talks only to the link-token API (/connect/session,
 * /connect/account), and ends the way the SDK expects: a popup posts
 * `{is_truto: true, result: 'success', integration, integrated_account_id}` (or
 * `{is_truto: true, error, error_type}`) to its opener; a page opened directly follows
 * redirect_uri with the new account's id.
 */
import type { ConnectOption, ConnectResult, ConnectSession } from '../../connect/connect-session'
import type { FieldSpec } from '../../integrations/catalog-schema'
import { h, isFailure, replace, requestJson } from './dom'

const params = new URLSearchParams(location.search)
const token = params.get('link_token') ?? ''
const preset = params.get('integration')
const only = params.get('integrations')?.split(',').filter(Boolean)
const noBack = params.get('no_back') === 'true'
const root = document.getElementById('app')!
const opener = window.opener && window.opener !== window ? (window.opener as Window) : null
let messageOrigin = '*'

function post(message: Record<string, unknown>): void {
  // Only an origin the app named (its redirect_uri's) when it named one: the message carries the new account's id.
  opener?.postMessage(message, messageOrigin)
}

const api = <T>(path: string, init: RequestInit = {}) =>
  requestJson<T>(path, { ...init, headers: { 'x-link-token': token, ...(init.body ? { 'content-type': 'application/json' } : {}) } })

function frame(...children: (Node | string | null)[]): void {
  replace(root, h('main', { class: 'connect card' }, ...children))
}

function fatal(message: string, errorType: string): void {
  frame(h('h1', {}, 'Cannot connect'), h('p', { class: 'error', role: 'alert' }, message))
  post({ is_truto: true, error: message, error_type: errorType })
}

function fieldInput(f: FieldSpec, prefix: string): HTMLElement {
  const id = `${prefix}-${f.name}`
  const help = f.help_text ? h('p', { class: 'help', id: `${id}-help` }, f.help_text) : null
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, f.label, f.required ? '' : ' (optional)'),
    h('input', {
      id,
      name: f.name,
      type: f.secret ? 'password' : 'text',
      required: f.required,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: f.example ?? '',
      'aria-describedby': help ? `${id}-help` : null,
    }),
    help,
  )
}

function showForm(session: ConnectSession, option: ConnectOption, canGoBack: boolean): void {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' })
  const error = h('p', { class: 'error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'primary' }, session.reauth ? 'Update credentials' : 'Connect')
  const fields = [...option.credentials, ...option.context_fields]
  const form = h(
    'form',
    { novalidate: true },
    ...fields.map((f) => fieldInput(f, option.id)),
    error,
    h(
      'div',
      { class: 'actions' },
      canGoBack ? h('button', { type: 'button', class: 'link', onclick: () => pick(session) }, 'Back') : null,
      submit,
    ),
    status,
  )
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void send()
  })
  async function send() {
    const context: Record<string, string> = {}
    for (const f of fields) {
      const value = (form.elements.namedItem(f.name) as HTMLInputElement).value.trim()
      if (value) context[f.name] = value
      else if (f.required) {
        error.hidden = false
        error.textContent = `${f.label} is required.`
        ;(form.elements.namedItem(f.name) as HTMLInputElement).focus()
        return
      }
    }
    error.hidden = true
    submit.disabled = true
    status.textContent = `Checking with ${option.label}…`
    try {
      const result = await api<ConnectResult>('/connect/account', {
        method: 'POST',
        body: JSON.stringify({ integration: option.id, context }),
      })
      done(option, result)
    } catch (err) {
      submit.disabled = false
      status.textContent = ''
      const failure = isFailure(err) ? err : { status: 0, code: 'error', message: String(err) }
      if (failure.details?.error_type === 'invalid_token') return fatal(failure.message, 'invalid_token')
      error.hidden = false
      error.textContent = failure.message
    }
  }
  frame(
    h('h1', {}, session.reauth ? `Reconnect ${option.label}` : `Connect ${option.label}`),
    option.docs_url
      ? h(
          'p',
          { class: 'muted' },
          'Where to find these: ',
          h('a', { href: option.docs_url, target: '_blank', rel: 'noopener noreferrer' }, `${option.label} documentation`),
        )
      : null,
    form,
  )
  form.querySelector('input')?.focus()
}

function done(option: ConnectOption, result: ConnectResult): void {
  frame(h('h1', {}, 'Connected'), h('p', { role: 'status' }, `Your ${option.label} account is connected. You can close this window.`))
  const message = {
    is_truto: true,
    result: 'success',
    integration: result.integration,
    integrated_account_id: result.integrated_account_id,
  }
  if (opener) post(message)
  else if (result.redirect_url) location.assign(result.redirect_url)
}

function pick(session: ConnectSession): void {
  const options = session.integrations.filter((o) => !only || only.includes(o.id))
  if (options.length === 0) return fatal('This link allows none of the requested integrations.', 'invalid_integration')
  const chosen = preset ? options.find((o) => o.id === preset) : options.length === 1 ? options[0] : undefined
  if (preset && !chosen) return fatal(`This link does not allow connecting "${preset}".`, 'invalid_integration')
  if (chosen) return showForm(session, chosen, !noBack && !preset && options.length > 1)
  frame(
    h('h1', {}, 'Connect an account'),
    h('p', { class: 'muted' }, 'Choose the service to connect.'),
    h(
      'ul',
      { class: 'vendors' },
      ...options.map((o) =>
        h('li', {}, h('button', { type: 'button', class: 'vendor', onclick: () => showForm(session, o, !noBack) }, o.label)),
      ),
    ),
  )
}

async function start(): Promise<void> {
  frame(h('p', { role: 'status' }, 'Loading…'))
  try {
    const session = await api<ConnectSession>('/connect/session')
    if (session.message_origin) messageOrigin = session.message_origin
    pick(session)
  } catch (err) {
    fatal(isFailure(err) ? err.message : String(err), 'invalid_token')
  }
}

void start()
