/** Hand-written equivalent of mappings/usage-metering/usage/claude/claude-code.jsonata. */
import { minorAmount, plusDays, toIso } from '../../src/engine/mapping/functions'
import { stableId } from '../../src/engine/mapping/stable-id'
import type { HandMapper } from './index'

/** `$sum` over values that may be missing: JSONata skips an absent path, and sums nothing to 0. */
const sum = (values: unknown[]) => values.reduce<number>((a, v) => (typeof v === 'number' ? a + v : a), 0)

/** A JSONata object constructor leaves out keys whose value is missing. */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

export const claudeCodeUsage: HandMapper = ({ response }) => {
  const rows = ((response as Record<string, any>).data ?? []) as Array<Record<string, any>>
  return rows.map((row) => {
    const models = (row.model_breakdown ?? []) as Array<Record<string, any>>
    const user = row.actor?.type === 'user_actor'
    const costs = models.map((m) => m.estimated_cost).filter((c) => c !== undefined)
    const tools = Object.values((row.tool_actions ?? {}) as Record<string, Record<string, number>>)
    const currency = costs.length > 0 && typeof costs[0].currency === 'string' ? costs[0].currency.toUpperCase() : undefined
    const sameCurrency = costs.every((c) => typeof c.currency === 'string' && c.currency.toUpperCase() === currency)
    const metrics = row.core_metrics ?? {}
    const out: Record<string, unknown> = {
      id: stableId(
        'claude_code',
        defined({
          date: row.date,
          actor: row.actor?.type,
          email: row.actor?.email_address,
          api_key: row.actor?.api_key_name,
          terminal: row.terminal_type,
          remote: row.is_remote,
        }),
      ),
      product: { id: 'claude_code', name: 'Claude Code' },
      metric_name: 'claude_code_usage',
    }
    if (!user) out.resources = [{ id: row.actor?.api_key_name, name: row.actor?.api_key_name }]
    out.organization = { id: row.organization_id }
    if (user) out.user = { email: row.actor.email_address }
    if (models.length === 1) out.model = { id: models[0].model, provider: 'anthropic' }
    out.surface = 'claude_code'
    if (costs.length > 0 && sameCurrency)
      out.charges = [{ amount: sum(costs.map((c) => minorAmount(c.amount, 'minor'))), currency, type: 'total' }]
    out.usage = {
      tokens: {
        input: sum(models.map((m) => m.tokens?.input)),
        output: sum(models.map((m) => m.tokens?.output)),
        cache_read: sum(models.map((m) => m.tokens?.cache_read)),
        cache_creation: sum(models.map((m) => m.tokens?.cache_creation)),
      },
      sessions: { distinct: metrics.num_sessions },
      code: {
        lines_added: metrics.lines_of_code?.added,
        lines_removed: metrics.lines_of_code?.removed,
        accepts: sum(tools.map((t) => t.accepted)),
        rejects: sum(tools.map((t) => t.rejected)),
        commits: metrics.commits_by_claude_code,
        pull_requests: metrics.pull_requests_by_claude_code,
        tool_actions: row.tool_actions,
      },
      activity: { is_active: true },
    }
    out.start_date = toIso(row.date)
    out.end_date = plusDays(row.date, 1)
    out.remote_data = row
    return out
  })
}
