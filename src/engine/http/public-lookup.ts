/**
 * A `lookup` for Node sockets that refuses non-public addresses at connect time. assertPublicUrl
 * checks a URL before the request; this closes the gap where a name resolves to a public
 * address for the check and to a private one for the connection (DNS rebinding).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { classifyAddress } from '../url-policy'

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: Callback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, [])
    const blocked = addresses.find((a) => classifyAddress(a.address) !== null)
    if (blocked) {
      const error: NodeJS.ErrnoException = new Error(
        `${hostname} resolves to ${blocked.address}, a ${classifyAddress(blocked.address)} address, which this request may not reach`,
      )
      error.code = 'EPRIVATEADDRESS'
      return callback(error, [])
    }
    if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), [])
    // net.connect asks for every address when it races IPv4/IPv6 (autoSelectFamily), else for one.
    if (options.all) return callback(null, addresses)
    callback(null, addresses[0].address, addresses[0].family)
  })
}
