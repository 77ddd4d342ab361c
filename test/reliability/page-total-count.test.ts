/**
 * Page-numbered pagination with a total count (`totalCountPath`, Limitly's `count`): a short or
 * empty page before the total is reached ends the walk flagged partial instead of complete. The
 * end-to-end case is in vendor-faults-pagination.test.ts; these pin the arithmetic.
 */
import { describe, expect, it } from 'vitest'
import type { PaginationSpec } from '../../src/engine/connector-types'
import { nextVendorState } from '../../src/engine/pagination'

const spec: PaginationSpec = { type: 'page', pageParam: 'page', limitParam: 'limit', firstPage: 1, totalCountPath: 'count' }

describe('page pagination with a total count', () => {
  it('a full page goes on to the next', () => {
    expect(nextVendorState(spec, 1, { count: 12 }, 5, 5)).toEqual({ next: 2, strandedMore: false })
  })

  it('the short last page ends the walk, complete', () => {
    expect(nextVendorState(spec, 3, { count: 12 }, 2, 5)).toEqual({ next: null, strandedMore: false })
  })

  it('an empty page while the total says more ends the walk, partial', () => {
    expect(nextVendorState(spec, 2, { count: 12 }, 0, 5)).toEqual({ next: null, strandedMore: true })
  })

  it('a short page before the total ends the walk, partial', () => {
    expect(nextVendorState(spec, 1, { count: 12 }, 3, 5)).toEqual({ next: null, strandedMore: true })
  })

  it('without a readable total the short-page rule applies as before', () => {
    expect(nextVendorState(spec, 2, { count: 'many' }, 0, 5)).toEqual({ next: null, strandedMore: false })
    expect(nextVendorState({ ...spec, totalCountPath: undefined }, 2, { count: 12 }, 0, 5)).toEqual({ next: null, strandedMore: false })
  })
})
