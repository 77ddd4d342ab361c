/**
 * What `import('./simulator')` resolves to in the Worker bundle (wrangler.toml [alias]):
 * simulators are loopback HTTP servers, which a Worker cannot run, and their node:http imports
 * must stay out of the bundle. Nothing on the Workers path starts one; this fails loudly if
 * something ever tries.
 */
export const startSimulator = async (): Promise<never> => {
  throw new Error('Vendor simulators run on Node only (npm start); the Cloudflare Worker has no sandbox')
}
