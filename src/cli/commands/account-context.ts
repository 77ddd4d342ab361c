/**
 * The `context` of an account create/update, from flags, the environment, or a prompt without
 * echo. Secrets are never printed: not in errors, not in verbose output (redacted there).
 */
import { parseJsonObject, parsePairs } from '../args/pairs'
import type { CliContext } from '../context'
import { UsageError } from '../errors'
import { canPrompt, promptHidden } from '../io/prompt'

export interface ContextFlags {
  context?: string[]
  contextJson?: string
  secret?: string[]
  unset?: string[]
}

interface FieldSpec {
  name: string
  label: string
  secret: boolean
  required: boolean
}

/** `api_key` → `UNIMETER_CONTEXT_API_KEY` */
const envNameOf = (field: string) => `UNIMETER_CONTEXT_${field.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`

/** The credential and context fields of an integration, as GET /integrations describes them. */
export async function fieldsOf(ctx: CliContext, integration: string): Promise<FieldSpec[] | undefined> {
  const body = await ctx.client.json<{ result: Array<{ id: string; credentials: FieldSpec[]; context_fields: FieldSpec[] }> }>(
    'GET',
    '/integrations',
  )
  const found = body.result.find((i) => i.id === integration)
  if (!found) {
    throw new UsageError(
      `unknown integration "${integration}"`,
      `available: ${body.result.map((i) => i.id).join(', ')} (see \`unimeter integrations\`)`,
    )
  }
  return [...found.credentials, ...found.context_fields]
}

/** One secret: from its environment variable, else asked for on the terminal. */
async function secretValue(ctx: CliContext, field: string, label: string): Promise<string> {
  const fromEnv = ctx.io.env[envNameOf(field)]
  if (fromEnv) return fromEnv
  if (!canPrompt(ctx.io)) {
    throw new UsageError(
      `context.${field} (${label}) is needed and standard input is not a terminal to ask for it`,
      `set ${envNameOf(field)}=…, or pass -c ${field}=… (visible in the process list), or run on a terminal to be prompted`,
    )
  }
  const value = await promptHidden(ctx.io, `${label} (${field}, not echoed): `)
  if (value === '') throw new UsageError(`context.${field} was left empty`)
  return value
}

/**
 * Builds the context: -c pairs and --context-json first; for a create (fields given), any
 * declared field still missing from its UNIMETER_CONTEXT_* variable, and required secrets from a
 * prompt; every --secret field from its variable or a prompt; --unset keys become null (removed
 * by the gateway's merge).
 */
export async function buildContext(
  ctx: CliContext,
  flags: ContextFlags,
  fields: FieldSpec[] | undefined,
): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = { ...parsePairs(flags.context, '-c'), ...parseJsonObject(flags.contextJson, '--context-json') }
  for (const f of fields ?? []) {
    const fromEnv = ctx.io.env[envNameOf(f.name)]
    if (context[f.name] === undefined && fromEnv) context[f.name] = fromEnv
  }
  const wanted = new Map<string, string>()
  for (const name of flags.secret ?? []) wanted.set(name, fields?.find((f) => f.name === name)?.label ?? name)
  for (const f of fields ?? []) if (f.secret && f.required) wanted.set(f.name, f.label)
  for (const [name, label] of wanted) if (context[name] === undefined) context[name] = await secretValue(ctx, name, label)
  for (const name of flags.unset ?? []) context[name] = null
  return context
}
