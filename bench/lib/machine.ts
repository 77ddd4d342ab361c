/** What the numbers were measured on, for BENCHMARKS.md. */
import { cpus, totalmem, release, platform } from 'node:os'

export interface MachineInfo {
  cores: number
  cpu: string
  memory: string
  os: string
  node: string
  date: string
}

export function machineInfo(): MachineInfo {
  const list = cpus()
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  }
}
