/**
 * Request counts per end-user key in the current quota period: the seeded starting point plus
 * every request `POST /validate` allowed since the simulator started, so usage moves when the
 * product is used, the way the real service does.
 */
import type { LimitlyData, LimitlyPlan } from './data'
import { isoSeconds, periodBounds } from './time'

export interface UsageSnapshot {
  current: number
  plan?: LimitlyPlan
  /** Undefined for plan-less (unlimited) users. */
  limit?: number
  remaining?: number
  periodStart: string
  periodEnd: string
}

export class UsageBook {
  private readonly counted = new Map<number, number>()

  constructor(private readonly data: LimitlyData) {}

  record(index: number): void {
    this.counted.set(index, (this.counted.get(index) ?? 0) + 1)
  }

  of(index: number, now = Date.now()): UsageSnapshot {
    const plan = this.data.user(index).plan
    const current = this.data.baseUsage(index) + (this.counted.get(index) ?? 0)
    // Plan-less users have no quota; their period is reported as the calendar month.
    const bounds = periodBounds(plan?.request_period ?? 'month', now)
    return {
      current,
      plan,
      limit: plan?.max_requests,
      remaining: plan ? Math.max(0, plan.max_requests - current) : undefined,
      periodStart: isoSeconds(bounds.start),
      periodEnd: isoSeconds(bounds.end),
    }
  }
}

/** 4.5 for 45 of 1000: two decimals, as the docs' example shows. */
export function percentage(current: number, limit: number): number {
  return Math.round((current / limit) * 10_000) / 100
}
