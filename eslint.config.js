// ESLint: the recommended JavaScript and TypeScript rules, plus the two the project asks for by name:
// no promise left floating (type-aware) and no import cycles. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'dist/',
      'coverage/',
      '.wrangler/',
      'bench/results/',
      'bench/.scratch/',
      'src/db/migrations/',
      'src/runtime/workers/mapping-bundle.generated.json*',
      'src/engine/mapping/aot/mappings.generated.js',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Imports are written without extensions (tsconfig "moduleResolution": "Bundler").
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
      // Without these, import-x reads only .js dependencies: no-cycle never looked inside a .ts file.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Type-only imports never form a cycle at run time; import-x skips them on its own (shared
      // types live in leaf modules instead: engine/vendor-session.ts, routes/app-env.ts).
      'import-x/no-cycle': 'error',
      // A leading underscore marks a deliberately unused binding; `{ dropped: _x, ...rest }` omits a field.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Input validation and terminal output match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and benchmarks read untyped JSON bodies and vendor payloads; their assertions are the type check.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
)
