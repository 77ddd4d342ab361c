/**
 * How much of a run one invocation may do before it hands the rest to the next (Workers: one
 * queue consumer invocation, bounded by the platform's CPU, wall-clock and subrequest limits;
 * README, "Deploy to Cloudflare"). A run without a budget (Node) goes to its end in one go.
 */
import type { SyncSettings } from './sync-settings'

export interface RunBudget {
  /** Vendor pages fetched and committed in this invocation, after which the run yields. */
  pages: number
  /** Wall-clock time after which the run yields at its next page boundary. */
  ms: number
}

export interface BudgetMeter {
  /** Counts a committed page. */
  page(): void
  /** The budget is spent; never before the first page, so every invocation makes progress. */
  spent(): boolean
}

export function invocationBudget(settings: SyncSettings): RunBudget {
  return { pages: settings.UNIMETER_SYNC_INVOCATION_BUDGET_PAGES, ms: settings.UNIMETER_SYNC_INVOCATION_BUDGET_MS }
}

/** Meters `budget` from now; without a budget, never spent. */
export function budgetMeter(budget: RunBudget | undefined): BudgetMeter {
  const started = Date.now()
  let pages = 0
  return {
    page: () => void pages++,
    spent: () => budget !== undefined && pages > 0 && (pages >= budget.pages || Date.now() - started >= budget.ms),
  }
}
