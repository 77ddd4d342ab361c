/**
 * One daily-usage row per (member, UTC day), a pure function of (seed, member, day). Members who
 * left the team are never active; the others are active on most weekdays and some weekends.
 */
import { hash32, mulberry32 } from '../../../src/sandbox/simulator-kit'
import type { Team } from './team'

export const DAY_MS = 86_400_000

const MODELS = ['claude-4-sonnet', 'gpt-5', 'claude-4.5-sonnet-thinking', 'gemini-2.5-pro', 'auto', 'claude-4-opus']
const EXTENSIONS = ['.ts', '.tsx', '.py', '.go', '.rs', '.java', '.md']
const VERSIONS = ['1.5.11', '1.6.42', '1.7.38', '1.7.44', '2.0.34']

/** Field order follows the documented example row. */
export interface UsageRow {
  userId: number
  day: string
  date: number
  isActive: boolean
  totalLinesAdded: number
  totalLinesDeleted: number
  acceptedLinesAdded: number
  acceptedLinesDeleted: number
  totalApplies: number
  totalAccepts: number
  totalRejects: number
  totalTabsShown: number
  totalTabsAccepted: number
  composerRequests: number
  chatRequests: number
  agentRequests: number
  cmdkUsages: number
  subscriptionIncludedReqs: number
  apiKeyReqs: number
  usageBasedReqs: number
  bugbotUsages: number
  mostUsedModel: string | null
  applyMostUsedExtension: string | null
  tabMostUsedExtension: string | null
  clientVersion: string | null
  email: string
}

function generator(team: Team, index: number, date: number): () => number {
  return mulberry32(hash32(team.seed ^ Math.imul(date / DAY_MS, 0x27d4eb2d), index))
}

/** Whether the member used Cursor on the day that starts at `date` (UTC midnight, ms). */
export function isActive(team: Team, index: number, date: number): boolean {
  if (team.isRemoved(index)) return false
  const weekday = new Date(date).getUTCDay()
  // Each member has a habit (30-100 % of the base rate) so some are regulars and some rare.
  const habit = 0.3 + 0.7 * ((hash32(team.seed ^ 0xacdc, index) % 1000) / 1000)
  const base = weekday === 0 || weekday === 6 ? 0.2 : 0.8
  return generator(team, index, date)() < base * habit
}

export function usageRow(team: Team, index: number, date: number): UsageRow {
  const member = team.member(index)
  const day = new Date(date).toISOString().slice(0, 10)
  const active = isActive(team, index, date)
  const zero = {
    userId: member.id,
    day,
    date,
    isActive: active,
    totalLinesAdded: 0,
    totalLinesDeleted: 0,
    acceptedLinesAdded: 0,
    acceptedLinesDeleted: 0,
    totalApplies: 0,
    totalAccepts: 0,
    totalRejects: 0,
    totalTabsShown: 0,
    totalTabsAccepted: 0,
    composerRequests: 0,
    chatRequests: 0,
    agentRequests: 0,
    cmdkUsages: 0,
    subscriptionIncludedReqs: 0,
    apiKeyReqs: 0,
    usageBasedReqs: 0,
    bugbotUsages: 0,
    mostUsedModel: null,
    applyMostUsedExtension: null,
    tabMostUsedExtension: null,
    clientVersion: null,
    email: member.email,
  }
  if (!active) return zero

  const next = generator(team, index, date)
  next() // the draw isActive used
  const int = (max: number) => Math.floor(next() * (max + 1))
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]
  const linesAdded = 20 + int(1_980)
  const linesDeleted = Math.floor(linesAdded * (0.2 + 0.6 * next()))
  const applies = 1 + int(99)
  const accepts = Math.floor(applies * (0.6 + 0.4 * next()))
  const tabsShown = int(500)
  const composer = int(60)
  const chat = int(150)
  const agent = int(40)
  const requests = composer + chat + agent
  // Requests beyond the plan's allowance are billed as usage-based; a few go through own keys.
  const apiKeyReqs = next() < 0.1 ? int(Math.floor(requests / 4)) : 0
  const usageBased = next() < 0.25 ? int(Math.floor((requests - apiKeyReqs) / 3)) : 0
  return {
    ...zero,
    totalLinesAdded: linesAdded,
    totalLinesDeleted: linesDeleted,
    acceptedLinesAdded: Math.floor(linesAdded * (0.5 + 0.45 * next())),
    acceptedLinesDeleted: Math.floor(linesDeleted * (0.5 + 0.45 * next())),
    totalApplies: applies,
    totalAccepts: accepts,
    totalRejects: applies - accepts,
    totalTabsShown: tabsShown,
    totalTabsAccepted: Math.floor(tabsShown * (0.4 + 0.5 * next())),
    composerRequests: composer,
    chatRequests: chat,
    agentRequests: agent,
    cmdkUsages: int(80),
    subscriptionIncludedReqs: requests - apiKeyReqs - usageBased,
    apiKeyReqs,
    usageBasedReqs: usageBased,
    bugbotUsages: next() < 0.2 ? 1 + int(4) : 0,
    mostUsedModel: pick(MODELS),
    applyMostUsedExtension: pick(EXTENSIONS),
    tabMostUsedExtension: pick(EXTENSIONS),
    clientVersion: pick(VERSIONS),
  }
}
