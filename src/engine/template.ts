/**
 * `{{placeholder}}` templates for connector data (paths, headers, fixed query values).
 * Deliberately not JSONata: these are tiny, fast and cannot run code.
 */
import { badRequest } from '../lib/http-errors'

export interface TemplateScope {
  credentials?: Record<string, unknown>
  context?: Record<string, unknown>
  query?: Record<string, unknown>
  id?: string
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][\w.]*)\s*\}\}/g

function lookup(scope: TemplateScope, path: string): unknown {
  let cur: unknown = scope
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

/** Render a header or query template; a missing value renders as ''. */
export function renderText(template: string, scope: TemplateScope): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const v = lookup(scope, path)
    return v === undefined || v === null ? '' : String(v)
  })
}

/**
 * Render a path template. Each value becomes exactly one encoded path segment, so an id like
 * `../admin` or `a%2Fb` can never change which vendor endpoint is called.
 */
export function renderPath(template: string, scope: TemplateScope): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const v = lookup(scope, path)
    if (v === undefined || v === null || v === '') throw badRequest('invalid_request', `A value for ${path} is required`)
    const text = String(v)
    if (text === '.' || text === '..') throw badRequest('invalid_id', `"${text}" is not a valid ${path}`)
    return encodeURIComponent(text)
  })
}

/**
 * Reject values that would let a caller inject headers or control characters, and any that HTTP
 * cannot carry (beyond visible ASCII): such a request is refused here, never sent or retried.
 */
export function assertSafeHeaderValue(name: string, value: string): void {
  if (/[\r\n\0]/.test(value)) throw badRequest('invalid_request', `${name} must not contain control characters`)
  if (/[^\t\x20-\x7e]/.test(value)) throw badRequest('invalid_request', `${name} can hold only visible ASCII characters`)
}
