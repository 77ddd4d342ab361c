/**
 * CSV columns of a unified resource, read from the gateway's OpenAPI document: the schema's
 * fields in order, known before the first record (a streamed CSV cannot change its header, and
 * records omit fields the vendor does not fill).
 */
import type { ApiClient } from '../http/client'
import { LocalError } from '../errors'

type Schema = { $ref?: string; properties?: Record<string, unknown>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[] }
type OpenApi = {
  paths?: Record<string, { get?: { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> } }>
  components?: { schemas?: Record<string, Schema> }
}

export async function schemaColumns(client: ApiClient, path: string): Promise<string[]> {
  const doc = await client.json<OpenApi>('GET', '/openapi.json')
  const resolve = (s: Schema | undefined): Schema | undefined =>
    s?.$ref ? doc.components?.schemas?.[s.$ref.split('/').pop() as string] : s
  const answer = resolve(doc.paths?.[path]?.get?.responses?.['200']?.content?.['application/json']?.schema)
  // A list that also answers aggregates (usage) documents both envelopes: records come first.
  const envelope = resolve(answer?.anyOf?.[0] ?? answer?.oneOf?.[0] ?? answer)
  const record = resolve((envelope?.properties?.result as Schema | undefined)?.items)
  const columns = Object.keys(record?.properties ?? {})
  if (columns.length === 0)
    throw new LocalError(
      `The gateway's OpenAPI document has no record schema for ${path}, so the CSV columns are unknown; export as ndjson instead`,
    )
  return columns
}

/**
 * The schema's columns less those the query leaves out of every record: remote_data under
 * truto_ignore_remote_data (any value but false/0, as the gateway reads it) and the top-level
 * names in truto_exclude_fields. An always-empty column would only mislead.
 */
export function exportedColumns(columns: string[], query: Record<string, unknown>): string[] {
  const ignore = query.truto_ignore_remote_data
  const dropRemote = ignore !== undefined && ignore !== false && ignore !== 'false' && ignore !== '0'
  const excluded = query.truto_exclude_fields
  const names = Array.isArray(excluded) ? excluded.map(String) : typeof excluded === 'string' ? excluded.split(',') : []
  const dropped = new Set(names.map((n) => n.trim()).filter((n) => n && !n.includes('.')))
  if (dropRemote) dropped.add('remote_data')
  return columns.filter((c) => !dropped.has(c))
}
