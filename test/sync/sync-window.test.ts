/** The window a run of a window-mode resource syncs: whole UTC days, first run then incremental. */
import { describe, expect, it } from 'vitest'
import { runWindow, windowQuery, type WindowMode } from '../../src/sync/sync-window'

const mode: WindowMode = { mode: 'window', startField: 'start_date', endField: 'end_date', lookbackDays: 3 }
const at = (iso: string) => Date.parse(iso)

describe('runWindow', () => {
  it('first run: the last initial days, today included, end exclusive', () => {
    expect(runWindow(mode, undefined, 30, at('2026-12-07T05:30:00Z'))).toEqual({ start: '2026-11-08', end: '2026-12-08' })
    expect(runWindow(mode, undefined, 1, at('2026-12-31T23:59:59Z'))).toEqual({ start: '2026-12-31', end: '2027-01-01' })
  })

  it('later runs: from the watermark minus the lookback, across a month end', () => {
    expect(runWindow(mode, '2026-12-02', 30, at('2026-12-07T05:30:00Z'))).toEqual({ start: '2026-11-29', end: '2026-12-08' })
  })

  it('never starts after today, however the watermark lies', () => {
    expect(runWindow(mode, '2027-03-01', 30, at('2026-12-07T05:30:00Z'))).toEqual({ start: '2026-12-07', end: '2026-12-08' })
    expect(runWindow({ ...mode, lookbackDays: 0 }, '2026-12-08', 30, at('2026-12-07T10:00:00Z'))).toEqual({
      start: '2026-12-07',
      end: '2026-12-08',
    })
  })

  it('is sent as the bucket fields’ parameters', () => {
    expect(windowQuery(mode, { start: '2026-12-01', end: '2026-12-08' })).toEqual({ start_date: '2026-12-01', end_date: '2026-12-08' })
  })
})
