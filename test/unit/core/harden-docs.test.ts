/** docs/hardening.md and the README state what core/harden.ts and the CLI do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../../server/src/core/harden';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const NAMES = { dockerfile: 'Dockerfile', compose: 'Compose', kubernetes: 'Kubernetes' } as const;

test('docs/hardening.md: the checks table is CHECKS, row for row', () => {
  const rows = read('docs/hardening.md')
    .split('\n')
    .filter((l) => /^\| [a-z-]+ \| [a-z-]/.test(l) && !l.startsWith('| check |'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  assert.deepEqual(
    rows,
    CHECKS.map((c) => [c.label, c.rules.join(', '), c.platforms.map((p) => NAMES[p]).join(', ')]),
  );
});

test('docs/hardening.md: the lens shows the core checks', () => {
  const core = CHECKS.filter((c) => c.core).map((c) => `\`${c.label}\``);
  assert.ok(read('docs/hardening.md').includes(`${core.slice(0, -1).join(', ')} and ${core[core.length - 1]} are always shown`));
});

test('README: the --harden option, the codeLens setting and the docs page are listed', () => {
  const readme = read('README.md');
  assert.match(readme, /^\| `--harden CONTAINER` \|/m);
  assert.match(readme, /^\| `bulkhead\.codeLens` \| `true` \|/m);
  assert.ok(readme.includes('(docs/hardening.md)'));
  const pkg = JSON.parse(read('package.json'));
  assert.equal(pkg.contributes.configuration.properties['bulkhead.codeLens'].default, true);
  for (const id of ['bulkhead.scanWorkspace', 'bulkhead.showWorkspaceSummary']) assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === id), id);
  for (const img of ['docs/images/vscode-codelens.png', 'docs/images/vscode-harden.png']) assert.ok(readme.includes(img), img);
});
