// What the language server keeps per open document (issue 16, memory): the documents analysed
// last keep their whole analysis; older ones keep their findings (rule, severity, message,
// range), text and line index only, and answer a later question about fixes or containers
// by analysing the text again, exactly as a plain whole analysis would.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine, type AnalysisResult, type AnalyzeInput } from '../../../server/src/core/engine';
import { isShrunk, RetainedAnalyses } from '../../../server/src/lsp/retain';
import { rules } from '../../../server/src/rules';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const config = mergeConfig();

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/(?:Dockerfile[^/]*|\.dockerfile|\.ya?ml)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Every fixture of the rules and secrets corpora, the bench fixtures and the examples. */
const CORPUS = [...files(path.join(ROOT, 'test', 'fixtures')), ...files(path.join(ROOT, 'bench', 'fixtures')), ...files(path.join(ROOT, 'examples'))];
const DOCKERFILE = fs.readFileSync(path.join(ROOT, 'bench', 'fixtures', 'Dockerfile'), 'utf8');

const rows = (r: AnalysisResult) => r.findings.map((f) => `${f.rule}|${f.severity}|${f.start}|${f.end}|${f.message}`);
const fixes = (r: AnalysisResult) => JSON.stringify(r.findings.map((f) => f.fixes));
/** Containers as lenses and Harden read them. */
const containers = (r: AnalysisResult) => JSON.stringify((r.containers ?? []).map((c) => [c.platform, c.name, c.anchor, c.extent ?? null, c.pod?.object ?? null]));

/** Objects reachable from a value through own data properties (getters are not called), stopping at `stop`. */
function reachable(value: unknown, stop: (o: object) => boolean): number {
  const seen = new Set<object>();
  const visit = (v: unknown) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v as object) || stop(v as object)) return;
    seen.add(v as object);
    for (const k of Reflect.ownKeys(v as object)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && 'value' in d) visit(d.value);
    }
  };
  visit(value);
  return seen.size;
}

describe('RetainedAnalyses', () => {
  test('the last `whole` documents keep whole analyses; older ones are shrunk; code-action analyses past the last few are dropped', () => {
    const engine = createEngine(rules);
    const diagnostics = new RetainedAnalyses({ whole: 8, older: 'shrink' });
    const actions = new RetainedAnalyses({ whole: 4, older: 'drop' });
    const seen: [number, number, number, number][] = [];
    for (let n = 0; n < 20; n++) {
      const input: AnalyzeInput = { text: `# copy ${n}\n${DOCKERFILE}`, path: `/w/${n}/Dockerfile`, cacheKey: `file:///w/${n}/Dockerfile` };
      const result = engine.analyze(input, config);
      diagnostics.set(input.cacheKey!, { version: 1, configKey: '', result }, () => engine.analyze(input, config));
      actions.set(input.cacheKey!, { version: 1, configKey: '', result: engine.analyze({ ...input, cacheKey: undefined }, config) });
      const d = diagnostics.stats();
      seen.push([d.entries, d.whole, d.shrunk, actions.stats().entries]);
    }
    assert.deepEqual(seen[0], [1, 1, 0, 1]);
    assert.deepEqual(seen[7], [8, 8, 0, 4]);
    assert.deepEqual(seen[8], [9, 8, 1, 4]);
    assert.deepEqual(seen[19], [20, 8, 12, 4]);
    assert.equal(isShrunk(diagnostics.get('file:///w/0/Dockerfile')!.result), true);
    assert.equal(isShrunk(diagnostics.get('file:///w/19/Dockerfile')!.result), false);
    assert.equal(actions.get('file:///w/15/Dockerfile'), undefined);
    // storing a document again makes it the most recent: whole again, another one shrinks
    const input: AnalyzeInput = { text: DOCKERFILE, path: '/w/0/Dockerfile', cacheKey: 'file:///w/0/Dockerfile' };
    diagnostics.set(input.cacheKey!, { version: 2, configKey: '', result: engine.analyze(input, config) }, () => engine.analyze(input, config));
    assert.equal(isShrunk(diagnostics.get('file:///w/0/Dockerfile')!.result), false);
    assert.equal(isShrunk(diagnostics.get('file:///w/12/Dockerfile')!.result), true);
    assert.deepEqual(diagnostics.stats(), { entries: 20, whole: 8, shrunk: 12, regrown: 0 });
    diagnostics.delete('file:///w/0/Dockerfile');
    assert.equal(diagnostics.has('file:///w/0/Dockerfile'), false);
    diagnostics.clear();
    assert.deepEqual(diagnostics.stats(), { entries: 0, whole: 0, shrunk: 0, regrown: 0 });
  });

  test('stored shrunk from the start (a Dockerfile opened and not typed into): the same findings, fixes and containers; the whole ones stay whole', () => {
    const engine = createEngine(rules);
    const store = new RetainedAnalyses({ whole: 2, older: 'shrink' });
    const dropping = new RetainedAnalyses({ whole: 2, older: 'drop' });
    const calls: number[] = [];
    const inputOf = (n: number): AnalyzeInput => ({ text: `# ${n}\n${DOCKERFILE}`, path: `/w/${n}/Dockerfile` });
    store.set('edited', { version: 2, configKey: '', result: engine.analyze(inputOf(0), config) }, () => engine.analyze(inputOf(0), config));
    for (const n of [1, 2, 3]) {
      store.set(`opened${n}`, { version: 1, configKey: 'k', result: engine.analyze(inputOf(n), config) }, () => {
        calls.push(n);
        return engine.analyze(inputOf(n), config);
      }, true);
      dropping.set(`opened${n}`, { version: 1, configKey: 'k', result: engine.analyze(inputOf(n), config) }, () => engine.analyze(inputOf(n), config), true);
    }
    assert.deepEqual(store.stats(), { entries: 4, whole: 1, shrunk: 3, regrown: 0 });
    assert.equal(isShrunk(store.get('edited')!.result), false);
    // without `older: 'shrink'` the flag does nothing
    assert.deepEqual(dropping.stats(), { entries: 2, whole: 2, shrunk: 0, regrown: 0 });
    const kept = store.get('opened2')!;
    assert.equal(kept.version, 1);
    assert.equal(kept.configKey, 'k');
    const plain = engine.analyze(inputOf(2), config);
    assert.deepEqual(rows(kept.result), rows(plain));
    assert.deepEqual(calls, []);
    assert.equal(fixes(kept.result), fixes(plain));
    assert.equal(containers(kept.result), containers(plain));
    assert.deepEqual(calls, [2]);
    assert.equal(store.stats().regrown, 1);
  });

  test('a shrunk analysis keeps no parse, model or fixes: a few objects per finding', () => {
    const engine = createEngine(rules);
    const store = new RetainedAnalyses({ whole: 1, older: 'shrink' });
    const input: AnalyzeInput = { text: DOCKERFILE, path: '/w/Dockerfile', cacheKey: 'file:///w/Dockerfile' };
    const whole = engine.analyze(input, config);
    store.set('a', { version: 1, configKey: '', result: whole }, () => engine.analyze(input, config));
    store.set('b', { version: 1, configKey: '', result: engine.analyze({ ...input, cacheKey: 'b' }, config) });
    const shrunk = store.get('a')!.result;
    assert.equal(isShrunk(shrunk), true);
    const stop = (o: object) => o === store || o instanceof RetainedAnalyses || typeof o === 'function';
    // the result, its findings array, one object per finding, the line index and its line starts
    const findings = whole.findings.length;
    assert.equal(findings, 4);
    const kept = reachable(shrunk, stop);
    assert.ok(kept <= 2 * findings + 6, `shrunk: ${kept} objects`);
    // the whole analysis holds the model (containers, facts; their setters hold the parse)
    assert.ok(reachable(whole, stop) > 3 * kept, `whole: ${reachable(whole, stop)} objects`);
    assert.ok(reachable(whole.containers, stop) > 20, `containers: ${reachable(whole.containers, stop)} objects`);
    assert.deepEqual(Object.keys(shrunk.findings[0]).sort(), ['end', 'from', 'message', 'rule', 'severity', 'start']);
  });

  test('fixes and containers of a shrunk analysis: one analysis again, kept in a bounded LRU', () => {
    const engine = createEngine(rules);
    const store = new RetainedAnalyses({ whole: 1, older: 'shrink', again: 2 });
    const calls = new Map<string, number>();
    for (let n = 0; n < 6; n++) {
      const key = `file:///w/${n}/Dockerfile`;
      const input: AnalyzeInput = { text: `# ${n}\n${DOCKERFILE}`, path: `/w/${n}/Dockerfile`, cacheKey: key };
      store.set(key, { version: 1, configKey: '', result: engine.analyze(input, config) }, () => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return engine.analyze(input, config);
      });
    }
    const r0 = store.get('file:///w/0/Dockerfile')!.result;
    const plain = engine.analyze({ text: `# 0\n${DOCKERFILE}`, path: '/w/0/Dockerfile' }, config);
    assert.deepEqual(rows(r0), rows(plain));
    assert.equal(calls.size, 0); // diagnostics read the findings only
    assert.equal(fixes(r0), fixes(plain));
    assert.equal(containers(r0), containers(plain));
    assert.equal(r0.containers, r0.containers); // the same objects while it is kept
    assert.deepEqual([...calls], [['file:///w/0/Dockerfile', 1]]);
    for (const n of [1, 2, 3]) void store.get(`file:///w/${n}/Dockerfile`)!.result.containers;
    assert.equal(store.stats().regrown, 2);
    void r0.findings[0].fixes; // dropped from the LRU: analysed again
    assert.equal(calls.get('file:///w/0/Dockerfile'), 2);
  });

  test('every corpus file: a shrunk analysis gives the findings and fixes of a plain whole analysis, and the containers of the analysis it replaced', () => {
    assert.ok(CORPUS.length >= 100, String(CORPUS.length));
    const engine = createEngine(rules);
    const store = new RetainedAnalyses({ whole: 1, older: 'shrink' });
    const keys: string[] = [];
    for (const file of CORPUS) {
      const key = pathToFileURL(file).href;
      // as the server does: the document's URI names it across edits (per-document reuse)
      const input: AnalyzeInput = { text: fs.readFileSync(file, 'utf8'), path: file, cacheKey: key, budgetMs: 60_000 };
      store.set(key, { version: 1, configKey: '', result: engine.analyze(input, config) }, () => engine.analyze(input, config));
      keys.push(key);
    }
    assert.equal(store.stats().shrunk, CORPUS.length - 1);
    let findings = 0;
    for (const [i, file] of CORPUS.entries()) {
      const kept = store.get(keys[i])!.result;
      const plain = engine.analyze({ text: fs.readFileSync(file, 'utf8'), path: file }, config);
      const name = path.relative(ROOT, file);
      assert.equal(isShrunk(kept), i < CORPUS.length - 1, name);
      assert.deepEqual(rows(kept), rows(plain), name);
      assert.equal(fixes(kept), fixes(plain), name);
      // containers as the server's own analysis (with the document's cacheKey) has them
      assert.equal(containers(kept), containers(createEngine(rules).analyze({ text: fs.readFileSync(file, 'utf8'), path: file, cacheKey: keys[i] }, config)), name);
      assert.equal(kept.kind, plain.kind, name);
      findings += plain.findings.length;
    }
    assert.ok(findings > 300, String(findings));
  });
});
