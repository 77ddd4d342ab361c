/**
 * A probe for issue 16, target 5: one first sync and one unchanged re-sync of N Claude users
 * through the API of a gateway process of its own (the set-up of the sync figure,
 * bench/figures/sync.ts), each run's records/s, peak RSS and, with --profile, a CPU profile of
 * the gateway during each run (self time, top areas and functions).
 *
 *   npx tsx bench/probes/sync-runs.ts [--users=100000] [--profile] [--save=path] [--precompiled] [--node-args="--trace-gc"]
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { memoryOf, sampleMemory } from '../lib/processes'
import { profileChildDuring, profileMarkdown, summarizeProfile } from '../lib/profile'
import { authHeaders, startGatewayProcess, withSimulator } from '../lib/stack'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const users = Number(arg('users') ?? 100_000)
const profile = process.argv.includes('--profile')
const nodeArgs = arg('node-args')?.split(' ').filter(Boolean)
/** Keeps each run's CPU profile as `<save>-<n>.cpuprofile`. */
const save = arg('save')
/** The gateway bundled as `npm start` runs it, rather than TypeScript through tsx. */
const precompiled = process.argv.includes('--precompiled')

async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { ...authHeaders, 'content-type': 'application/json' } })
  const body = (await res.json()) as T
  if (res.status >= 300) throw new Error(`${url} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  return body
}

interface RunView {
  status: string
  started_at: string
  finished_at: string
  counts: Record<string, number>
  error: unknown
}

/**
 * CPU seconds the process has used (user + system, /proc/<pid>/stat): on a machine shared with
 * other work, CPU per record moves far less with the load than records per wall-clock second.
 */
function cpuSeconds(pid: number): number {
  // Fields after the command name's closing parenthesis; utime and stime are the 12th and 13th, in clock ticks (100/s).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function run(url: string, jobId: string): Promise<RunView> {
  const { id } = await api<{ id: string }>(`${url}/sync-job/${jobId}/run`, { method: 'POST' })
  for (;;) {
    const view = await api<RunView>(`${url}/sync-job-run/${id}`)
    if (!['created', 'running'].includes(view.status)) return view
    await new Promise((r) => setTimeout(r, 200))
  }
}

await withSimulator('claude', users, async (sim) => {
  const gw = await startGatewayProcess('claude', sim, { env: { UNIMETER_SYNC_SCHEDULER: 'off' }, nodeArgs, precompiled })
  try {
    const body = {
      integrated_account_id: gw.accountId,
      resources: [{ resource: 'usage-metering/users', method: 'list', query: { limit: 1000 } }],
    }
    const { id: jobId } = await api<{ id: string }>(`${gw.url}/sync-job`, { method: 'POST', body: JSON.stringify(body) })
    console.log(`gateway RSS after start ${((memoryOf(gw.child.pid)?.rss ?? 0) / 2 ** 20).toFixed(1)} MB`)
    for (const [n, label] of ['first sync', 'unchanged re-sync'].entries()) {
      const sampler = sampleMemory(gw.child.pid)
      const cpu0 = cpuSeconds(gw.child.pid)
      const { result: view, profile: prof } = profile
        ? await profileChildDuring(gw.child.proc, () => run(gw.url, jobId))
        : { result: await run(gw.url, jobId), profile: undefined }
      const peak = sampler.stop().peak
      const cpu = cpuSeconds(gw.child.pid) - cpu0
      if (view.status !== 'succeeded') throw new Error(`${label} ended ${view.status}: ${JSON.stringify(view.error)}`)
      const seconds = (Date.parse(view.finished_at) - Date.parse(view.started_at)) / 1000
      const records = view.counts.added + view.counts.updated + view.counts.unchanged
      console.log(
        `${label}: ${records} records in ${seconds.toFixed(1)} s = ${Math.round(records / seconds)}/s, gateway CPU ${cpu.toFixed(1)} s = ${Math.round((cpu * 1e6) / records)} µs/record, peak RSS ${(peak / 2 ** 20).toFixed(1)} MB`,
      )
      if (prof && save) writeFileSync(`${save}-${n}.cpuprofile`, JSON.stringify(prof))
      if (prof) console.log(`${profileMarkdown(summarizeProfile(prof, 25), 12, 25)}\n`)
    }
  } finally {
    await gw.stop()
  }
})
