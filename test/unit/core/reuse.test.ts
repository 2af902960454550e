// Per-document reuse and cache bounds (issue 16): an open document keeps the parses and
// findings of its latest text only, however many edits came before; a multi-document
// manifest analysed with a cacheKey gives exactly what a whole analysis gives, fixes too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine, type AnalysisResult } from '../../../server/src/core/engine';
import { ownString, parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { rules } from '../../../server/src/rules';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'bench', 'fixtures');
const LARGE = fs.readFileSync(path.join(FIXTURES, 'large-manifest.yaml'), 'utf8');
const SMALL = fs.readFileSync(path.join(FIXTURES, 'manifest.yaml'), 'utf8');

const config = mergeConfig();

const rows = (r: AnalysisResult) => r.findings.map((f) => `${f.rule}|${f.severity}|${f.start}|${f.end}|${f.message}`);
const fixes = (r: AnalysisResult) => JSON.stringify(r.findings.map((f) => f.fixes));

/** Offsets just after `: ` in values, spread over the text: where the k-th edit types. */
function sites(text: string): number[] {
  return [...text.matchAll(/: "?([\w.-]+)/g)].map((m) => m.index + m[0].length - 1);
}

/** The k-th edit of a sequence: insert a character, then remove it, at sites spread over the documents. */
function edit(text: string, at: number[], k: number): string {
  const o = at[(k * 7919) % at.length];
  return k % 2 === 0 ? `${text.slice(0, o)}x${text.slice(o)}` : text.slice(0, o) + text.slice(o + 1);
}

describe('YAML document cache', () => {
  test('an owner keeps exactly the documents of its latest text over many edits', () => {
    const cache = new YamlDocCache();
    const at = sites(LARGE);
    let text = LARGE;
    const documents = parseYamlFile(LARGE, new YamlDocCache()).length;
    assert.equal(documents, 40);
    for (let k = 0; k < 300; k++) {
      text = edit(text, at, k);
      cache.begin('file:///large.yaml');
      const docs = parseYamlFile(text, cache);
      cache.end();
      const size = cache.size();
      assert.equal(size.owners, 1);
      assert.equal(size.entries, docs.length, `edit ${k}`);
      assert.equal(size.chars, docs.reduce((n, d) => n + d.text.length, 0), `edit ${k}`);
    }
    // an edit re-parses only the document it touches: one parse per edit after the first 40
    assert.ok(cache.parses > 300 && cache.parses <= 40 + 300, String(cache.parses));
  });

  test('forget drops an owner; owners beyond the limit are dropped oldest first', () => {
    const cache = new YamlDocCache(4 * 1024 * 1024, 3);
    for (const n of [1, 2, 3, 4]) {
      cache.begin(`file:///${n}.yaml`);
      parseYamlFile(`a: ${n}\n---\nb: ${n}\n`, cache);
      cache.end();
    }
    assert.deepEqual(cache.size(), { owners: 3, entries: 6, chars: 3 * (`a: 1\n`.length + `---\nb: 1\n`.length) });
    cache.forget('file:///4.yaml');
    assert.deepEqual(cache.size(), { owners: 2, entries: 4, chars: 2 * 14 });
  });

  test('ownString copies a long slice and keeps short ones', () => {
    const long = 'x'.repeat(40);
    assert.equal(ownString(long), long);
    assert.equal(ownString('ab'), 'ab');
  });
});

describe('engine reuse with a cacheKey', () => {
  for (const [name, text, edits] of [['large manifest (40 documents)', LARGE, 120], ['small manifest', SMALL, 60]] as const) {
    test(`${name}: findings equal a whole analysis after every edit; fixes too`, () => {
      const reuse = createEngine(rules);
      const whole = createEngine(rules);
      const at = sites(text);
      let t = text;
      let compared = 0;
      for (let k = 0; k < edits; k++) {
        t = edit(t, at, k);
        const a = reuse.analyze({ text: t, path: '/w/deploy.yaml', cacheKey: 'file:///w/deploy.yaml' }, config);
        const b = whole.analyze({ text: t, path: '/w/deploy.yaml' }, config);
        assert.deepEqual(rows(a), rows(b), `edit ${k}`);
        if (k % 20 === 0) {
          assert.equal(fixes(a), fixes(b), `fixes after edit ${k}`);
          compared++;
        }
      }
      assert.ok(compared > 0);
      assert.ok(rows(whole.analyze({ text: t, path: '/w/deploy.yaml' }, config)).length > 5);
    });
  }

  test('a LimitRange document edited changes the findings of the pods it gives defaults', () => {
    const text = (limits: string) =>
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'spec:',
        '  containers:',
        '    - name: c',
        '      image: example/app:1.0',
        '---',
        'apiVersion: v1',
        'kind: LimitRange',
        'metadata: {name: lr}',
        'spec:',
        '  limits:',
        '    - type: Container',
        `      default: ${limits}`,
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: cm}',
        '',
      ].join('\n');
    const reuse = createEngine(rules);
    const whole = createEngine(rules);
    const limitRows = (r: AnalysisResult) => rows(r).filter((x) => x.startsWith('resource-limits'));
    const seen: string[][] = [];
    for (const limits of ['{memory: 512Mi, cpu: 500m}', '{}', '{memory: 512Mi, cpu: 500m}']) {
      const a = reuse.analyze({ text: text(limits), path: '/w/p.yaml', cacheKey: 'p' }, config);
      const b = whole.analyze({ text: text(limits), path: '/w/p.yaml' }, config);
      assert.deepEqual(rows(a), rows(b), limits);
      seen.push(limitRows(a));
    }
    assert.deepEqual(seen, [[], ["resource-limits|info|77|78|Container 'c' has no memory limit: one leak or load spike can starve everything else on the node"], []]);
  });

  test('what an open document keeps stays bounded over many edits, and forget drops it', () => {
    const e = createEngine(rules);
    const at = sites(LARGE);
    let t = LARGE;
    const sizes: ReturnType<typeof e.cacheSize>[] = [];
    for (let k = 0; k < 200; k++) {
      t = edit(t, at, k);
      e.analyze({ text: t, path: '/w/large.yaml', cacheKey: 'file:///w/large.yaml' }, config);
      sizes.push(e.cacheSize());
    }
    for (const s of sizes) {
      assert.ok(s.yamlEntries <= 40, JSON.stringify(s));
      assert.ok(s.yamlChars <= LARGE.length + 200, JSON.stringify(s));
      assert.ok(s.groupEntries <= 40, JSON.stringify(s));
      assert.ok(s.groupChars <= 2 * LARGE.length, JSON.stringify(s));
      assert.equal(s.keys, 1);
    }
    e.forget('file:///w/large.yaml');
    assert.deepEqual(e.cacheSize(), { yamlEntries: 0, yamlChars: 0, groupEntries: 0, groupChars: 0, keys: 0 });
  });
});
