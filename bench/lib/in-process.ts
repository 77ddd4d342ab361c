/** A gateway with its sandbox in this very process, for figures that look inside it. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type RunningGateway } from '../../src/runtime/node/start-gateway'
import { gatewayEnv } from './stack'

export async function startInProcessGateway(users: number): Promise<RunningGateway & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-'))
  try {
    const gateway = await startGateway({ env: gatewayEnv(dir, { UNIMETER_SANDBOX: 'on' }), simulatorOptions: { users }, logSink: () => {} })
    const close = gateway.close
    return Object.assign(gateway, {
      dir,
      close: async () => {
        await close()
        rmSync(dir, { recursive: true, force: true })
      },
    })
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}
