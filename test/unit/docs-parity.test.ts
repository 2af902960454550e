/**
 * The docs say what the code does: each rule's preset (docs/presets.md), every CLI option
 * (docs/cli.md and the README), the presets and rule ids the settings and the schema offer,
 * and a hover summary for every finding id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';
import { PRESETS, presetOf } from '../../server/src/core/presets';
import { BUILTIN_IDS } from '../../server/src/core/rule';
import { SUMMARIES } from '../../server/src/core/summaries';
import { rules } from '../../server/src/rules';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const ids = [...rules.map((r) => r.meta.id), ...Object.keys(BUILTIN_IDS)];

test('docs/presets.md gives every rule the preset the engine uses', () => {
  const rows = new Map([...read('docs/presets.md').matchAll(/^\| \[([a-z-]+)\]\(rules\/\1\.md\) \| ([a-z]+)/gm)].map((m) => [m[1], m[2]]));
  assert.deepEqual(Object.fromEntries([...rows].sort()), Object.fromEntries(rules.map((r) => [r.meta.id, presetOf(r.meta)]).sort()));
});

test('the editor setting and the .bulkhead.yaml schema offer exactly the presets', () => {
  const pkg = JSON.parse(read('package.json'));
  assert.deepEqual(pkg.contributes.configuration.properties['bulkhead.preset'].enum, PRESETS);
  assert.deepEqual(JSON.parse(read('docs/bulkhead.schema.json')).properties.preset.enum, PRESETS);
});

test('the editor setting and the schema offer only rule ids that exist', () => {
  const pkg = JSON.parse(read('package.json'));
  const setting = pkg.contributes.configuration.properties['bulkhead.rules'];
  assert.deepEqual(Object.keys(setting.properties).sort(), [...ids].sort());
  assert.equal(setting.additionalProperties, false);
  const schema = JSON.parse(read('docs/bulkhead.schema.json')).properties.rules;
  assert.deepEqual(Object.keys(schema.properties).sort(), [...ids].sort());
  assert.equal(schema.additionalProperties, false);
});

test('every finding id has a hover summary: why (at most three sentences) and the fix', () => {
  assert.deepEqual(Object.keys(SUMMARIES).sort(), [...ids].sort());
  for (const [id, s] of Object.entries(SUMMARIES)) {
    assert.ok(s.why.length > 40 && s.why.length <= 300, `${id}: why is ${s.why.length} characters`);
    assert.ok((s.why.match(/[.!?](\s|$)/g) ?? []).length <= 3, `${id}: at most three sentences`);
    assert.ok(s.fix.length > 10 && s.fix.length <= 300, `${id}: fix`);
  }
});

test('docs/cli.md and the README list every CLI option of --help', async () => {
  let help = '';
  const out = { write: (s: string) => ((help += s), true) } as unknown as NodeJS.WritableStream;
  assert.equal(await runCli(['--help'], { cwd: root, stdout: out, stderr: out, stdin: new PassThrough() }), 0);
  const options = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]).filter((o) => o !== '--help' && o !== '--version' && o !== '--no-color');
  assert.ok(options.includes('--unsafe-fixes') && options.includes('--dry-run'), options.join(' '));
  const cli = read('docs/cli.md');
  const readme = read('README.md');
  for (const o of options) {
    assert.ok(cli.includes(`| \`${o}`), `docs/cli.md lists ${o}`);
    assert.ok(readme.includes(`| \`${o}`), `README lists ${o}`);
  }
  assert.ok(readme.includes('| `--preset baseline\\|recommended\\|strict` |'));
  assert.ok(cli.includes('| `--preset baseline\\|recommended\\|strict` |'));
});
