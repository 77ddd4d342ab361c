/** `npm start`: the gateway on the embedded default (SQLite file + sandbox). */
import { runGatewayInForeground } from './run-gateway'

runGatewayInForeground().then(
  () => process.exit(0),
  (err) => {
    console.error(`unimeter failed to start: ${(err as Error).message}`)
    process.exit(1)
  },
)
