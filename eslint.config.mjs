// ESLint flat config: typescript-eslint's recommended rules plus the import boundaries of
// DESIGN.md ("Import rule"), enforced with the built-in no-restricted-imports.
//
// Flat config does not merge the options of one rule across matching blocks (the last
// block wins), so each folder gets a single no-restricted-imports entry built from the
// shared pieces below.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

// Pieces: `paths` name exact modules, `patterns` use regexes (anchored, so a relative
// folder pattern never matches a package such as `vscode-languageserver/node`).
const vscodeApi = {
  paths: [{ name: 'vscode', message: 'The editor API belongs to the client (client/src) only.' }],
  patterns: [],
};
const languageClient = {
  paths: [],
  patterns: [{ regex: '^vscode-languageclient(/.*)?$', message: 'The language client belongs to the client (client/src) only.' }],
};
const languageServer = {
  paths: [],
  patterns: [
    { regex: '^vscode-languageserver(-[a-z-]+)?(/.*)?$', message: 'Only server/src/lsp and server/src/server.ts may import vscode-languageserver*.' },
  ],
};
const anyVscode = {
  paths: [],
  patterns: [{ regex: '^vscode(-[a-z-]+)?(/.*)?$', message: 'Rules are pure analysis: no vscode* package.' }],
};
const diskAndProcesses = {
  paths: [],
  patterns: [
    { regex: '^(node:)?fs(/.*)?$', message: 'The core never touches the disk: the CLI (server/src/cli, server/src/node) and the LSP adapter do.' },
    { regex: '^(node:)?child_process$', message: 'The core runs in-process: no child processes.' },
  ],
};
const justFs = {
  paths: [],
  patterns: [{ regex: '^(node:)?fs(/.*)?$', message: 'Rules never touch the disk: the core model gives them what they need.' }],
};
// Rules read the model (DESIGN.md): never a parser or a raw YAML tree. Instruction-level
// Dockerfile rules may read the parsed Dockerfile model (core/parse/dockerfile via the model)
// and the shell reader (core/parse/shell).
const parsers = {
  paths: [],
  patterns: [
    { regex: '^(yaml|dockerfile-ast)(/.*)?$', message: 'Rules read the model (core/model), never a parser.' },
    { regex: '^\\.{1,2}/(.*/)?core/parse/yaml$', message: 'Rules read the model (core/model), never the YAML parse module.' },
    { regex: '^\\.{1,2}/(.*/)?core/model/yamlTree$', message: 'Rules read the model (core/model), never raw YAML nodes.' },
  ],
};

/** Relative imports reaching into one of the given server/src folders. */
const folders = (names, message) => ({
  paths: [],
  patterns: [{ regex: `^\\.{1,2}/(.*/)?(${names.join('|')})(/.*)?$`, message }],
});
const serverTree = {
  paths: [],
  patterns: [{ regex: '^(\\.{1,2}/)+(.*/)?server(/(?!src/protocol$).*)?$', message: 'The client talks to the server over LSP only: nothing under server/ is imported at run time.' }],
};
/** The one exception: the shapes of Bulkhead's own LSP messages, as types (erased from the bundle). */
const protocolTypes = {
  paths: [],
  patterns: [{ regex: '^(\\.{1,2}/)+(.*/)?server/src/protocol$', allowTypeImports: true, message: 'Only types (import type) from the protocol module.' }],
};

function restrict(...pieces) {
  return [
    'error',
    {
      paths: pieces.flatMap((p) => p.paths),
      patterns: pieces.flatMap((p) => p.patterns),
    },
  ];
}

export default defineConfig(
  {
    ignores: [
      '**/out/**',
      'out-*/**',
      '**/dist/**',
      '**/node_modules/**',
      'test/fixtures/**',
      'bench/results/**',
      'test/e2e/workspace/**',
      '.e2e-cache/**',
      'test-results/**',
      '**/*.vsix',
    ],
  },
  tseslint.configs.recommended,
  {
    // package.json has no "type": "module": plain .js scripts (bench/parse-only.js) are CommonJS.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // A variable read by closures before its one assignment cannot become const (TDZ).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },

  // Server: vscode and the language client never; the language server only in lsp/ and server.ts;
  // nothing but server.ts imports lsp/.
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/lsp/**', 'server/src/server.ts', 'server/src/core/**', 'server/src/rules/**'],
    rules: {
      'no-restricted-imports': restrict(vscodeApi, languageClient, languageServer, folders(['lsp'], 'Only server/src/server.ts imports the LSP adapter.')),
    },
  },
  {
    files: ['server/src/lsp/**/*.ts', 'server/src/server.ts'],
    rules: {
      'no-restricted-imports': restrict(vscodeApi, languageClient),
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        vscodeApi,
        languageClient,
        languageServer,
        diskAndProcesses,
        folders(['lsp', 'cli', 'node', 'rules'], 'The core is the bottom layer: it imports none of lsp/, cli/, node/ or rules/.'),
      ),
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['server/src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(anyVscode, justFs, parsers, folders(['lsp', 'cli', 'node'], 'Rules import only the core (and shared helpers such as secrets/).')),
    },
  },

  // No import cycles in the server: layers import downward only (DESIGN.md, "Import rule").
  {
    files: ['server/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts'], 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },

  // Client: thin, never bundles server code.
  {
    files: ['client/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(serverTree, protocolTypes),
    },
  },
);
