/**
 * Bench child: the gateway (`startGateway`, exactly what `npm start` runs) in its own process, so
 * its memory is measured alone. Settings come from the environment the bench sets; argv[2] = JSON
 * `{ users? }` for the sandbox simulators when the sandbox is on. Sends `{type:'ready', url}`.
 *
 * IPC `{type:'profile-start'}` / `{type:'profile-stop', path}` record a CPU profile of just that
 * window (bench/lib/profile-window.ts). `{type:'heap'}`
 * answers `process.memoryUsage()` after a full GC (with --expose-gc); `{type:'heap-spaces'}` the
 * size of each V8 heap space as it is (committed, no collection first).
 */
import { getHeapSpaceStatistics } from 'node:v8'
import { startGateway } from '../../src/runtime/node/start-gateway'
import { profileWindow } from '../lib/profile-window'

const args = JSON.parse(process.argv[2] ?? '{}') as { users?: number }

async function main() {
  const gateway = await startGateway({ env: process.env, simulatorOptions: args.users ? { users: args.users } : undefined })
  const stop = async () => {
    await gateway.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('disconnect', () => void stop())

  const profile = profileWindow()
  process.on('message', async (msg: { type: string; path?: string }) => {
    if (await profile(msg)) return
    if (msg.type === 'heap') {
      // Live heap: after a full collection when the process runs with --expose-gc.
      const gc = (globalThis as { gc?: () => void }).gc
      gc?.()
      process.send!({ type: 'heap', collected: Boolean(gc), ...process.memoryUsage() })
    }
    if (msg.type === 'heap-spaces') {
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]))
      process.send!({ type: 'heap-spaces', spaces })
    }
  })
  process.send!({ type: 'ready', url: gateway.url })
}

main().catch((err) => {
  process.send?.({ type: 'error', error: (err as Error).stack ?? String(err) })
  process.exit(1)
})
