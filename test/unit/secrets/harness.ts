/**
 * Table tests for the secret rules. Like test/helpers/testRule.ts (exact messages and
 * ranges, fixes applied and re-analysed), plus what secrets need: a workspace of other
 * files (`.gitignore`, `.env`) that fixes read and write, the files a fix writes compared
 * exactly, and no secret value in any message, fix title or test failure: every assertion
 * error is re-thrown with the values masked.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as posix from 'node:path/posix';
import { mergeConfig, type Config, type ConfigLayer } from '../../../server/src/core/config';
import { applyEdits, type AnalysisResult, type WorkspaceView } from '../../../server/src/core/engine';
import type { FileRequest, Finding } from '../../../server/src/core/types';
import { engine } from '../../../server/src/rules';
import { FAKE, withFakes } from './fakes';

export type Range = [[number, number], [number, number]];

export interface Expected {
  message: string;
  range: Range;
  /** Exact fix titles, in order. */
  fixes?: string[];
  /** Compared when given: 'warning' for a weak (dictionary-word) credential. */
  severity?: string;
}

export interface SecretCase {
  name: string;
  /** Relative to the workspace root; default 'Dockerfile'. */
  path?: string;
  /** `@@name@@` markers are replaced by fakes (fakes.ts). */
  code: string;
  findings?: Expected[];
  /** Other files, by path relative to the workspace root. */
  workspace?: Record<string, string>;
  config?: ConfigLayer;
  /** Apply a fix of the first finding (by title, or the first) and compare the result. */
  fix?: { title?: string; finding?: number; fixed: string; files?: Record<string, string> };
  todo?: string;
}

const ROOT = '/ws';

function isolated(rule: string, layer?: ConfigLayer): Config {
  const rules: Record<string, 'off'> = {};
  for (const r of engine.rules) if (r.meta.id !== rule) rules[r.meta.id] = 'off';
  return mergeConfig(layer, { rules: { ...rules, ...(layer?.rules ?? {}) } });
}

class MemoryWorkspace {
  constructor(readonly files: Map<string, string>) {}

  view(filePath: string): WorkspaceView {
    const dir = posix.dirname(filePath);
    return { read: (rel) => this.files.get(posix.normalize(posix.join(dir, rel))) };
  }

  /** FileRequest semantics of server/src/node/files.ts (create skips, append with unlessLine). */
  apply(filePath: string, requests: FileRequest[]): void {
    const dir = posix.dirname(filePath);
    for (const r of requests) {
      const target = posix.normalize(posix.join(dir, r.path));
      const current = this.files.get(target);
      if (r.kind === 'create') {
        if (current === undefined) this.files.set(target, r.text);
        continue;
      }
      const now = current ?? '';
      if (r.unlessLine !== undefined && now.split(/\r?\n/).includes(r.unlessLine)) continue;
      this.files.set(target, now + (now.length > 0 && !now.endsWith('\n') ? '\n' : '') + r.text);
    }
  }
}

function rangeOf(result: AnalysisResult, f: Finding): Range {
  const r = result.index.rangeOf(f);
  return [[r.start.line, r.start.character], [r.end.line, r.end.character]];
}

/** Runs `fn`; an assertion failure is re-thrown with every known secret masked. */
function masked(secrets: Set<string>, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    let text = e instanceof Error ? `${e.message}` : String(e);
    for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s.length >= 4) text = text.split(s).join('****');
    throw new Error(text);
  }
}

export interface TableOptions {
  /** The finding's range is the secret value (false: a name, as for no-secrets-in-build-args). */
  rangeIsValue?: boolean;
}

export function secretTable(rule: string, cases: SecretCase[], opts: TableOptions = {}): void {
  describe(rule, () => {
    for (const c of cases) test(c.name, { todo: c.todo }, () => runCase(rule, c, opts));
  });
}

export function runCase(rule: string, c: SecretCase, opts: TableOptions = {}): void {
  const rangeIsValue = opts.rangeIsValue ?? true;
  const path = `${ROOT}/${c.path ?? 'Dockerfile'}`;
  const code = withFakes(c.code);
  const files = new Map(Object.entries(c.workspace ?? {}).map(([k, v]) => [`${ROOT}/${k}`, withFakes(v)]));
  const ws = new MemoryWorkspace(files);
  const config = isolated(rule, c.config);
  const result = engine.analyze({ text: code, path, workspace: ws.view(path) }, config);
  const own = result.findings.filter((f) => f.rule === rule);
  const secrets = new Set<string>(Object.values(FAKE));
  for (const f of rangeIsValue ? own : []) {
    const v = result.text.slice(f.start, f.end);
    secrets.add(v);
    for (const line of v.split(/\r?\n/)) secrets.add(line.trim());
  }
  masked(secrets, () => {
    for (const f of own) {
      const value = rangeIsValue ? result.text.slice(f.start, f.end) : '';
      const shown = [f.message, ...f.fixes.map((x) => x.title)];
      for (const s of shown) assert.ok(value.length < 4 || !s.includes(value), `a message or title shows the secret: ${s}`);
      for (const s of shown) for (const fake of Object.values(FAKE)) assert.ok(!s.includes(fake), `a message or title shows a secret: ${s}`);
    }
    const expected = c.findings ?? [];
    assert.deepEqual(
      own.map((f, i) => ({ message: f.message, range: rangeOf(result, f), ...(expected[i]?.fixes ? { fixes: f.fixes.map((x) => x.title) } : {}), ...(expected[i]?.severity ? { severity: f.severity } : {}) })),
      expected.map((e) => ({ message: e.message, range: e.range, ...(e.fixes ? { fixes: e.fixes } : {}), ...(e.severity ? { severity: e.severity } : {}) })),
      `${rule} findings differ`,
    );
    for (const f of own) for (const x of f.fixes) assert.equal(x.preferred, false, `secret fixes are never preferred: ${x.title}`);
    if (!c.fix) return;
    const target = own[c.fix.finding ?? 0];
    assert.ok(target, 'no finding to fix');
    const fix = c.fix.title === undefined ? target.fixes[0] : target.fixes.find((x) => x.title === c.fix!.title);
    assert.ok(fix, `no fix ${c.fix.title ?? ''}; fixes: ${JSON.stringify(target.fixes.map((x) => x.title))}`);
    const before = new Map(files);
    const out = applyEdits(result.text, fix.edits);
    ws.apply(path, fix.files ?? []);
    assert.equal(out, withFakes(c.fix.fixed), `text after '${fix.title}'`);
    const changed: Record<string, string> = {};
    for (const [k, v] of files) if (before.get(k) !== v) changed[k.slice(ROOT.length + 1)] = v;
    const want = Object.fromEntries(Object.entries(c.fix.files ?? {}).map(([k, v]) => [k, withFakes(v)]));
    assert.deepEqual(changed, want, 'files written by the fix');
    // the finding is gone, the value is kept somewhere, and the file still parses
    const again = engine.analyze({ text: out, path, workspace: ws.view(path) }, config);
    const left = again.findings.filter((f) => f.rule === rule && f.message === target.message);
    assert.deepEqual(left.map((f) => f.message), [], 'the finding must be gone after its fix');
    const broken = again.findings.filter((f) => f.rule === 'invalid-yaml' || f.rule === 'invalid-dockerfile');
    assert.deepEqual(broken.map((f) => f.message), [], 'the fixed file must parse');
    const value = rangeIsValue ? result.text.slice(target.start, target.end) : '';
    const kept = out.includes(value) || [...files.values()].some((v) => v.includes(value)) || (fix.files ?? []).length === 0;
    assert.ok(kept, 'the fix must not lose the value');
    // applying the file requests again changes nothing (idempotent)
    const snapshot = new Map(files);
    ws.apply(path, (fix.files ?? []).filter((r) => r.kind === 'append' && r.unlessLine !== undefined));
    assert.deepEqual(new Map(files), snapshot, 'appending again must change nothing');
  });
}
