/**
 * A closed-loop HTTP load generator on undici: `concurrency` workers, each sending the next request
 * as soon as the previous response body has been read, over a pool of `concurrency` keep-alive
 * connections. The same client measures the gateway and the simulator, so their numbers compare.
 */
import { Pool } from 'undici'
import { percentile } from './stats'

export interface LoadOptions {
  url: string
  headers?: Record<string, string>
  concurrency: number
  durationMs: number
  /** Requests in this first period are sent but not recorded (connections, JIT, caches). */
  warmupMs: number
}

export interface LoadResult extends Record<string, number> {
  requests: number
  rps: number
  p50: number
  p99: number
  mean: number
  errors: number
  /** Mean response body size, bytes. */
  bodyBytes: number
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url)
  const path = `${url.pathname}${url.search}`
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1, keepAliveTimeout: 30_000 })
  const latencies: number[] = []
  let errors = 0
  let bytes = 0
  const startAt = performance.now()
  const measureFrom = startAt + options.warmupMs
  const endAt = measureFrom + options.durationMs
  let firstError: string | undefined

  const worker = async () => {
    // Bounded by the deadline: every iteration is one request that either completes or fails.
    while (performance.now() < endAt) {
      const t0 = performance.now()
      let ok = false
      let size = 0
      try {
        const res = await pool.request({ path, method: 'GET', headers: options.headers })
        const body = await res.body.arrayBuffer()
        size = body.byteLength
        ok = res.statusCode === 200
        if (!ok) firstError ??= `${res.statusCode} ${Buffer.from(body).toString('utf8').slice(0, 300)}`
      } catch (err) {
        firstError ??= (err as Error).message
      }
      const t1 = performance.now()
      if (t0 >= measureFrom && t1 <= endAt) {
        if (ok) {
          latencies.push(t1 - t0)
          bytes += size
        } else errors++
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  await pool.close()
  if (errors > 0 && latencies.length === 0) throw new Error(`every request failed: ${firstError}`)
  const n = latencies.length
  return {
    requests: n,
    rps: n / (options.durationMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, n),
    errors,
    bodyBytes: bytes / Math.max(1, n),
  }
}
