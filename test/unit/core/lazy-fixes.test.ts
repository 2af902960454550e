/**
 * Fixes on demand (issue 16): a rule may report its fixes as a builder; the engine calls it
 * only when something reads the finding's fixes (a code action, fix-all, `--fix`), never on
 * the diagnostics path, and at most once per finding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine, fixOffers } from '../../../server/src/core/engine';
import type { Rule, RuleMeta } from '../../../server/src/core/rule';
import type { Fix, PlannedFix } from '../../../server/src/core/types';
import { engine, rules } from '../../../server/src/rules';
import { loadCorpus } from '../../../bench/corpus';

const meta = (over: Partial<RuleMeta> = {}): RuleMeta => ({ id: 'test-rule', title: 't', severity: 'warning', platforms: ['dockerfile'], fixable: true, peers: {}, ...over });
const TEXT = 'FROM node:20\n';
const fix: Fix = { title: 'Pin it', preferred: true, edits: [{ start: 5, end: 12, text: 'node:20.11' }] };

/** The rule fixtures' cases and the bench fixtures, as analysed. */
function realInputs(): { text: string; path: string }[] {
  const inputs = loadCorpus().map((c) => ({ text: c.text, path: c.analysedAs }));
  const fixtures = path.join(__dirname, '..', '..', '..', '..', 'bench', 'fixtures');
  for (const name of fs.readdirSync(fixtures)) if (fs.statSync(path.join(fixtures, name)).isFile()) inputs.push({ text: fs.readFileSync(path.join(fixtures, name), 'utf8'), path: name });
  return inputs;
}

describe('fixes built on demand', () => {
  test('a builder runs only when the fixes are read, once', () => {
    let builds = 0;
    const r: Rule = { meta: meta(), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: () => (builds++, [fix]) }) };
    const found = createEngine([r]).analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig());
    assert.equal(found.findings.length, 1);
    assert.equal(builds, 0, 'analysis alone builds no fix');
    assert.deepEqual(found.findings[0].fixes, [fix]);
    assert.equal(found.findings[0].fixes, found.findings[0].fixes);
    assert.equal(builds, 1);
  });

  test('fixes set before they are read replace the builder, which never runs', () => {
    let builds = 0;
    const r: Rule = { meta: meta(), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: () => (builds++, [fix]) }) };
    const [f] = createEngine([r]).analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig()).findings;
    f.fixes = [];
    assert.deepEqual(f.fixes, []);
    assert.equal(builds, 0);
  });

  test('no closure is made per finding: every finding reads its fixes through one shared getter', () => {
    // Closures made per finding kept whole analyses alive through V8's minor collections (engine.ts LazyFinding).
    const r: Rule = { meta: meta(), check: (ctx) => { ctx.report({ start: 0, end: 4, message: 'a', fixes: () => [fix] }); ctx.report({ start: 5, end: 7, message: 'b', fixes: () => [fix] }); } };
    const e = createEngine([r]);
    const found = [...e.analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig()).findings, ...e.analyze({ text: TEXT, path: 'Dockerfile', cacheKey: 'k' }, mergeConfig()).findings];
    assert.equal(found.length, 4);
    for (const f of found) assert.equal(Object.getOwnPropertyDescriptor(f, 'fixes'), undefined);
    const getters = new Set(found.map((f) => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(f), 'fixes')?.get));
    assert.equal(getters.size, 1);
    assert.equal(typeof [...getters][0], 'function');
    assert.deepEqual(found.map((f) => f.fixes), [[fix], [fix], [fix], [fix]]);
  });

  test('fix-all reads the builder and applies its fix', () => {
    const r: Rule = { meta: meta(), check: (ctx) => { if (ctx.file.text.includes('node:20\n')) ctx.report({ start: 0, end: 4, message: 'm', fixes: () => [fix] }); } };
    const out = createEngine([r]).fixAll({ text: TEXT, path: 'Dockerfile' }, mergeConfig());
    assert.equal(out.text, 'FROM node:20.11\n');
    assert.equal(out.applied, 1);
  });

  test('a builder that throws offers no fix; the finding stays', () => {
    const r: Rule = { meta: meta(), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: () => { throw new TypeError('boom'); } }) };
    const found = createEngine([r]).analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual(found.findings.map((f) => [f.message, f.fixes]), [['m', []]]);
  });

  test('a rule that is not fixable never calls its builder', () => {
    let builds = 0;
    const r: Rule = { meta: meta({ fixable: false }), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: () => (builds++, [fix]) }) };
    const found = createEngine([r]).analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual(found.findings[0].fixes, []);
    assert.equal(builds, 0);
  });

  test('titles of built fixes are bounded like eager ones', () => {
    const long = `Move ${'x'.repeat(5000)}`;
    const eager: Rule = { meta: meta({ id: 'eager' }), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: [{ ...fix, title: long }] }) };
    const lazy: Rule = { meta: meta({ id: 'lazy' }), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: () => [{ ...fix, title: long }] }) };
    const found = createEngine([eager, lazy]).analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig());
    const [a, b] = found.findings.map((f) => f.fixes[0].title);
    assert.ok(a.length < long.length, 'eager title bounded');
    assert.equal(b, a);
  });

  /**
   * Every rule builds its fixes on demand. read-only-root-filesystem and tmpfs-for-writable-paths
   * name in their message what the fix adds: they plan the edit with the finding (a plan says
   * the edit exists) and build its text on demand. unused-suppression's fix is one deletion.
   */
  const EAGER = new Set(['unused-suppression']);
  test('on real inputs, no rule but the listed ones builds a fix during analysis (a finding with none may say so at once)', () => {
    const inputs = realInputs();
    const built = new Map<string, number>();
    const fixable = new Set(rules.filter((r) => r.meta.fixable).map((r) => r.meta.id));
    let lazyFindings = 0;
    for (const input of inputs) {
      for (const f of engine.analyze(input, mergeConfig({ preset: 'strict' })).findings) {
        if (!fixable.has(f.rule) || EAGER.has(f.rule)) continue;
        const d = Object.getOwnPropertyDescriptor(f, 'fixes');
        if (d && !d.get && (d.value as Fix[]).length) built.set(f.rule, (built.get(f.rule) ?? 0) + 1);
        else lazyFindings++;
      }
    }
    assert.deepEqual([...built], []);
    assert.ok(lazyFindings > 200, `${lazyFindings} findings with fixes on demand`);
  });
});

describe('planned fixes: listed without building, built once when read', () => {
  const setup = (refuse: boolean, throws = false) => {
    const counts = { plans: 0, builds: 0 };
    const planned = (title: string, preferred: boolean): PlannedFix => ({
      title,
      preferred,
      build: () => {
        counts.builds++;
        if (throws) throw new TypeError('boom');
        return refuse ? null : { edits: fix.edits };
      },
    });
    const r: Rule = { meta: meta(), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: () => (counts.plans++, [planned('Pin it', true), fix]) }) };
    const [f] = createEngine([r]).analyze({ text: TEXT, path: 'Dockerfile' }, mergeConfig()).findings;
    return { f, counts };
  };

  test('fixOffers lists titles and safety without building; the builder runs once; fixes then builds each planned fix once', () => {
    const { f, counts } = setup(false);
    assert.deepEqual(counts, { plans: 0, builds: 0 });
    assert.deepEqual(fixOffers(f), [{ title: 'Pin it', preferred: true }, { title: 'Pin it', preferred: true }]);
    assert.deepEqual(fixOffers(f), fixOffers(f));
    assert.deepEqual(counts, { plans: 1, builds: 0 });
    assert.deepEqual(f.fixes, [fix, fix]);
    assert.equal(f.fixes, f.fixes);
    assert.deepEqual(counts, { plans: 1, builds: 1 });
    assert.deepEqual(fixOffers(f), [{ title: 'Pin it', preferred: true }, { title: 'Pin it', preferred: true }]);
  });

  test('a planned fix whose build is refused (null) or throws is not offered once built', () => {
    for (const throws of [false, true]) {
      const { f, counts } = setup(true, throws);
      assert.deepEqual(f.fixes, [fix]);
      assert.deepEqual(fixOffers(f), [{ title: 'Pin it', preferred: true }]);
      assert.deepEqual(counts, { plans: 1, builds: 1 });
    }
  });

  test('fix-all builds a planned fix and applies it', () => {
    const r: Rule = { meta: meta(), check: (ctx) => { if (ctx.file.text.includes('node:20\n')) ctx.report({ start: 0, end: 4, message: 'm', fixes: () => [{ title: 'Pin it', preferred: true, build: () => ({ edits: fix.edits }) }] }); } };
    const out = createEngine([r]).fixAll({ text: TEXT, path: 'Dockerfile' }, mergeConfig());
    assert.equal(out.text, 'FROM node:20.11\n');
    assert.equal(out.applied, 1);
  });
});

describe('fix offers on real inputs', () => {
  test('what a report lists (fixOffers, before any build) is what building gives, title and safety alike', () => {
    const inputs = realInputs();
    let offered = 0;
    const e = createEngine(rules);
    for (const input of inputs) {
      for (const f of e.analyze(input, mergeConfig({ preset: 'strict' })).findings) {
        const offers = fixOffers(f);
        offered += offers.length;
        assert.deepEqual(f.fixes.map((x) => ({ title: x.title, preferred: x.preferred })), offers, `${input.path}: ${f.rule}`);
      }
    }
    assert.ok(offered > 300, `${offered} fixes offered`);
  });
});

describe('messages that name what the fix adds (planned at analysis, built on demand)', () => {
  test('on real inputs, every such finding has its fix once built, and its fix is built on demand', () => {
    const inputs = realInputs();
    let promised = 0;
    for (const input of inputs) {
      for (const f of engine.analyze(input, mergeConfig({ preset: 'strict' })).findings) {
        if (f.rule !== 'read-only-root-filesystem' && f.rule !== 'tmpfs-for-writable-paths') continue;
        if (!/the fix (adds|turns)/.test(f.message)) continue;
        promised++;
        const d = Object.getOwnPropertyDescriptor(f, 'fixes');
        assert.ok(!d || d.get, `${input.path}: ${f.rule} built its fix during analysis`);
        assert.equal(f.fixes.length, 1, `${input.path}: ${f.message}`);
        assert.ok(f.fixes[0].edits.length > 0, `${input.path}: ${f.fixes[0].title}`);
      }
    }
    assert.ok(promised > 50, `${promised} findings name what their fix adds`);
  });
});

describe('containers of a multi-document manifest analysed with reuse', () => {
  test('are those of a whole analysis (CodeLens, Harden and the containers view read them)', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'bench', 'fixtures', 'manifest.yaml'), 'utf8');
    const names = (cs: { name: string; anchor: { start: number } }[] | undefined) => (cs ?? []).map((c) => `${c.name}@${c.anchor.start}`);
    const e = createEngine(rules);
    const whole = e.analyze({ text, path: 'manifest.yaml' }, mergeConfig());
    const first = e.analyze({ text, path: 'manifest.yaml', cacheKey: 'file:///m.yaml' }, mergeConfig());
    const edited = text.replace('replicas: 3', 'replicas: 4');
    assert.notEqual(edited, text);
    const second = e.analyze({ text: edited, path: 'manifest.yaml', cacheKey: 'file:///m.yaml' }, mergeConfig());
    assert.ok(names(whole.containers).length >= 2);
    assert.deepEqual(names(first.containers), names(whole.containers));
    assert.deepEqual(names(second.containers), names(e.analyze({ text: edited, path: 'manifest.yaml' }, mergeConfig()).containers));
  });
});
