// Bundles the extension client, the language server and the CLI with esbuild.
import { build } from 'esbuild';
import { readFileSync, mkdirSync, cpSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * `--minify` (`npm run package`): whitespace and syntax, not identifiers. With renamed
 * identifiers V8's parse of the server bundle at start-up peaked at 5.4 MB of compiler zone
 * memory instead of 3.1 MB, and glibc keeps what V8 frees: the packaged server ran 2 MB larger
 * for a file 0.3 MB smaller (peak RSS 61.4 MB against 59.4 with one Dockerfile open; the
 * unminified build 59.9). Function and class names also stay readable in stack traces.
 */
const minify = process.argv.includes('--minify');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: process.argv.includes('--sourcemap') ? 'linked' : false,
  minifyWhitespace: minify,
  minifySyntax: minify,
  logLevel: 'warning',
  define: { __BULKHEAD_VERSION__: JSON.stringify(pkg.version) },
};

/**
 * CommonJS packages imported from many of our modules. esbuild gives every importing module
 * its own copy of such a package's exports (a getter per export: ~600 for
 * vscode-languageserver, in 8 modules), which costs memory and start-up time. Routed through
 * one ES module that re-exports the package, they are copied once. Only packages imported by
 * name or as a namespace (`import { x }`, `import * as x`) belong here: the re-export has no
 * default export. Not `yaml`: the YAML keystroke path reads its exports thousands of times,
 * and a re-export adds a getter to each read.
 */
const SHARED_CJS = /^(?:vscode-languageserver(?:\/node)?|node:fs|node:path)$/;
const shareCommonJs = {
  name: 'share-commonjs',
  setup(b) {
    b.onResolve({ filter: SHARED_CJS }, (args) => (args.pluginData === 'shared' ? undefined : { path: args.path, namespace: 'shared' }));
    b.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};\n`,
      resolveDir: new URL('..', import.meta.url).pathname,
      loader: 'js',
      pluginData: 'shared',
    }));
  },
};

/**
 * The server and the CLI bundles are ASCII: one other character (in a regular expression,
 * which esbuild leaves as written) makes V8 hold the whole source as two bytes per character.
 */
function assertAscii(file) {
  const text = readFileSync(file, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at < 0) return;
  const line = text.slice(0, at).split('\n').length;
  throw new Error(`${file}:${line}: a non-ASCII character (U+${text.codePointAt(at).toString(16).toUpperCase().padStart(4, '0')}); write it as a \\u escape in the source`);
}

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [shareCommonJs] }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', plugins: [shareCommonJs] }),
]);
for (const f of ['dist/server.js', 'dist/cli.js']) assertAscii(f);
cpSync('docs/bulkhead.schema.json', 'dist/bulkhead.schema.json');
