/**
 * Cron schedules of sync jobs, parsed and stepped by croner (pure JavaScript, so the same on
 * Node and Workers). Schedules are evaluated in UTC: a job runs at the same instants whatever
 * the server's time zone.
 */
import { Cron } from 'croner'
import { badRequest } from '../lib/http-errors'

function parse(expression: string): Cron {
  try {
    return new Cron(expression, { paused: true, timezone: 'Etc/UTC' })
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '')
    throw badRequest('invalid_schedule', `schedule "${expression}" is not a valid cron expression: ${why}. Example: "0 * * * *" (hourly)`, {
      details: { field: 'schedule' },
    })
  }
}

/** Throws 400 `invalid_schedule` (saying why) unless the expression parses and ever fires. */
export function assertSchedule(expression: string): void {
  if (parse(expression).nextRun(new Date()) === null) {
    throw badRequest('invalid_schedule', `schedule "${expression}" never fires after now`, { details: { field: 'schedule' } })
  }
}

/** Epoch ms of the first firing strictly after `after`, or null when there is none. */
export function nextRunAfter(expression: string, after: Date): number | null {
  return parse(expression).nextRun(after)?.getTime() ?? null
}
