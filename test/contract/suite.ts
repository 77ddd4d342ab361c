/**
 * The shared contract suite: every runtime registers it once with its own way of starting a
 * gateway (test/contract/node.test.ts, test/workers/contract.test.ts). Each run gets fresh
 * simulators, a fresh gateway and one integrated account per vendor, created over the API.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { UnifiedResource } from '../../src/models/model-registry'
import { usageMeteringUsers } from '../../src/models/usage-metering/users'
import { accountCases } from './account-cases'
import { errorCases } from './error-cases'
import { syncCases } from './sync-cases'
import { systemCases } from './system-cases'
import { tokenCases } from './token-cases'
import { CONTRACT_ENV, ContractClient, type GatewayUnderTest, type StartGatewayUnderTest } from './target'
import { unifiedCases } from './unified-cases'
import { baseUrlEnv, clearFaults, startVendors, stopVendors, type ContractVendor } from './simulators'

export interface ContractContext {
  client: ContractClient
  gateway(): GatewayUnderTest
  vendor(connectorId: string): ContractVendor
  /** The integrated account created for a vendor before the cases run. */
  accountId(connectorId: string): string
  /** Clears every simulator's pending faults (a case that injects one calls this when done). */
  clearFaults(): Promise<void>
}

/**
 * `resources`: the unified resources whose list and get run through the unified cases (each for
 * every vendor that serves it); the error, sync and token cases exercise the gateway on users.
 */
export function contractSuite(
  runtime: string,
  start: StartGatewayUnderTest,
  startTimeoutMs = 60_000,
  resources: UnifiedResource[] = [usageMeteringUsers],
): void {
  describe(`unified API contract on ${runtime}`, () => {
    let gateway: GatewayUnderTest | undefined
    let vendors: ContractVendor[] = []
    const accounts = new Map<string, string>()

    const ctx: ContractContext = {
      client: new ContractClient(() => {
        if (!gateway) throw new Error(`the ${runtime} gateway did not start`)
        return gateway
      }),
      gateway: () => gateway!,
      vendor: (id) => {
        const found = vendors.find((v) => v.connector.id === id)
        if (!found) throw new Error(`no simulator for ${id}`)
        return found
      },
      accountId: (id) => {
        const found = accounts.get(id)
        if (!found) throw new Error(`no integrated account for ${id}`)
        return found
      },
      clearFaults: async () => {
        await Promise.all(vendors.map(clearFaults))
      },
    }

    beforeAll(async () => {
      vendors = await startVendors()
      gateway = await start({ ...CONTRACT_ENV, ...baseUrlEnv(vendors) })
      for (const v of vendors) {
        const created = await ctx.client.send('POST', '/integrated-account', {
          integration: v.connector.id,
          tenant_id: 'contract',
          context: v.accountContext,
        })
        expect(created.status, `${v.connector.id}: ${created.text}`).toBe(201)
        accounts.set(v.connector.id, created.body.id)
      }
    }, startTimeoutMs)

    afterAll(async () => {
      await gateway?.close()
      await stopVendors(vendors)
    }, 30_000)

    systemCases(ctx)
    accountCases(ctx)
    for (const resource of resources) unifiedCases(ctx, resource)
    errorCases(ctx)
    syncCases(ctx)
    tokenCases(ctx)
  })
}
