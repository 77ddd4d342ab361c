/** The in-process event bus: per-event listeners see each event in order, batch listeners each emission once. */
import { describe, expect, it } from 'vitest'
import { EventBus, type GatewayEvent } from '../../src/lib/event-bus'

describe('EventBus', () => {
  const events: GatewayEvent[] = [
    { event: 'record:created', payload: { n: 1 }, id: 'evt_1' },
    { event: 'record:updated', payload: { n: 2 }, id: 'evt_2' },
  ]

  it('hands a batch to batch listeners once and to event listeners one by one, in order', async () => {
    const bus = new EventBus()
    const single: string[] = []
    const batches: string[][] = []
    bus.on((e) => void single.push(e.id!))
    bus.onBatch((es) => void batches.push(es.map((e) => e.id!)))
    await bus.emitAll(events)
    await bus.emit('sync_job_run:failed', { id: 'run-1' }, { id: 'evt_3' })
    expect(single).toEqual(['evt_1', 'evt_2', 'evt_3'])
    expect(batches).toEqual([['evt_1', 'evt_2'], ['evt_3']])
  })

  it('never fails the emitter when a listener throws, and still reaches the others', async () => {
    const bus = new EventBus()
    const seen: string[] = []
    bus.on(() => {
      throw new Error('listener broke')
    })
    bus.onBatch(async () => {
      throw new Error('batch listener broke')
    })
    const off = bus.onBatch((es) => void seen.push(...es.map((e) => e.event)))
    await expect(bus.emitAll(events)).resolves.toBeUndefined()
    off()
    await bus.emitAll(events)
    expect(seen).toEqual(['record:created', 'record:updated'])
  })

  it('does nothing for an empty batch', async () => {
    const bus = new EventBus()
    let calls = 0
    bus.onBatch(() => void calls++)
    await bus.emitAll([])
    expect(calls).toBe(0)
  })
})
