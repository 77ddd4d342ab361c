#!/usr/bin/env node
// The `unimeter` command. The CLI is TypeScript run from the checkout, so this shim registers
// tsx's loader first (no build step), then hands over to src/cli/main.ts.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
await main(process.argv)
