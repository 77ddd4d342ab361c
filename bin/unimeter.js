#!/usr/bin/env node
// The `unimeter` command: the CLI precompiled (dist/cli.js, see scripts/build-dist.js), built
// first if missing or stale, so no TypeScript loader runs.
import { builtEntry } from '../scripts/build-dist.js'

const { main } = await import(await builtEntry('cli'))
await main(process.argv)
