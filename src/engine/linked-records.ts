/**
 * Follows the download links of a response whose records live elsewhere (LinkedRecordsSpec):
 * every link is fetched through the engine (URL policy, retries, deadline, size limit, errors)
 * but as a foreign request, so the vendor's credentials never travel to the link's host.
 */
import { getPath } from '../lib/object-path'
import type { LinkedRecordsSpec } from './connector-types'
import { callVendor } from './vendor-call'
import type { VendorSession } from './vendor-session'
import { invalidVendorBody } from './vendor-errors'

const DEFAULT_MAX_LINKS = 20

/** A copy of `body` with the linked records set at `recordsPath`. */
export async function withLinkedRecords(
  session: VendorSession,
  spec: LinkedRecordsSpec,
  body: unknown,
  recordsPath: string,
): Promise<unknown> {
  const found = getPath(body, spec.urlsPath)
  const urls = found === undefined || found === null ? [] : Array.isArray(found) ? found : [found]
  const unreadable = (why: string) => invalidVendorBody(session, JSON.stringify(body), why)
  if (urls.some((u) => typeof u !== 'string' || u === '')) throw unreadable(`"${spec.urlsPath}" must hold URLs`)
  if (urls.length > (spec.maxLinks ?? DEFAULT_MAX_LINKS))
    throw unreadable(`more than ${spec.maxLinks ?? DEFAULT_MAX_LINKS} links at "${spec.urlsPath}"`)
  const records: unknown[] = []
  for (const url of urls as string[]) {
    const exchange = await callVendor(session, {
      method: 'GET',
      path: '',
      url,
      urlPolicy: spec.urlPolicy,
      urlLabel: `A download link of ${session.connector.label}`,
      query: {},
      foreign: true,
      responseFormat: 'json-lines',
    })
    records.push(...(exchange.body as unknown[]))
  }
  return setPath(body, recordsPath, records)
}

/** A copy of `body` with `value` at dot path `path` (objects created along the way). */
function setPath(body: unknown, path: string, value: unknown): unknown {
  if (!path) return value
  const [head, ...rest] = path.split('.')
  const obj = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  return { ...obj, [head]: setPath(obj[head], rest.join('.'), value) }
}
