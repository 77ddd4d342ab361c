/**
 * Bench child: the hand-written reference gateway (bench/reference) in its own process, as the
 * gateway runs in its own. argv[2] = JSON `{ connector, baseUrl, credentials, context, accountId, token,
 * cursorKey (base64) }`. Sends `{type:'ready', url}`; answers the same profile IPC as the gateway child.
 */
import { startReferenceGateway, type ReferenceOptions } from '../reference/server'
import { profileWindow } from '../lib/profile-window'

/** The reference's options, its cursor key in base64 (JSON carries no bytes). */
const args = JSON.parse(process.argv[2] ?? '{}') as Omit<ReferenceOptions, 'cursorKey'> & { cursorKey: string }

async function main() {
  const reference = await startReferenceGateway({ ...args, cursorKey: Buffer.from(args.cursorKey, 'base64') })
  const stop = async () => {
    await reference.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('disconnect', () => void stop())
  const profile = profileWindow()
  process.on('message', (msg: { type: string; path?: string }) => void profile(msg))
  process.send!({ type: 'ready', url: reference.url })
}

main().catch((err) => {
  process.send?.({ type: 'error', error: (err as Error).stack ?? String(err) })
  process.exit(1)
})
