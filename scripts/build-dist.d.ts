// Types of scripts/build-dist.js (plain JavaScript: it runs before anything is compiled), for the
// TypeScript that calls it (bench, tests).
export const ROOT: string
export const DIST_DIR: string
export const ENTRIES: Record<string, string>
export function buildDist(outDir?: string, entries?: Record<string, string>): Promise<void>
export function isBuildFresh(outDir?: string): boolean
export function builtEntry(name: string, outDir?: string, entries?: Record<string, string>): Promise<string>
export function importBuilt(name: string): Promise<Record<string, unknown>>
