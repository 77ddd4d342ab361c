/**
 * Bench child: one connector's simulator on loopback, in its own process (the "vendor").
 * argv[2] = JSON `{ connector, users?, seed?, variant? }`. Sends `{type:'ready', baseUrl, origin, credentials,
 * context}` over IPC; exits when told to (SIGTERM) or when the bench goes away (IPC closed).
 */
import { connectors } from '../../connectors'

const args = JSON.parse(process.argv[2] ?? '{}') as { connector: string; users?: number; seed?: number; variant?: Record<string, string> }

async function main() {
  const mod = connectors.module(args.connector)
  if (!mod?.simulator) throw new Error(`connector ${args.connector} has no simulator`)
  const start = await mod.simulator()
  const sim = await start({ users: args.users, seed: args.seed, variant: args.variant })
  const stop = async () => {
    await sim.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('disconnect', () => void stop())
  process.send!({ type: 'ready', baseUrl: sim.baseUrl, origin: sim.origin, credentials: sim.credentials, context: sim.context })
}

main().catch((err) => {
  process.send?.({ type: 'error', error: (err as Error).stack ?? String(err) })
  process.exit(1)
})
