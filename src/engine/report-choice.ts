/**
 * Which vendor report serves a list request (ReportChoice), and whether that report understands
 * the unified parameters given (SupportedParams). Both refuse with a 400 that names what the
 * vendor supports, before any vendor call.
 */
import { badRequest } from '../lib/http-errors'
import type { ListMethodSpec } from './connector-types'
import { rangeParams } from './date-windows'

export interface ChosenReport {
  /** The report's name, or undefined for a list without reports. */
  name?: string
  spec: ListMethodSpec
}

/** Query keys the engine itself adds to the unified query, never the caller's parameters. */
const ENGINE_KEYS = new Set(['limit', 'cursor'])

const given = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)

function reportNames(spec: ListMethodSpec): string[] {
  return spec.reports ? [spec.reports.name, ...Object.keys(spec.reports.others)] : []
}

/**
 * The report a walk reads: the one its cursor names (a walk never changes report midway), else
 * the one the query names, else the default. `vendor` names the connector in errors.
 */
export function chooseReport(spec: ListMethodSpec, query: Record<string, unknown>, vendor: string, fromCursor?: string): ChosenReport {
  const choice = spec.reports
  if (!choice) {
    checkSupportedParams(spec, query, vendor)
    return { spec }
  }
  const asked = query[choice.param]
  if (given(asked) && typeof asked !== 'string') throw badRequest('invalid_request', `${choice.param} must be one value`)
  const names = reportNames(spec)
  let name: string
  if (fromCursor !== undefined) {
    if (given(asked) && asked !== fromCursor) {
      throw badRequest(
        'invalid_cursor',
        `next_cursor walks ${choice.param}=${fromCursor}; it cannot go on as ${choice.param}=${String(asked)}`,
      )
    }
    name = fromCursor
  } else if (given(asked)) name = asked as string
  else if (choice.defaultWhenGiven?.params.some((p) => given(query[p]))) name = choice.defaultWhenGiven.report
  else name = choice.name
  if (!names.includes(name)) {
    throw badRequest('invalid_request', `${vendor} has no ${choice.param} "${name}" here; it supports: ${names.join(', ')}`, {
      details: { parameter: choice.param, supported: names },
    })
  }
  const chosen = reportSpec(spec, name)
  checkSupportedParams(chosen, query, vendor, choice.param, name)
  return { name, spec: chosen }
}

/** Whether `name` is a report of the spec (a cursor naming a report the connector lost is invalid). */
export function hasReport(spec: ListMethodSpec, name: string): boolean {
  return reportNames(spec).includes(name)
}

/** The list of report `name` (the spec itself for its own report, or when it has none). */
export function reportSpec(spec: ListMethodSpec, name: string | undefined): ListMethodSpec {
  const choice = spec.reports
  if (!choice || name === undefined || name === choice.name) return spec
  return (choice.others[name] as ListMethodSpec | undefined) ?? spec
}

/**
 * Refuses parameters (and values) the list does not understand, when it declares what it
 * understands. `reportParam`/`report` name the report in the message.
 */
export function checkSupportedParams(
  spec: ListMethodSpec,
  query: Record<string, unknown>,
  vendor: string,
  reportParam?: string,
  report?: string,
): void {
  if (!spec.supports) return
  const supported: Record<string, true | readonly string[]> = { ...spec.supports }
  if (reportParam) supported[reportParam] = true
  if (spec.windows) for (const p of Object.values(rangeParams(spec.windows))) supported[p] = true
  const what = report ? `${vendor}'s ${reportParam}=${report}` : vendor
  for (const [key, value] of Object.entries(query)) {
    if (ENGINE_KEYS.has(key) || !given(value)) continue
    const allowed = supported[key]
    if (allowed === undefined) {
      throw badRequest('invalid_request', `${what} does not support ${key}; it supports: ${Object.keys(supported).sort().join(', ')}`, {
        details: { parameter: key, supported: Object.keys(supported).sort() },
      })
    }
    if (allowed === true) continue
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!allowed.includes(String(item))) {
        throw badRequest('invalid_request', `${what} does not support ${key}=${String(item)}; it supports: ${allowed.join(', ')}`, {
          details: { parameter: key, supported: allowed },
        })
      }
    }
  }
}
