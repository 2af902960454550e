// Per-service reuse for Compose files (issue 16, core/composeReuse.ts): analysed with a
// cacheKey, a Compose file gives exactly what a whole analysis gives after every edit (findings
// and fixes), an edit inside one service re-runs the rules on that service only, and an edit to
// the top-level sections re-runs every service.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classify } from '../../../server/src/core/classify';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine, type AnalysisResult } from '../../../server/src/core/engine';
import type { Rule } from '../../../server/src/core/rule';
import { rules } from '../../../server/src/rules';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const config = mergeConfig();

const rows = (r: AnalysisResult) => r.findings.map((f) => `${f.rule}|${f.severity}|${f.start}|${f.end}|${f.message}`);
const fixes = (r: AnalysisResult) => JSON.stringify(r.findings.map((f) => f.fixes));

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/** Every Compose file of the rule and secret corpora, the examples and the bench fixtures. */
const COMPOSE = ['test/fixtures', 'examples', 'bench/fixtures']
  .flatMap((d) => walk(path.join(ROOT, d)))
  .map((p) => ({ p, text: fs.readFileSync(p, 'utf8') }))
  .filter(({ p, text }) => !text.includes('\0') && classify(text, p) === 'compose');

/** The k-th edit: a character typed, a character removed, a line break with indentation, `: ` typed; at offsets spread over the whole text. */
function edit(text: string, k: number): { text: string; keep: boolean } {
  const o = (k * 7919 + 13) % Math.max(1, text.length);
  const ops = [`${text.slice(0, o)}x${text.slice(o)}`, text.slice(0, o) + text.slice(o + 1), `${text.slice(0, o)}\n  ${text.slice(o)}`, `${text.slice(0, o)}: ${text.slice(o)}`];
  return { text: ops[k % ops.length], keep: k % 3 === 0 };
}

/** A rule that records which containers each run sees. */
function spy(): { rule: Rule; runs: string[][] } {
  const runs: string[][] = [];
  const rule: Rule = {
    meta: { id: 'spy', title: 'spy', severity: 'info', platforms: ['compose'], fixable: false, peers: {} },
    check({ file }) {
      runs.push(file.containers.map((c) => c.name));
    },
  };
  return { rule, runs };
}

const STACK = [
  'name: shop',
  'services:',
  '  web:',
  '    image: nginx:1.25.3',
  '    volumes:',
  '      - data:/srv',
  '  api:',
  '    image: example/api:1.0',
  '    environment:',
  '      LOG_LEVEL: info',
  '  db:',
  '    image: postgres:16',
  'volumes:',
  '  data:',
  '    driver: local',
  '    driver_opts: {type: none, o: bind, device: /var/lib/docker}',
  '',
].join('\n');

describe('Compose per-service reuse', () => {
  test(`every Compose fixture (${COMPOSE.length}): findings equal a whole analysis after every edit; fixes too`, () => {
    assert.ok(COMPOSE.length >= 50, String(COMPOSE.length));
    let reused = 0;
    for (const { p, text } of COMPOSE) {
      const reuse = createEngine(rules);
      const whole = createEngine(rules);
      let t = text;
      for (let k = 0; k < 24; k++) {
        const e = edit(t, k);
        const a = reuse.analyze({ text: e.text, path: p, cacheKey: `file://${p}` }, config);
        const b = whole.analyze({ text: e.text, path: p }, config);
        assert.deepEqual(rows(a), rows(b), `${p} edit ${k}`);
        if (k % 8 === 0) assert.equal(fixes(a), fixes(b), `${p} fixes after edit ${k}`);
        if (e.keep) t = e.text;
      }
      if (reuse.cacheSize().groupEntries > 0) reused++;
    }
    // most fixtures qualify (not stacks, legacy files, or files whose services merge anchors)
    assert.ok(reused >= 40, String(reused));
  });

  test('an edit inside one service runs the rules on that service only; an edit outside services on all', () => {
    const s = spy();
    const e = createEngine([...rules, s.rule]);
    const run = (text: string) => {
      s.runs.length = 0;
      return e.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c' }, config);
    };
    run(STACK);
    assert.deepEqual(s.runs, [[], ['web'], ['api'], ['db']]);
    run(STACK.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
    assert.deepEqual(s.runs, [['api']]);
    run(STACK.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug').replace('name: shop', 'name: shop2'));
    assert.deepEqual(s.runs, [[], ['web'], ['api'], ['db']]);
    // unchanged text: nothing runs
    run(STACK.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug').replace('name: shop', 'name: shop2'));
    assert.deepEqual(s.runs, []);
  });

  test('a top-level volume edited changes the findings of the service that mounts it', () => {
    const reuse = createEngine(rules);
    const whole = createEngine(rules);
    const mounts = (r: AnalysisResult) => rows(r).filter((x) => x.startsWith('no-sensitive-host-mounts'));
    const seen: number[] = [];
    for (const device of ['/var/lib/docker', '/srv/data', '/var/lib/docker']) {
      const text = STACK.replace('/var/lib/docker', device);
      const a = reuse.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c' }, config);
      const b = whole.analyze({ text, path: '/w/compose.yaml' }, config);
      assert.deepEqual(rows(a), rows(b), device);
      seen.push(mounts(a).length);
    }
    assert.deepEqual(seen, [1, 0, 1]);
  });

  test('a service added, removed, renamed or moved gives what a whole analysis gives', () => {
    const reuse = createEngine(rules);
    const whole = createEngine(rules);
    const texts = [
      STACK,
      STACK.replace('  db:\n', '  cache:\n    image: redis:7\n    privileged: true\n  db:\n'),
      STACK.replace('  db:\n', '  cache:\n    image: redis:7\n    privileged: true\n  db:\n').replace('  web:', '  www:'),
      STACK.replace('  db:\n    image: postgres:16\n', ''),
      STACK.replace('  api:', '  zzz:').replace('  web:', '  api:'),
      // an alias into another service: analysed whole, still the same
      STACK.replace('    image: example/api:1.0', '    image: &img example/api:1.0').replace('image: postgres:16', 'image: *img'),
      STACK,
    ];
    for (const [i, text] of texts.entries()) {
      const a = reuse.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c' }, config);
      const b = whole.analyze({ text, path: '/w/compose.yaml' }, config);
      assert.deepEqual(rows(a), rows(b), `text ${i}`);
      assert.equal(fixes(a), fixes(b), `fixes of text ${i}`);
    }
  });

  test('aliases to x- anchors: a service edit re-runs that service and the context; an anchor edit re-runs all; same findings as whole', () => {
    const text = [
      'x-common: &common',
      '  restart: always',
      '  privileged: false',
      'x-env: &env',
      '  LOG_LEVEL: info',
      'services:',
      '  web:',
      '    <<: *common',
      '    image: nginx:1.25.3',
      '  api:',
      '    <<: *common',
      '    image: example/api:1.0',
      '    environment: *env',
      '  db:',
      '    image: postgres:16',
      '',
    ].join('\n');
    const s = spy();
    const reuse = createEngine([...rules, s.rule]);
    const whole = createEngine(rules);
    /** Analyses `t` both ways and answers with the findings and the runs the analysis made (before fixes are read: they analyse whole). */
    const step = (t: string) => {
      s.runs.length = 0;
      const a = reuse.analyze({ text: t, path: '/w/compose.yaml', cacheKey: 'c' }, config);
      const runs = [...s.runs];
      assert.deepEqual(rows(a), rows(whole.analyze({ text: t, path: '/w/compose.yaml' }, config)));
      assert.equal(fixes(a), fixes(whole.analyze({ text: t, path: '/w/compose.yaml' }, config)));
      return { a, runs };
    };
    assert.deepEqual(step(text).runs, [[], ['web'], ['api'], ['db']]);
    assert.deepEqual(step(text.replace('image: postgres:16', 'image: postgres:17')).runs, [[], ['db']]);
    // the anchor turns privileged on for the two services that merge it: reported on the
    // anchor's line, outside the services, so the file is analysed whole (after the first unit
    // found it), and stays so while the text outside the services is unchanged
    const privileged = text.replace('privileged: false', 'privileged: true');
    const on = step(privileged);
    assert.deepEqual(on.runs, [[], ['web'], ['web', 'api', 'db']]);
    assert.deepEqual(rows(on.a).filter((r) => r.startsWith('no-privileged|')).map((r) => r.split('|').slice(2, 4).join('-')), ['38-54']);
    assert.deepEqual(step(privileged.replace('postgres:16', 'postgres:17')).runs, [['web', 'api', 'db']]);
    assert.deepEqual(step(text.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug')).runs, [[], ['web'], ['api'], ['db']]);
    // an anchor edit the services read re-runs them all
    assert.deepEqual(step(text.replace('restart: always', 'restart: "no"')).runs, [[], ['web'], ['api'], ['db']]);
    // a secret in an anchor two services merge is one finding naming both: the units report
    // outside themselves, so the file is analysed whole, and stays so while the anchors are unchanged
    const withSecret = text.replace('LOG_LEVEL: info', 'DB_PASSWORD: "k8Jz2QmX91pLw4Rt"').replace('  db:\n', '  db:\n    environment: *env\n');
    const secret = step(withSecret);
    assert.ok(rows(secret.a).some((r) => r.startsWith('no-hardcoded-secrets|') && r.includes("services 'api', 'db'")), rows(secret.a).join('\n'));
    assert.deepEqual(secret.runs.at(-1), ['web', 'api', 'db']);
    assert.deepEqual(step(withSecret.replace('postgres:16', 'postgres:17')).runs, [['web', 'api', 'db']]);
    // an anchor written in one service and merged by another: analysed whole
    const inService = step(text.replace('    image: nginx:1.25.3', '    image: nginx:1.25.3\n    cap_add: &caps [SYS_ADMIN]').replace('    image: postgres:16', '    image: postgres:16\n    cap_add: *caps'));
    assert.deepEqual(inService.runs, [['web', 'api', 'db']]);
  });

  test('a config change is seen by every reused service', () => {
    const e = createEngine(rules);
    const text = STACK.replace('    image: postgres:16', '    image: postgres:16\n    privileged: true');
    const on = e.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c' }, config);
    const off = e.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c' }, mergeConfig({ rules: { 'no-privileged': 'off' } }));
    assert.ok(rows(on).some((r) => r.startsWith('no-privileged|')));
    assert.ok(!rows(off).some((r) => r.startsWith('no-privileged|')));
    assert.deepEqual(rows(off), rows(createEngine(rules).analyze({ text, path: '/w/compose.yaml' }, mergeConfig({ rules: { 'no-privileged': 'off' } }))));
  });

  test('past the time budget, the services not checked yet are left out, nothing is kept, and one info finding says so', () => {
    // a rule that reports each service it sees, on the service's name; the clock moves 100 ms per read
    const each: Rule = {
      meta: { id: 'each', title: 'each', severity: 'warning', platforms: ['compose'], fixable: false, peers: {} },
      check({ file, report }) {
        for (const c of file.containers) report({ ...c.anchor, message: c.name });
      },
    };
    const e = createEngine([each]);
    let t = 0;
    e.now = () => (t += 100);
    const r = e.analyze({ text: STACK, path: '/w/compose.yaml', cacheKey: 'c', budgetMs: 450 }, config);
    // start 100, deadline 550: the parse reads 200, the context's rule 300, web's 400, api's 500;
    // db's reads 600, past it: db is not checked, and the finding is written at 700
    assert.deepEqual(r.findings.map((f) => `${f.rule}|${f.message}`), [
      'file-too-large|Analysis stopped after 600 ms: this file takes too long to check, so its results are incomplete',
      'each|web',
      'each|api',
    ]);
    assert.equal(e.cacheSize().groupEntries, 0);
    // the same text with time enough: every service, and kept
    t = 0;
    const r2 = e.analyze({ text: STACK, path: '/w/compose.yaml', cacheKey: 'c', budgetMs: 10_000 }, config);
    assert.deepEqual(r2.findings.map((f) => `${f.rule}|${f.message}`), ['each|web', 'each|api', 'each|db']);
    assert.equal(e.cacheSize().groupEntries, 4);
    // an edit in db, out of time before db: web and api reused, db left out
    t = 0;
    const r3 = e.analyze({ text: STACK.replace('postgres:16', 'postgres:17'), path: '/w/compose.yaml', cacheKey: 'c', budgetMs: 150 }, config);
    assert.deepEqual(r3.findings.map((f) => `${f.rule}|${f.message}`), [
      'file-too-large|Analysis stopped after 300 ms: this file takes too long to check, so its results are incomplete',
      'each|web',
      'each|api',
    ]);
    assert.equal(e.cacheSize().groupEntries, 0);
  });

  test("a service's Dockerfile is parsed again only when it, or a file it read, changed: the same findings as a fresh engine", () => {
    const files: Record<string, string | undefined> = { 'app/Dockerfile': 'FROM node:20\nUSER node\n' };
    const workspace = { read: (p: string) => files[p] };
    const text = 'services:\n  app:\n    build: ./app\n  db:\n    image: postgres:16\n';
    const reuse = createEngine(rules);
    const root = (r: AnalysisResult) => rows(r).filter((x) => x.startsWith('no-root-user|') && x.includes("'app'"));
    const seen: number[] = [];
    for (const dockerfile of ['FROM node:20\nUSER node\n', 'FROM node:20\nUSER node\n', 'FROM node:20\n', undefined, 'FROM node:20\nUSER node\n']) {
      files['app/Dockerfile'] = dockerfile;
      const a = reuse.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c', workspace }, config);
      const b = createEngine(rules).analyze({ text, path: '/w/compose.yaml', workspace }, config);
      assert.deepEqual(rows(a), rows(b), String(dockerfile));
      // the workspace changed: the language server drops what the file reused (engine.invalidate)
      reuse.invalidate('c');
      seen.push(root(a).length);
    }
    assert.deepEqual(seen, [0, 0, 1, 1, 0]);
  });

  test('what an open Compose file keeps stays bounded over many edits; forget and invalidate drop it', () => {
    const e = createEngine(rules);
    const text = fs.readFileSync(path.join(ROOT, 'bench', 'fixtures', 'docker-compose.yml'), 'utf8');
    let t = text;
    for (let k = 0; k < 200; k++) {
      t = edit(t, k).text;
      e.analyze({ text: t, path: '/w/docker-compose.yml', cacheKey: 'd' }, config);
      const s = e.cacheSize();
      // the context and at most the five services of the latest text
      assert.ok(s.groupEntries <= 6, JSON.stringify(s));
      assert.ok(s.groupChars <= 6 * (t.length + 200), JSON.stringify(s));
      assert.equal(s.keys, 1);
    }
    e.analyze({ text, path: '/w/docker-compose.yml', cacheKey: 'd' }, config);
    assert.equal(e.cacheSize().groupEntries, 6);
    e.invalidate('d');
    assert.equal(e.cacheSize().groupEntries, 0);
    e.analyze({ text, path: '/w/docker-compose.yml', cacheKey: 'd' }, config);
    e.forget('d');
    assert.deepEqual(e.cacheSize(), { yamlEntries: 0, yamlChars: 0, groupEntries: 0, groupChars: 0, keys: 0 });
  });
});

describe('Compose: an edit inside one service parsed alone', () => {
  /** Line starts of a text's lines below some service key (indented, not the key's own line), with the key lines. */
  function bodyLines(text: string): number[] {
    const out: number[] = [];
    let inServices = false;
    let at = 0;
    for (const line of text.split('\n')) {
      if (/^services:/.test(line)) inServices = true;
      else if (/^\S/.test(line)) inServices = false;
      else if (inServices && /^ {4,}\S/.test(line)) out.push(at);
      at += line.length + 1;
    }
    return out;
  }

  test('every Compose fixture, an edit on every line of every service body: findings equal a whole analysis; fixes and containers too (sampled); most parse the service alone', () => {
    let alone = 0;
    let edits = 0;
    for (const { p, text } of COMPOSE) {
      const reuse = createEngine(rules);
      const whole = createEngine(rules);
      const key = `file://${p}`;
      reuse.analyze({ text, path: p, cacheKey: key }, config);
      for (const [n, start] of bodyLines(text).slice(0, 40).entries()) {
        const end = text.indexOf('\n', start);
        const mid = start + Math.floor(((end < 0 ? text.length : end) - start) / 2) + 1;
        // a character typed mid-line, that line removed, a line break with less indentation, the
        // next line commented out (it may be the next service's key), then back to the text
        const next = end < 0 ? text.length : end + 1;
        const variants = [`${text.slice(0, mid)}0${text.slice(mid)}`, text.slice(0, start) + text.slice(next), `${text.slice(0, mid)}\n  x: 1${text.slice(mid)}`, `${text.slice(0, next)}#${text.slice(next)}`, text];
        for (const [v, t] of variants.entries()) {
          const before = reuse.stats.serviceParses - reuse.stats.serviceRefused;
          const a = reuse.analyze({ text: t, path: p, cacheKey: key }, config);
          const b = whole.analyze({ text: t, path: p }, config);
          assert.deepEqual(rows(a), rows(b), `${p} line at ${start} variant ${v}`);
          if ((n + v) % 7 === 0) {
            assert.equal(fixes(a), fixes(b), `${p} fixes, line at ${start} variant ${v}`);
            assert.deepEqual((a.containers ?? []).map((c) => `${c.name}@${c.anchor.start}-${c.extent?.end}`), (b.containers ?? []).map((c) => `${c.name}@${c.anchor.start}-${c.extent?.end}`));
          }
          edits++;
          if (reuse.stats.serviceParses - reuse.stats.serviceRefused > before) alone++;
        }
      }
    }
    // most fixtures qualify, and most of their edits stay inside one service
    assert.ok(edits > 1000, String(edits));
    assert.ok(alone > edits / 3, `${alone} of ${edits}`);
  });

  test('the service alone is parsed when the edit is inside its body; refused (the whole text parsed, the same findings) when it could reach past it', () => {
    const s = spy();
    const e = createEngine([...rules, s.rule]);
    const whole = createEngine(rules);
    const run = (text: string) => {
      s.runs.length = 0;
      const before = { ...e.stats };
      const a = e.analyze({ text, path: '/w/compose.yaml', cacheKey: 'c' }, config);
      assert.deepEqual(rows(a), rows(whole.analyze({ text, path: '/w/compose.yaml' }, config)));
      return { runs: s.runs.map((r) => r.join(',')), parses: e.stats.yamlParses - before.yamlParses, alone: e.stats.serviceParses - before.serviceParses, refused: e.stats.serviceRefused - before.serviceRefused };
    };
    assert.deepEqual(run(STACK), { runs: ['', 'web', 'api', 'db'], parses: 1, alone: 0, refused: 0 });
    const debug = STACK.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug');
    assert.deepEqual(run(debug), { runs: ['api'], parses: 0, alone: 1, refused: 0 });
    // the first and the last service
    assert.deepEqual(run(debug.replace('nginx:1.25.3', 'nginx:1.25.4')), { runs: ['web'], parses: 0, alone: 1, refused: 0 });
    assert.deepEqual(run(debug.replace('nginx:1.25.3', 'nginx:1.25.4').replace('postgres:16', 'postgres:17')), { runs: ['db'], parses: 0, alone: 1, refused: 0 });
    run(STACK);
    const refused = [
      // a line of api dedented to the top level
      STACK.replace('    environment:\n      LOG_LEVEL', 'environment:\n      LOG_LEVEL'),
      // a document marker inside api
      STACK.replace('    environment:', '---\n    environment:'),
      // an unterminated flow sequence at the end of api
      STACK.replace('      LOG_LEVEL: info\n', '      LOG_LEVEL: [info\n'),
      // an alias to an anchor elsewhere, and a duplicate key
      STACK.replace('    image: example/api:1.0', '    image: *img'),
      STACK.replace('    image: example/api:1.0', '    image: example/api:1.0\n    image: example/api:2.0'),
      // a tab for indentation
      STACK.replace('      LOG_LEVEL: info', '\tLOG_LEVEL: info'),
    ];
    for (const [i, text] of refused.entries()) {
      const r = run(text);
      // parsed alone, refused, and the whole text parsed (the marker: refused before a parse, two documents)
      assert.deepEqual([r.alone, r.refused, r.parses], i === 1 ? [0, 1, 2] : [1, 1, 1], `text ${i}`);
      run(STACK);
    }
    // the next service's key line commented out, or joined to the line before: refused before a parse
    // (db's lines join api, whose image is then written twice: the whole text is analysed whole)
    for (const [text, runs] of [[STACK.replace('  db:', '#  db:'), ['web,api']], [STACK.replace('LOG_LEVEL: info\n', 'LOG_LEVEL: info'), ['']]] as const) {
      assert.deepEqual(run(text), { runs, parses: 1, alone: 0, refused: 1 });
      run(STACK);
    }
    // the service's key line, and the top level: never parsed alone
    assert.deepEqual(run(STACK.replace('  api:', '  api2:')).alone, 0);
    assert.deepEqual(run(STACK.replace('name: shop', 'name: shop2')).alone, 0);
    // after an edit parsed alone, the containers and fixes are those of the whole text
    run(STACK);
    const privileged = STACK.replace('    image: postgres:16', '    image: postgres:16\n    privileged: true');
    const a = e.analyze({ text: privileged, path: '/w/compose.yaml', cacheKey: 'c' }, config);
    const b = whole.analyze({ text: privileged, path: '/w/compose.yaml' }, config);
    assert.equal(fixes(a), fixes(b));
    const containers = (r: AnalysisResult) => r.containers!.map((c) => [c.name, c.anchor.start, c.security.privileged.value]);
    assert.deepEqual(containers(a), [['web', 23, false], ['api', 85, false], ['db', 158, true]]);
    assert.deepEqual(containers(a), containers(b));
  });
});
