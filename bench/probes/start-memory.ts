/**
 * A probe for issue 16, target 6: what a fresh precompiled gateway process (sandbox off, as in
 * figure 3) holds right after start, against an idle `node`: its RSS split from
 * /proc/<pid>/smaps_rollup, V8's heap spaces as committed, and the live heap after a full GC.
 *
 *   npx tsx bench/probes/start-memory.ts [--node-args="--max-semi-space-size=4"]
 *
 * Not part of `npm run bench`; numbers are printed with the load, never asserted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { childHeap, childHeapSpaces, forkChild, idleRss } from '../lib/processes'
import { gatewayEnv } from '../lib/stack'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const nodeArgs = arg('node-args')?.split(' ').filter(Boolean) ?? []
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`

/**
 * A process's RSS by mapping (/proc/<pid>/smaps), in bytes: the node binary's pages, `[heap]`
 * (malloc: SQLite, the parser's zones, buffers), anonymous mappings (V8's heap) and the rest.
 */
function rssByMapping(pid: number): Record<string, number> {
  const out: Record<string, number> = { Rss: 0 }
  let mapping = ''
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (head) mapping = head[1] === '' ? '[anon]' : head[1] === process.execPath || head[1] === '[heap]' ? head[1] : '[other]'
    else if (line.startsWith('Rss:')) {
      const bytes = Number(line.split(/\s+/)[1]) * 1024
      out[mapping] = (out[mapping] ?? 0) + bytes
      out.Rss! += bytes
    }
  }
  return out
}
const split = (r: Record<string, number>) =>
  `RSS ${mb(r.Rss!)} (node binary ${mb(r[process.execPath] ?? 0)}, malloc [heap] ${mb(r['[heap]'] ?? 0)}, anonymous ${mb(r['[anon]'] ?? 0)}, other ${mb(r['[other]'] ?? 0)})`

const dir = mkdtempSync(join(tmpdir(), 'unimeter-start-memory-'))
try {
  const gw = await forkChild<{ url: string }>('gateway', {}, gatewayEnv(dir, { UNIMETER_SANDBOX: 'off' }), {
    nodeArgs: [...nodeArgs, '--expose-gc'],
    precompiled: true,
  })
  try {
    await new Promise((r) => setTimeout(r, 1_000))
    const r = rssByMapping(gw.pid)
    const { spaces } = await childHeapSpaces(gw.proc)
    const live = await childHeap(gw.proc)
    const after = rssByMapping(gw.pid)
    console.log(
      `load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; idle node ${mb(await idleRss([]))}`,
    )
    console.log(`after start: ${split(r)}`)
    console.log(
      `V8 heap committed: ${Object.entries(spaces)
        .map(([k, v]) => `${k} ${mb(v)}`)
        .join(', ')}`,
    )
    const l = live as unknown as Record<string, number>
    console.log(
      `after a full GC: ${split(after)}; heapTotal ${mb(l.heapTotal!)}, heapUsed ${mb(l.heapUsed!)}, external ${mb(l.external!)}, arrayBuffers ${mb(l.arrayBuffers!)}`,
    )
  } finally {
    await gw.stop()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
