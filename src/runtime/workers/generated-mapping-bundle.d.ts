// The generated mapping bundle (see mapping-bundle.ts) is not committed: this declaration types
// the import before the first build has written the file.
declare module '*/mapping-bundle.generated.json' {
  const files: Record<string, string>
  export default files
}

// Likewise the /docs page's files (see docs-bundle.ts).
declare module '*/docs-bundle.generated.json' {
  const files: Record<string, string>
  export default files
}

// And the connect page's and console's files (see ui-bundle.ts).
declare module '*/ui-bundle.generated.json' {
  const files: Record<string, string>
  export default files
}
