/**
 * Bench child: the gateway (`startGateway`, exactly what `npm start` runs) in its own process, so
 * its memory is measured alone. Settings come from the environment the bench sets; argv[2] = JSON
 * `{ users? }` for the sandbox simulators when the sandbox is on. Sends `{type:'ready', url}`.
 *
 * IPC `{type:'profile-start'}` / `{type:'profile-stop', path}` record a V8 CPU profile of just that
 * window (the data `node --cpu-prof` writes, without the start-up) into `path`. `{type:'heap'}`
 * answers `process.memoryUsage()` after a full GC (with --expose-gc).
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { startGateway } from '../../src/runtime/node/start-gateway'

const args = JSON.parse(process.argv[2] ?? '{}') as { users?: number }

async function main() {
  const gateway = await startGateway({ env: process.env, simulatorOptions: args.users ? { users: args.users } : undefined })
  const stop = async () => {
    await gateway.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('disconnect', () => void stop())

  let session: Session | undefined
  process.on('message', async (msg: { type: string; path?: string }) => {
    try {
      if (msg.type === 'profile-start') {
        session = new Session()
        session.connect()
        await session.post('Profiler.enable')
        await session.post('Profiler.setSamplingInterval', { interval: 200 })
        await session.post('Profiler.start')
        process.send!({ type: 'profile-started' })
      } else if (msg.type === 'heap') {
        // Live heap: after a full collection when the process runs with --expose-gc.
        const gc = (globalThis as { gc?: () => void }).gc
        gc?.()
        process.send!({ type: 'heap', collected: Boolean(gc), ...process.memoryUsage() })
      } else if (msg.type === 'profile-stop' && session && msg.path) {
        const { profile } = await session.post('Profiler.stop')
        session.disconnect()
        session = undefined
        writeFileSync(msg.path, JSON.stringify(profile))
        process.send!({ type: 'profile-stopped' })
      }
    } catch (err) {
      process.send!({ type: 'profile-error', error: (err as Error).message })
    }
  })
  process.send!({ type: 'ready', url: gateway.url })
}

main().catch((err) => {
  process.send?.({ type: 'error', error: (err as Error).stack ?? String(err) })
  process.exit(1)
})
