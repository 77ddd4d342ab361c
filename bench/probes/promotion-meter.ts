/**
 * Preloaded (`--import`, with --expose-gc) into a probe's gateway child: IPC
 * `{type:'promo-start'}` / `{type:'promo-stop'}` answer `{type:'promo', top}`, a sampling heap
 * profile of the window that drops what a scavenge collected but keeps what a mark-compact did.
 * With no mark-compact in the window and one scavenge forced at its end, what is left is what the
 * window promoted (live or not) plus the young generation's few live objects: the objects that
 * outlived a scavenge interval, by allocation stack (the innermost frames).
 */
import { Session } from 'node:inspector/promises'
import { writeHeapSnapshot } from 'node:v8'

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

let sampling: Session | undefined

const frame = (f: SamplingNode['callFrame']) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${f.lineNumber + 1}`

async function stop(depth: number): Promise<Array<{ where: string; bytes: number }>> {
  ;(globalThis as { gc?: (o: object) => void }).gc?.({ type: 'minor' })
  const { profile } = (await sampling!.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } }
  sampling!.disconnect()
  sampling = undefined
  const bytes = new Map<string, number>()
  const walk = (node: SamplingNode, stack: string[]) => {
    const here = [frame(node.callFrame), ...stack]
    if (node.selfSize > 0) {
      const where = here.slice(0, depth).join(' < ')
      bytes.set(where, (bytes.get(where) ?? 0) + node.selfSize)
    }
    for (const child of node.children) walk(child, here)
  }
  walk(profile.head, [])
  return [...bytes].map(([where, n]) => ({ where, bytes: n })).sort((a, b) => b.bytes - a.bytes)
}

process.on('message', (msg: { type?: string; depth?: number }) => {
  if (msg.type === 'promo-start') {
    sampling = new Session()
    sampling.connect()
    void sampling
      .post('HeapProfiler.enable')
      .then(() =>
        sampling!.post('HeapProfiler.startSampling', {
          samplingInterval: 1024,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: false,
        } as never),
      )
      .then(() => process.send!({ type: 'promo-started' }))
  }
  if (msg.type === 'snapshot') process.send!({ type: 'snapshot', path: writeHeapSnapshot((msg as { path?: string }).path) })
  if (msg.type === 'promo-stop') void stop(msg.depth ?? 4).then((top) => process.send!({ type: 'promo', top }))
})
