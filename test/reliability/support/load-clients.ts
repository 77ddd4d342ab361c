/**
 * The load: N concurrent clients, each looping over a random mix of what API callers do (first
 * pages, following cursors, gets, debug and stream formats, bad input, admin reads) until a
 * deadline, judging every answer as it comes: a 5xx must be the vendor's (truto_is_remote_error),
 * every error must be the contract's envelope, and nothing may hang.
 */
import { mulberry32 } from '../../../src/sandbox/simulator-kit'

export interface LoadReport {
  requests: number
  byStatus: Record<number, number>
  /** Answers that broke the rules, with what was wrong (first 20 kept). */
  violations: string[]
  violationCount: number
}

interface Target {
  url: string
  token: string
  accounts: string[]
}

const CLIENT_BUDGET_MS = 30_000

function judge(report: LoadReport, what: string, status: number, text: string): void {
  report.requests++
  report.byStatus[status] = (report.byStatus[status] ?? 0) + 1
  const fail = (why: string) => {
    report.violationCount++
    if (report.violations.length < 20) report.violations.push(`${what} → ${status}: ${why}: ${text.slice(0, 200)}`)
  }
  if (status < 400) return
  let body: Record<string, unknown>
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    return fail('error is not JSON')
  }
  if (
    body.statusCode !== status ||
    typeof body.message !== 'string' ||
    !body.message ||
    typeof body.code !== 'string' ||
    typeof body.error !== 'string'
  ) {
    fail('error is not the contract envelope')
  }
  if (status >= 500 && body.truto_is_remote_error !== true) fail('a 5xx the vendor did not cause')
}

/** NDJSON: every line JSON; an error line (a vendor failure mid-stream) must carry the envelope. */
function judgeStream(report: LoadReport, what: string, text: string): void {
  for (const line of text.split('\n').filter(Boolean)) {
    try {
      const record = JSON.parse(line) as { error?: { statusCode?: number; truto_is_remote_error?: boolean } }
      if (
        record.error &&
        (typeof record.error.statusCode !== 'number' || (record.error.statusCode >= 500 && record.error.truto_is_remote_error !== true))
      ) {
        judge(report, `${what} (stream line)`, record.error.statusCode ?? 500, JSON.stringify(record.error))
      }
    } catch {
      report.violationCount++
      if (report.violations.length < 20) report.violations.push(`${what}: a stream line is not JSON: ${line.slice(0, 200)}`)
    }
  }
}

export async function runLoad(target: Target, clients: number, durationMs: number, seed = 7): Promise<LoadReport> {
  const report: LoadReport = { requests: 0, byStatus: {}, violations: [], violationCount: 0 }
  const until = Date.now() + durationMs
  const ids = new Map<string, string[]>()
  const cursors: Array<{ account: string; cursor: string }> = []

  async function call(path: string): Promise<{ status: number; text: string }> {
    try {
      const res = await fetch(`${target.url}${path}`, {
        headers: { authorization: `Bearer ${target.token}` },
        signal: AbortSignal.timeout(CLIENT_BUDGET_MS),
      })
      return { status: res.status, text: await res.text() }
    } catch (err) {
      report.violationCount++
      if (report.violations.length < 20) report.violations.push(`${path}: no answer (${(err as Error).message})`)
      return { status: 0, text: '' }
    }
  }

  async function client(n: number): Promise<void> {
    const random = mulberry32(seed + n)
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]
    while (Date.now() < until) {
      const account = pick(target.accounts)
      const list = `/unified/usage-metering/users?integrated_account_id=${account}`
      const roll = random()
      let path: string
      if (roll < 0.35) path = `${list}&limit=${1 + Math.floor(random() * 30)}`
      else if (roll < 0.55 && cursors.length > 0) {
        const c = pick(cursors)
        path = `/unified/usage-metering/users?integrated_account_id=${c.account}&limit=10&next_cursor=${encodeURIComponent(c.cursor)}`
      } else if (roll < 0.7 && (ids.get(account)?.length ?? 0) > 0)
        path = `/unified/usage-metering/users/${encodeURIComponent(pick(ids.get(account)!))}?integrated_account_id=${account}`
      else if (roll < 0.78) path = `${list}&limit=5&truto_response_format=debug`
      else if (roll < 0.84) path = `${list}&truto_response_format=stream`
      else if (roll < 0.92)
        path = pick([
          `${list}&limit=-1`,
          '/unified/usage-metering/users',
          `${list}&next_cursor=forged`,
          `/unified/usage-metering/users/x?integrated_account_id=nope`,
        ])
      else path = '/integrated-account?limit=5'
      const answer = await call(path)
      if (answer.status === 0) continue
      if (path.includes('truto_response_format=stream') && answer.status === 200) {
        report.requests++
        report.byStatus[200] = (report.byStatus[200] ?? 0) + 1
        judgeStream(report, path, answer.text)
        continue
      }
      judge(report, path, answer.status, answer.text)
      if (answer.status === 200 && path.startsWith('/unified') && !path.includes('format=')) {
        const body = JSON.parse(answer.text) as { result?: Array<{ id: unknown }>; next_cursor?: string | null }
        if (Array.isArray(body.result)) ids.set(account, [...(ids.get(account) ?? []), ...body.result.map((r) => String(r.id))].slice(-50))
        if (body.next_cursor && cursors.length < 500)
          cursors.push({ account: path.match(/integrated_account_id=([^&]+)/)![1], cursor: body.next_cursor })
      }
    }
  }

  await Promise.all(Array.from({ length: clients }, (_, n) => client(n)))
  return report
}
