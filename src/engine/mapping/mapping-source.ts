/**
 * Where mapping files come from: the `mappings/` folder on Node, text modules bundled into the
 * Worker on Cloudflare. Paths are relative to `mappings/`, with forward slashes.
 */
export interface MappingSource {
  read(path: string): Promise<string | undefined>
}

/** A source over an in-memory map (Workers bundle, tests). */
export function mappingSourceFromRecord(files: Record<string, string>): MappingSource {
  return { read: async (path) => files[path] }
}
