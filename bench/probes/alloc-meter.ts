/**
 * Preloaded (`--import`) into a probe's gateway child, whichever checkout it runs: IPC
 * `{type:'alloc-start'}` / `{type:'alloc-stop'}` answer `{type:'alloc', bytes}`, the bytes the
 * process allocated on the V8 heap in between, collected or not. That is the heap's growth plus
 * what every collection in the window freed (v8.GCProfiler reports each one's before and after),
 * so it counts the short-lived garbage a request leaves, which drives the collector's time. Like
 * CPU time per request, it does not depend on how loaded the machine is.
 */
import { getHeapStatistics, GCProfiler } from 'node:v8'

let profiler: GCProfiler | undefined
let usedAtStart = 0

process.on('message', (msg: { type?: string }) => {
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
