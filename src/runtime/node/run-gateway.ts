/**
 * Runs the gateway in the foreground until SIGINT/SIGTERM: what `npm start` and `unimeter serve`
 * both do, so they cannot drift apart.
 */
import { banner } from './banner'
import { startGateway, type GatewayOptions } from './start-gateway'

interface ForegroundOptions extends GatewayOptions {
  /** Where the banner and shutdown notice go (stdout). */
  print?: (text: string) => void
}

/** Resolves once the gateway has been stopped by a signal and closed. */
export async function runGatewayInForeground(options: ForegroundOptions = {}): Promise<void> {
  const print = options.print ?? ((text: string) => console.log(text))
  const gateway = await startGateway(options)
  print(banner(gateway))
  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: string) => {
      if (stopping) return
      stopping = true
      print(`\n${signal}: shutting down`)
      gateway.close().then(resolve, resolve)
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
}
