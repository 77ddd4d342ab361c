/**
 * Bench child: the hand-written reference gateway (bench/reference) in its own process, as the
 * gateway runs in its own. argv[2] = JSON `{ connector, baseUrl, credentials, context, accountId, token,
 * cursorKey (base64) }`. Sends `{type:'ready', url}`; answers the same profile IPC as the gateway child.
 */
import { startReferenceGateway } from '../reference/server'
import { profileWindow } from '../lib/profile-window'

const args = JSON.parse(process.argv[2] ?? '{}') as {
  connector: string
  baseUrl: string
  credentials: Record<string, string>
  context: Record<string, string>
  accountId: string
  token: string
  cursorKey: string
}

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
