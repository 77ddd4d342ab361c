/** Hand-written equivalent of mappings/usage-metering/usage/cursor/daily-usage.jsonata. */
import { toIso } from '../../src/engine/mapping/functions'
import { stableId } from '../../src/engine/mapping/stable-id'
import type { HandMapper } from './index'
import { jsonataString } from './semantics'

const num = (v: unknown) => (typeof v === 'number' ? v : 0)

export const cursorDailyUsage: HandMapper = ({ response }) => {
  const rows = ((response as Record<string, any>).data ?? []) as unknown[]
  return rows
    .filter((r): r is Record<string, any> => r !== null && typeof r === 'object' && !Array.isArray(r))
    .map((r) => {
      const start = toIso(r.date)
      const email = typeof r.email === 'string' ? r.email.toLowerCase() : undefined
      const dims: Record<string, unknown> = {}
      if (start !== undefined) dims.day = start
      if (email !== undefined) dims.user = email
      return {
        id: stableId('cursor_day', dims),
        product: { id: 'cursor', name: 'Cursor' },
        metric_name: 'daily_usage',
        resources: null,
        organization: null,
        user: { id: r.userId !== undefined ? jsonataString(r.userId) : null, email: r.email, name: null },
        model: null,
        surface: null,
        charges: null,
        usage: {
          quantity: null,
          unit: null,
          tokens: null,
          requests: {
            total: num(r.subscriptionIncludedReqs) + num(r.apiKeyReqs) + num(r.usageBasedReqs),
            chat: r.chatRequests,
            agent: r.agentRequests,
            composer: r.composerRequests,
            cmdk: r.cmdkUsages,
            tab_shown: r.totalTabsShown,
            tab_accepted: r.totalTabsAccepted,
            api_key: r.apiKeyReqs,
            included: r.subscriptionIncludedReqs,
            usage_based: r.usageBasedReqs,
            bugbot: r.bugbotUsages,
          },
          sessions: null,
          code: {
            lines_added: r.totalLinesAdded,
            lines_removed: r.totalLinesDeleted,
            accepted_lines_added: r.acceptedLinesAdded,
            accepted_lines_removed: r.acceptedLinesDeleted,
            accepts: r.totalAccepts,
            rejects: r.totalRejects,
            applies: r.totalApplies,
            commits: null,
            pull_requests: null,
            tool_actions: null,
          },
          // JSONata's `isActive != false` is false when isActive is missing (any comparison with
          // a missing value is false).
          activity: { is_active: r.isActive !== undefined && r.isActive !== false, client_version: r.clientVersion, max_mode: null },
        },
        start_date: start,
        end_date: typeof r.date === 'number' ? toIso(r.date + 86_400_000) : undefined,
        created_at: null,
        updated_at: null,
        remote_data: r,
      }
    })
}
