#!/usr/bin/env node
// The `unimeter` command: the CLI precompiled (dist/cli.js, see scripts/build-dist.js), built
// first if missing or stale, so no TypeScript loader runs.
import { importBuilt } from '../scripts/build-dist.js'

const { main } = await importBuilt('cli')
await main(process.argv)
