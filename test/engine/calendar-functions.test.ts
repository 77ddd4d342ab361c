/** $utcDate and $calendarShift: period bounds for mappings, on the UTC calendar. */
import { describe, expect, it } from 'vitest'
import { calendarShift, utcDate } from '../../src/engine/mapping/calendar'

describe('calendar functions', () => {
  it('builds UTC midnights from parts, refusing dates that do not exist', () => {
    expect(utcDate(2025)).toBe('2025-01-01T00:00:00.000Z')
    expect(utcDate(2025, 12)).toBe('2025-12-01T00:00:00.000Z')
    expect(utcDate(2024, 2, 29)).toBe('2024-02-29T00:00:00.000Z')
    expect(utcDate(2025, 2, 29)).toBeUndefined()
    expect(utcDate(2025, 13)).toBeUndefined()
    expect(utcDate('x')).toBeUndefined()
    expect(utcDate(undefined)).toBeUndefined()
  })

  it('moves by days, months and years across month and year ends', () => {
    expect(calendarShift('2025-12-31', 1, 'day')).toBe('2026-01-01T00:00:00.000Z')
    expect(calendarShift('2025-12-01T00:00:00Z', 1, 'month')).toBe('2026-01-01T00:00:00.000Z')
    expect(calendarShift('2024-02-01', 1, 'month')).toBe('2024-03-01T00:00:00.000Z')
    expect(calendarShift('2025-01-01T00:00:00.000Z', 1, 'year')).toBe('2026-01-01T00:00:00.000Z')
    expect(calendarShift(Date.UTC(2025, 0, 31), -1, 'day')).toBe('2025-01-30T00:00:00.000Z')
  })

  it('gives undefined for what it cannot read', () => {
    expect(calendarShift('not a date', 1, 'day')).toBeUndefined()
    expect(calendarShift('2025-01-01', 1.5, 'day')).toBeUndefined()
    expect(calendarShift('2025-01-01', 1, 'week')).toBeUndefined()
    expect(calendarShift(undefined, 1, 'day')).toBeUndefined()
  })
})
