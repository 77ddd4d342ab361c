/**
 * Argument checks for registered functions that declare a jsonata signature. Only flat
 * signatures are compiled (one letter per parameter, `?` optional; no `-` context argument, no
 * choices or subtypes); a value of the wrong type steps aside so jsonata raises T0410 itself.
 */
import { fallback, symbolOf } from './runtime'

const SYMBOLS: Record<string, string> = { s: 's', n: 'n', b: 'b', l: 'l', o: 'o', a: 'asnblfo', x: 'asnblfo', j: 'asnblo', f: 'f' }

export function compileSignature(signature: string | undefined, argCount: number): ((args: unknown[]) => void) | undefined {
  if (signature === undefined) return () => undefined
  const m = /^<([a-z?]*)(:[a-z]*)?>$/.exec(signature)
  if (!m) return undefined
  const params: Array<{ accepts: string; optional: boolean }> = []
  for (const ch of m[1]) {
    if (ch === '?') {
      if (params.length === 0) return undefined
      params[params.length - 1].optional = true
    } else if (SYMBOLS[ch] !== undefined && ch !== 'a') {
      // 'a' coerces a lone value into an array: not reproduced here.
      params.push({ accepts: SYMBOLS[ch] + (ch === 'f' ? '' : 'm'), optional: false })
    } else {
      return undefined
    }
  }
  const required = params.filter((p) => !p.optional).length
  if (argCount < required || argCount > params.length) return undefined
  // Optional parameters before a required one would let jsonata's regex shift arguments.
  if (params.slice(0, argCount).some((p, i) => p.optional && i < required)) return undefined
  return (args) => {
    for (let i = 0; i < args.length; i++) if (!params[i].accepts.includes(symbolOf(args[i]))) fallback('T0410')
  }
}
