/**
 * Builds the outbound vendor request of a method: fixed parts from the connector, the query and
 * body mappings over the unified query, `remote_query` (winning over mapped values), and the
 * pagination parameters (which always win, so a walk stays correct).
 */
import { sanitizePlain } from '../lib/object-path'
import type { RequestSpec, MappingFiles } from './connector-types'
import type { WindowBinding } from './date-windows'
import type { PageParams } from './pagination'
import { renderPath, renderText, type TemplateScope } from './template'
import type { PreparedRequest, VendorSession } from './vendor-session'

export interface RequestInputs {
  mappingDir: string
  unifiedQuery: Record<string, unknown>
  rawQuery: Record<string, unknown>
  remoteQuery: Record<string, unknown>
  id?: string
  /** The date window of this request, for lists walked in windows (the mappings' `window`). */
  window?: WindowBinding
}

function renderRecord(record: Record<string, unknown> | undefined, scope: TemplateScope): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record ?? {})) out[k] = typeof v === 'string' ? renderText(v, scope) : v
  return out
}

async function mapped(session: VendorSession, file: string | undefined, inputs: RequestInputs): Promise<Record<string, unknown>> {
  if (!file) return {}
  const value = await session.deps.mappings.evaluate(`${inputs.mappingDir}/${file}`, {
    query: inputs.unifiedQuery,
    rawQuery: inputs.rawQuery,
    context: session.context,
    id: inputs.id,
    ...(inputs.window ? { window: inputs.window } : {}),
  })
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export async function prepareRequest(
  session: VendorSession,
  request: RequestSpec,
  files: Partial<MappingFiles> | undefined,
  inputs: RequestInputs,
  page: PageParams = { query: {}, body: {} },
): Promise<PreparedRequest> {
  const scope: TemplateScope = { credentials: session.credentials, context: session.context, query: inputs.unifiedQuery, id: inputs.id }
  const query = {
    ...renderRecord(request.query, scope),
    ...(await mapped(session, files?.query, inputs)),
    ...((sanitizePlain(inputs.remoteQuery) as Record<string, unknown>) ?? {}),
    ...page.query,
  }
  let body: Record<string, unknown> | undefined
  if (request.method === 'POST') {
    body = { ...renderRecord(request.body, scope), ...(await mapped(session, files?.body, inputs)), ...page.body }
  }
  const url =
    request.url === undefined ? {} : { url: renderText(request.url, scope), urlPolicy: request.urlPolicy, urlLabel: urlLabel(request.url) }
  return {
    method: request.method,
    path: renderPath(request.path, scope),
    ...url,
    ...(request.baseUrl === undefined ? {} : { baseUrl: request.baseUrl }),
    query,
    body,
    headers: request.headers,
    auth: request.auth,
  }
}

/** `{{credentials.snapshot_url}}` → `context.snapshot_url`: the name the caller set it under. */
function urlLabel(template: string): string | undefined {
  const m = /^\{\{\s*(?:credentials|context)\.([\w.]+)\s*\}\}$/.exec(template)
  return m ? `context.${m[1]}` : undefined
}
