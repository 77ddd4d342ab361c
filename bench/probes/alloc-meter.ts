/**
 * Preloaded (`--import`) into a probe's gateway child, whichever checkout it runs: IPC
 * `{type:'alloc-start'}` / `{type:'alloc-stop'}` answer `{type:'alloc', bytes}`, the bytes the
 * process allocated on the V8 heap in between, collected or not. That is the heap's growth plus
 * what every collection in the window freed (v8.GCProfiler reports each one's before and after),
 * so it counts the short-lived garbage a request leaves, which drives the collector's time. Like
 * CPU time per request, it does not depend on how loaded the machine is.
 *
 * `{type:'alloc-sample-start'}` / `{type:'alloc-sample-stop'}` answer `{type:'alloc-sample', top}`:
 * a sampling heap profile of the window, collected objects included, as bytes by allocating
 * function (self), largest first — where the garbage comes from.
 */
import { Session } from 'node:inspector/promises'
import { getHeapStatistics, GCProfiler } from 'node:v8'

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

let sampling: Session | undefined

async function startSampling(): Promise<void> {
  sampling = new Session()
  sampling.connect()
  await sampling.post('HeapProfiler.enable')
  await sampling.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never)
}

async function stopSampling(): Promise<Array<{ where: string; bytes: number }>> {
  const { profile } = (await sampling!.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } }
  sampling!.disconnect()
  sampling = undefined
  const bytes = new Map<string, number>()
  const walk = (node: SamplingNode) => {
    const f = node.callFrame
    const where = `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${f.lineNumber + 1}`
    bytes.set(where, (bytes.get(where) ?? 0) + node.selfSize)
    for (const child of node.children) walk(child)
  }
  walk(profile.head)
  return [...bytes].map(([where, n]) => ({ where, bytes: n })).sort((a, b) => b.bytes - a.bytes)
}

let profiler: GCProfiler | undefined
let usedAtStart = 0

process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'alloc-sample-start') void startSampling().then(() => process.send!({ type: 'alloc-sample-started' }))
  if (msg.type === 'alloc-sample-stop') void stopSampling().then((top) => process.send!({ type: 'alloc-sample', top }))
  if (msg.type === 'alloc-start') {
    profiler = new GCProfiler()
    usedAtStart = getHeapStatistics().used_heap_size
    profiler.start()
  } else if (msg.type === 'alloc-stop' && profiler) {
    const usedAtStop = getHeapStatistics().used_heap_size
    const result = profiler.stop()
    profiler = undefined
    let freed = 0
    for (const gc of result?.statistics ?? []) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
    process.send!({ type: 'alloc', bytes: usedAtStop - usedAtStart + freed })
  }
})
