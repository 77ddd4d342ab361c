/**
 * Account fields a method or a report cannot work without (MethodRequirement): missing ones
 * answer 400 `method_not_supported` before any vendor call, naming the fields to set.
 */
import { badRequest } from '../lib/http-errors'
import type { MethodRequirement } from './connector-types'

/** `what` completes "<vendor> cannot <what> for this account", e.g. `list usage-metering/usage`. */
export function checkRequirement(
  vendor: string,
  what: string,
  needs: MethodRequirement | undefined,
  credentials: Record<string, string>,
  context: Record<string, unknown>,
): void {
  if (!needs) return
  const missing = needs.fields.filter((f) => {
    const v = credentials[f] ?? context[f]
    return v === undefined || v === null || v === ''
  })
  if (missing.length === 0) return
  throw badRequest('method_not_supported', `${vendor} cannot ${what} for this account: ${needs.message}`, {
    details: { missing_context: missing.map((f) => `context.${f}`) },
  })
}
