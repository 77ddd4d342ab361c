/**
 * Super-query filters and sort, read from the list's query string for one resource (what it
 * may filter on is declared by the resource: `filterable`):
 *   status=active | status[]=active&status[]=invited        equality (any of)
 *   emails=ada@example.com | emails[]=…                     has one of these emails (case-insensitive)
 *   updated_at[gte]=2026-01-01T00:00:00Z&updated_at[lt]=…   ranges: gt, gte, lt, lte (ISO-8601)
 *   sort_by=last_active_at | sort_by=-last_active_at | sort_by[last_active_at]=desc
 *   model_ids[]=a&model_ids[]=b | model_ids=a,b              the resource's own list parameters (`lists`)
 *   start_date=2026-11-01&end_date=2026-12-01               the live list's period (`period`), end exclusive
 * Keys that are not filters are ignored (the contract's rule); a filter with a malformed value
 * is a 400 saying what to send instead.
 */
import { toIso } from '../../engine/mapping/functions'
import { badRequest } from '../../lib/http-errors'
import { ownValue } from '../../lib/object-path'
import type { UnifiedResource } from '../../models/model-registry'
import { stableJson } from '../record-codec'

export const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const
export type RangeOperator = (typeof RANGE_OPERATORS)[number]

export interface SuperQueryFilters {
  equals: Array<{ field: string; values: string[] }>
  emails?: { field: string; values: string[] }
  ranges: Array<{ field: string; op: RangeOperator; value: string }>
  sort: { field: string; direction: 'asc' | 'desc' }
  /** Identifies filters + sort, so a cursor is only accepted by the same query. */
  fingerprint: string
}

/** The record id: always sortable, and the tie-breaker of every sort. */
export const ID_FIELD = 'id'
// D1 binds at most 100 parameters per statement; filters share them.
const MAX_VALUES = 25

function stringList(name: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || list.length > MAX_VALUES || !list.every((v) => typeof v === 'string' && v !== '')) {
    throw badRequest(
      'invalid_filter',
      `${name} must be a value or a list of up to ${MAX_VALUES} values (${name}=a or ${name}[]=a&${name}[]=b)`,
    )
  }
  return list as string[]
}

function parseRanges(field: string, value: unknown): SuperQueryFilters['ranges'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(
      'invalid_filter',
      `${field} needs an operator: ${field}[gte]=2026-01-01T00:00:00Z (operators: ${RANGE_OPERATORS.join(', ')})`,
    )
  }
  return Object.entries(value as Record<string, unknown>).map(([op, raw]) => {
    if (!(RANGE_OPERATORS as readonly string[]).includes(op)) {
      throw badRequest(
        'invalid_filter',
        `${field}[${op}]: unknown operator; use ${RANGE_OPERATORS.map((o) => `${field}[${o}]`).join(', ')}`,
      )
    }
    const iso = typeof raw === 'string' ? toIso(raw) : undefined
    if (!iso)
      throw badRequest(
        'invalid_filter',
        `${field}[${op}] must be an ISO-8601 date-time (e.g. 2026-01-01T00:00:00Z), got ${JSON.stringify(raw)}`,
      )
    return { field, op: op as RangeOperator, value: iso }
  })
}

function parseSort(value: unknown, sortable: string[]): SuperQueryFilters['sort'] {
  let field: string
  let direction: 'asc' | 'desc' = 'asc'
  if (typeof value === 'string' && value !== '') {
    field = value.startsWith('-') ? value.slice(1) : value
    if (value.startsWith('-')) direction = 'desc'
  } else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1) {
    const [[name, dir]] = Object.entries(value as Record<string, unknown>)
    if (dir !== 'asc' && dir !== 'desc') throw badRequest('invalid_filter', `sort_by[${name}] must be asc or desc`)
    field = name
    direction = dir
  } else {
    throw badRequest(
      'invalid_filter',
      'sort_by takes one field: sort_by=updated_at, sort_by=-updated_at (descending) or sort_by[updated_at]=desc',
    )
  }
  if (!sortable.includes(field)) throw badRequest('invalid_filter', `sort_by=${field}: this resource sorts by ${sortable.join(', ')}`)
  return { field, direction }
}

export function sortableFields(resource: UnifiedResource): string[] {
  const spec = resource.filterable ?? {}
  return [ID_FIELD, ...(spec.equals ?? []), ...(spec.ranges ?? [])]
}

/** A list parameter as the live list takes it: `a`, `a,b` or `x[]=a&x[]=b`. */
function idList(name: string, value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value
  return stringList(name, Array.isArray(list) ? list.filter((v) => v !== '') : list)
}

/** The live list's `start_date=…&end_date=…` as ranges on the period field; operator forms stay ranges. */
function periodRanges(spec: NonNullable<UnifiedResource['filterable']>, given: (name: string) => unknown): SuperQueryFilters['ranges'] {
  if (!spec.period) return []
  const { field, start, end } = spec.period
  return [
    [start, 'gte'],
    [end, 'lt'],
  ].flatMap(([param, op]) => {
    const value = given(param)
    if (typeof value !== 'string') return []
    const iso = toIso(value)
    if (!iso)
      throw badRequest('invalid_filter', `${param} must be an ISO-8601 date or date-time (e.g. 2026-11-01), got ${JSON.stringify(value)}`)
    return [{ field, op: op as RangeOperator, value: iso }]
  })
}

export function parseSuperQueryFilters(resource: UnifiedResource, raw: Record<string, unknown>): SuperQueryFilters {
  const spec = resource.filterable ?? {}
  // Only what the caller sent: a query object with a prototype must not answer `constructor`.
  const given = (name: string) => ownValue(raw, name)
  const equals = (spec.equals ?? [])
    .filter((f) => given(f) !== undefined)
    .map((field) => ({ field, values: stringList(field, given(field)) }))
  for (const [param, field] of Object.entries(spec.lists ?? {})) {
    if (given(param) !== undefined) equals.push({ field, values: idList(param, given(param)) })
  }
  const emailField = spec.emails
  const emails =
    emailField && given(emailField) !== undefined
      ? { field: emailField, values: stringList(emailField, given(emailField)).map((e) => e.toLowerCase()) }
      : undefined
  const periodParams = spec.period ? [spec.period.start, spec.period.end] : []
  const ranges = [
    ...periodRanges(spec, given),
    ...(spec.ranges ?? [])
      // A period parameter given as a plain date is the period, not an operator range.
      .filter((f) => given(f) !== undefined && !(periodParams.includes(f) && typeof given(f) === 'string'))
      .flatMap((field) => parseRanges(field, given(field))),
  ]
  const sortBy = given('sort_by')
  const sort = sortBy === undefined ? { field: ID_FIELD, direction: 'asc' as const } : parseSort(sortBy, sortableFields(resource))
  const fingerprint = stableJson({ equals, emails, ranges, sort })
  return { equals, emails, ranges, sort, fingerprint }
}
