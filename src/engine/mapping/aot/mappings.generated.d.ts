// Types of the generated module beside this file (written by write-generated.ts, plain JavaScript).
export interface GeneratedMapping {
  /** The mapping file's text the code was generated from. */
  text: string
  evaluate: (input: unknown, bindings?: Record<string, unknown>) => unknown
}

export const GENERATED_MAPPINGS: Readonly<Record<string, GeneratedMapping>>
