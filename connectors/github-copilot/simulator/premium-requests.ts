/**
 * `GET /organizations/{org}/settings/billing/premium_request/usage`: premium requests of the
 * organization for one year, month or day (`year`, `month` default to the current ones, `day`
 * optional), one usage item per model, narrowed by `user` (a login), `model` and `product`
 * (all case-insensitive). Only the past 24 months are served.
 * https://docs.github.com/en/rest/billing/usage#get-billing-premium-request-usage-report-for-an-organization
 *
 * Requests are a pure function of (seed, seat, day, model): seats that never used Copilot (the
 * same ones whose `last_activity_at` is null) make none, and nobody makes any before being
 * granted a seat. Each user has 300 premium requests a month included (discounted), counted in
 * day and model order; the rest is billed at $0.04. Today's figures cover the day so far and
 * grow on later reads, as GitHub's billing does.
 */
import { hash32, mulberry32, type SimHandler, type SimRequest } from '../../../src/sandbox/simulator-kit'
import type { CopilotOrg } from './org'
import { requireOrg } from './seats'
import { GitHubError } from './vendor'

const DAY_MS = 86_400_000
export const PRICE_PER_UNIT = 0.04
export const INCLUDED_PER_MONTH = 300
/** Models and their premium-request multipliers (a Haiku request counts a third). */
export const PREMIUM_MODELS: ReadonlyArray<readonly [string, number]> = [
  ['Claude Sonnet 4.5', 1],
  ['GPT-5', 1],
  ['Claude Haiku 4.5', 0.33],
  ['Gemini 2.5 Pro', 1],
  ['Claude Opus 4.1', 10],
]

/** Rounds away binary float noise (0.1188, not 0.11880000000000002). */
const exact = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits

export interface ModelUse {
  gross: number
  discount: number
}

export class PremiumRequests {
  constructor(private readonly org: CopilotOrg) {}

  /** Premium requests of seat `index` on the day starting at `day`, per model (quantities). */
  private raw(index: number, day: number, now: number): number[] {
    const zero = PREMIUM_MODELS.map(() => 0)
    if (hash32(this.org.seed ^ 0xac7, index) % 6 === 0) return zero
    if (day + DAY_MS <= this.org.grantedAt(index) || day > now) return zero
    const next = mulberry32(hash32(this.org.seed ^ Math.imul(day / DAY_MS, 0x1b873593), index))
    const weekday = new Date(day).getUTCDay() % 6 !== 0
    if (next() > (weekday ? 0.7 : 0.15)) return zero
    // Today so far: the share of the day that has passed.
    const share = day + DAY_MS > now ? (now - day) / DAY_MS : 1
    return PREMIUM_MODELS.map(([, multiplier], m) => {
      const count = Math.floor((next() < 0.6 ? next() * [12, 8, 20, 4, 1][m] : 0) * share)
      return exact(count * multiplier, 2)
    })
  }

  /** Seat `index`'s use per day of the month holding `monthStart`, through `lastDay`, with the allowance applied. */
  private month(index: number, monthStart: number, lastDay: number, now: number): Map<number, ModelUse[]> {
    const days = new Map<number, ModelUse[]>()
    let used = 0
    for (let day = monthStart; day <= lastDay; day += DAY_MS) {
      days.set(
        day,
        this.raw(index, day, now).map((gross) => {
          const discount = exact(Math.min(gross, Math.max(0, INCLUDED_PER_MONTH - used)), 2)
          used = exact(used + gross, 2)
          return { gross, discount }
        }),
      )
    }
    return days
  }

  /** Summed use per model of the seats `indexes` over the days [from, to]. */
  total(indexes: number[], from: number, to: number, now = Date.now()): ModelUse[] {
    const sums = PREMIUM_MODELS.map(() => ({ gross: 0, discount: 0 }))
    for (const index of indexes) {
      for (let monthStart = monthOf(from); monthStart <= to; monthStart = nextMonth(monthStart)) {
        const lastDay = Math.min(to, nextMonth(monthStart) - DAY_MS)
        for (const [day, uses] of this.month(index, monthStart, lastDay, now)) {
          if (day < from) continue
          uses.forEach((u, m) => {
            sums[m].gross = exact(sums[m].gross + u.gross, 2)
            sums[m].discount = exact(sums[m].discount + u.discount, 2)
          })
        }
      }
    }
    return sums
  }
}

function monthOf(ms: number): number {
  const d = new Date(ms)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

function nextMonth(monthStart: number): number {
  const d = new Date(monthStart)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

function intParam(req: SimRequest, name: string, min: number, max: number): number | undefined {
  const text = req.query.get(name)
  if (text === null) return undefined
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new GitHubError(400, `Invalid ${name}: must be an integer from ${min} to ${max}`)
  }
  return Number(text)
}

export function premiumRequestUsageHandler(org: CopilotOrg, usage: PremiumRequests): SimHandler {
  return (req) => {
    requireOrg(org, req)
    const now = Date.now()
    const today = new Date(now)
    const year = intParam(req, 'year', 1000, 9999) ?? today.getUTCFullYear()
    const month = intParam(req, 'month', 1, 12)
    const day = intParam(req, 'day', 1, 31)
    const m = month ?? (req.query.get('year') === null || day !== undefined ? today.getUTCMonth() + 1 : undefined)
    let from: number
    let to: number
    if (m === undefined) {
      from = Date.UTC(year, 0, 1)
      to = Date.UTC(year, 11, 31)
    } else if (day === undefined) {
      from = Date.UTC(year, m - 1, 1)
      to = Date.UTC(year, m, 1) - DAY_MS
    } else {
      from = to = Date.UTC(year, m - 1, day)
      if (new Date(from).getUTCDate() !== day) throw new GitHubError(400, `Invalid day: ${year}-${m} has no day ${day}`)
    }
    if (to < Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 24, 1)) {
      throw new GitHubError(400, 'Only data from the past 24 months is accessible via this endpoint.')
    }
    const user = req.query.get('user')
    const model = req.query.get('model')
    const product = req.query.get('product')
    let indexes = Array.from({ length: org.size }, (_, i) => i)
    if (user !== null) {
      const index = org.indexOfLogin(user)
      indexes = index < 0 ? [] : [index]
    }
    const productMatches = product === null || product.toLowerCase() === 'copilot'
    const sums = productMatches ? usage.total(indexes, from, Math.min(to, now), now) : []
    const usageItems = sums.flatMap((s, k) => {
      const [name] = PREMIUM_MODELS[k]
      if (s.gross === 0 || (model !== null && model.toLowerCase() !== name.toLowerCase())) return []
      const net = exact(s.gross - s.discount, 2)
      return [
        {
          product: 'Copilot',
          sku: 'Copilot Premium Request',
          model: name,
          unitType: 'requests',
          pricePerUnit: PRICE_PER_UNIT,
          grossQuantity: s.gross,
          grossAmount: exact(s.gross * PRICE_PER_UNIT, 6),
          discountQuantity: s.discount,
          discountAmount: exact(s.discount * PRICE_PER_UNIT, 6),
          netQuantity: net,
          netAmount: exact(net * PRICE_PER_UNIT, 6),
        },
      ]
    })
    const timePeriod = { year, ...(m !== undefined ? { month: m } : {}), ...(day !== undefined ? { day } : {}) }
    return {
      status: 200,
      body: {
        timePeriod,
        organization: org.login,
        ...(user !== null ? { user } : {}),
        ...(model !== null ? { model } : {}),
        ...(product !== null ? { product } : {}),
        usageItems,
      },
    }
  }
}
