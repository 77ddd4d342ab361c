/** `npm start`: the gateway on the embedded default (SQLite file + sandbox). */
import { banner } from './banner'
import { startGateway } from './start-gateway'

async function main() {
  const gateway = await startGateway()
  console.log(banner(gateway))
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: shutting down`)
    await gateway.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((err) => {
  console.error(`unimeter failed to start: ${(err as Error).message}`)
  process.exit(1)
})
