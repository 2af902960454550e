/**
 * The extension package: what the manifest declares for the Marketplace and Restricted Mode,
 * and that the .vsix holds only what the extension loads or the Extensions view shows
 * (`vsce ls`, the same list `vsce package` uses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('package: icon, categories, keywords, changelog', () => {
  assert.equal(pkg.icon, 'images/icon.png');
  const png = fs.readFileSync(path.join(root, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, 'the Marketplace wants at least 128x128');
  assert.deepEqual(pkg.categories, ['Linters', 'Programming Languages', 'Other']);
  for (const k of ['docker', 'dockerfile', 'compose', 'kubernetes', 'security']) assert.ok(pkg.keywords.includes(k), k);
  assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')} `, 'm'));
});

test('package: Restricted Mode is supported in part, and the settings that could hide findings are restricted', () => {
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['bulkhead.preset', 'bulkhead.rules', 'bulkhead.nonRootImages', 'bulkhead.trustedRegistries', 'bulkhead.compose.target']);
  for (const s of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(pkg.contributes.configuration.properties[s], s);
  const doc = fs.readFileSync(path.join(root, 'docs', 'restricted-mode.md'), 'utf8');
  for (const s of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(doc.includes(`| \`${s}\` |`), `docs/restricted-mode.md lists ${s}`);
});

test('package: the commands the client registers are contributed', () => {
  const client = ['extension.ts', 'status.ts', 'docs.ts', 'containers.ts'].map((f) => fs.readFileSync(path.join(root, 'client', 'src', f), 'utf8')).join('\n');
  // bulkhead.showContainerFindings is run by the CodeLens with its arguments, not from the palette
  const internal = new Set(['bulkhead.showContainerFindings']);
  const registered = [...client.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).filter((c) => !internal.has(c)).sort();
  assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command).sort(), registered);
});

test('package: the .vsix holds only what the extension loads and the Extensions view shows', () => {
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').filter(Boolean).sort();
  const rulePages = fs.readdirSync(path.join(root, 'docs', 'rules')).map((f) => `docs/rules/${f}`);
  const images = fs.readdirSync(path.join(root, 'docs', 'images')).filter((f) => f.endsWith('.png')).map((f) => `docs/images/${f}`);
  const grammars = fs.readdirSync(path.join(root, 'syntaxes')).map((f) => `syntaxes/${f}`);
  const expected = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'images/icon.png', 'dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/bulkhead.schema.json', ...rulePages, ...images, ...grammars].sort();
  assert.deepEqual(files, expected);
});
