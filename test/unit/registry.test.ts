import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '../../server/src/rules';
import { BUILTIN_IDS, CATALOG_IDS } from '../../server/src/core/rule';

// Compiled to out/test/unit: the repository root is three levels up.
const root = path.resolve(__dirname, '..', '..', '..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');

for (const rule of rules) {
  const id = rule.meta.id;
  test(`registry: ${id} is a catalog id`, () => assert.ok(CATALOG_IDS.includes(id)));
  test(`registry: ${id} has a doc page`, () => assert.ok(fs.existsSync(path.join(root, 'docs', 'rules', `${id}.md`))));
  test(`registry: ${id} has a test table`, () => {
    const dir = path.join(root, 'test', 'unit', 'rules');
    const tables = fs.readdirSync(dir).filter((f) => f === `${id}.test.ts` || f.startsWith(`${id}-`));
    assert.ok(tables.length > 0, `no test/unit/rules/${id}.test.ts`);
    const text = tables.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    // a fixable rule's table applies its fix and compares the exact text
    if (rule.meta.fixable) assert.match(text, /fixed:/);
  });
  test(`registry: ${id} is listed in the README`, () => assert.ok(read('README.md').includes(`docs/rules/${id}.md`)));
}

test('registry: rule ids are unique', () => {
  const ids = rules.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('registry: the editor settings and the .bulkhead.yaml schema know every id', () => {
  const pkg = JSON.parse(read('package.json'));
  const settingIds = Object.keys(pkg.contributes.configuration.properties['bulkhead.rules'].properties);
  const schemaIds = Object.keys(JSON.parse(read('docs/bulkhead.schema.json')).properties.rules.properties);
  const all = [...CATALOG_IDS, ...Object.keys(BUILTIN_IDS)].sort();
  assert.deepEqual([...settingIds].sort(), all);
  assert.deepEqual([...schemaIds].sort(), all);
});

test('registry: every built-in finding id has a doc page', () => {
  for (const id of Object.keys(BUILTIN_IDS)) assert.ok(fs.existsSync(path.join(root, 'docs', 'rules', `${id}.md`)), id);
});
