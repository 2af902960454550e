/**
 * Table-driven rule tests in the stylelint style: `accept` cases must produce no finding
 * of the rule (and fix-all must leave them alone); `reject` cases state the exact message,
 * range and, when given, the exact text after the fix. Each case becomes one `test()`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, type Config, type ConfigLayer } from '../../server/src/core/config';
import { applyEdits, type AnalysisResult, type WorkspaceView } from '../../server/src/core/engine';
import { TextIndex } from '../../server/src/core/text';
import type { Finding, Fix, Severity, TextEdit } from '../../server/src/core/types';
import { engine } from '../../server/src/rules';
import { missingItems, movedLeaves, newStrictErrors, yamlComments } from '../fuzz/strict';

/** [line, character], 0-based, UTF-16 (CONTRACT.md). */
export type Pos = [line: number, character: number];

export interface RangeSpec {
  start: Pos;
  end: Pos;
}

interface CaseBase {
  name?: string;
  /** File path used for classification; default 'Dockerfile'. */
  path?: string;
  code: string;
  config?: ConfigLayer;
  /** Other workspace files by path relative to the case's file (a service's Dockerfile, a kustomization). */
  files?: Record<string, string>;
  /** A known engine bug: the case states the correct behaviour and is reported as TODO. */
  todo?: string;
}

export interface ExpectedFinding {
  message: string;
  range: RangeSpec;
  severity?: Severity;
  /** Exact text after applying the first fix (or the one titled `fixTitle`). */
  fixed?: string;
  fixTitle?: string;
  /** Exact list of fix titles, in order. */
  fixes?: string[];
  /** Whether each fix is preferred (applied by --fix and fix-all), in order. */
  preferred?: boolean[];
  /** Messages of the rule's findings that stay after the fix (a milder finding, e.g. a read-only sensitive mount at info). */
  remaining?: string[];
}

export type AcceptCase = CaseBase;

type NoSingle = { [K in keyof ExpectedFinding]?: never };
export type RejectCase = (CaseBase & ExpectedFinding & { findings?: never }) | (CaseBase & NoSingle & { findings: ExpectedFinding[] });

export interface RuleTable {
  accept?: AcceptCase[];
  reject?: RejectCase[];
}

export interface TestRuleOptions {
  /** Applied under every case's own config. */
  config?: ConfigLayer;
  path?: string;
}

const DEFAULT_PATH = 'Dockerfile';

export function testRule(ruleId: string, table: RuleTable, opts: TestRuleOptions = {}): void {
  assert.ok(engine.rules.some((r) => r.meta.id === ruleId), `no rule '${ruleId}' in the registry`);
  describe(ruleId, () => {
    for (const c of table.accept ?? []) {
      test(caseName('accept', c), { todo: c.todo }, () => runAccept(ruleId, c, opts));
    }
    for (const c of table.reject ?? []) {
      test(caseName('reject', c), { todo: c.todo }, () => runReject(ruleId, c, opts));
    }
  });
}

function caseName(kind: string, c: CaseBase): string {
  const where = c.path && c.path !== DEFAULT_PATH ? ` [${c.path}]` : '';
  if (c.name) return `${kind}: ${c.name}${where}`;
  const flat = c.code.replace(/\r\n/g, '␍⏎').replace(/\n/g, '⏎');
  return `${kind}: ${flat.length > 70 ? `${flat.slice(0, 69)}…` : flat}${where}`;
}

function configOf(c: CaseBase, opts: TestRuleOptions): Config {
  return mergeConfig(opts.config, c.config);
}

/**
 * The case's config with every other rule off, for fix-all checks: a table tests one
 * rule, and other rules' fixes (present or future) must not make it fail.
 */
function isolated(ruleId: string, config: Config): Config {
  const rules: Config['rules'] = {};
  for (const r of engine.rules) if (r.meta.id !== ruleId) rules[r.meta.id] = 'off';
  if (config.rules[ruleId]) rules[ruleId] = config.rules[ruleId];
  return { ...config, rules };
}

/** The workspace of the case being run (its `files`); cases run one at a time. */
let workspace: WorkspaceView | undefined;
const workspaceOf = (c: CaseBase): WorkspaceView | undefined => {
  const files = c.files;
  return files ? { read: (rel) => files[rel.replace(/^\.\//, '')], exists: (rel) => rel.replace(/^\.\//, '') in files } : undefined;
};

function analyze(code: string, path: string, config: Config): AnalysisResult {
  const result = engine.analyze({ text: code, path, workspace }, config);
  // a rule that crashed fails every case that runs it, not only the ones after a fix
  assert.deepEqual(result.findings.filter((f) => f.rule === 'internal-error').map((f) => f.message), [], 'a rule crashed');
  return result;
}

function describeFinding(result: AnalysisResult, f: Finding): string {
  const r = result.index.rangeOf(f);
  return `${f.rule} ${f.severity} [${r.start.line},${r.start.character}]-[${r.end.line},${r.end.character}] ${JSON.stringify(f.message)}`;
}

function runAccept(ruleId: string, c: AcceptCase, opts: TestRuleOptions): void {
  const path = c.path ?? opts.path ?? DEFAULT_PATH;
  const config = configOf(c, opts);
  workspace = workspaceOf(c);
  const result = analyze(c.code, path, config);
  const own = result.findings.filter((f) => f.rule === ruleId);
  assert.deepEqual(own.map((f) => describeFinding(result, f)), [], `expected no ${ruleId} finding`);
  const fixed = engine.fixAll({ text: c.code, path, workspace }, isolated(ruleId, config));
  assert.equal(fixed.text, result.text, 'fix-all must leave an accepted file unchanged');
}

function runReject(ruleId: string, c: RejectCase, opts: TestRuleOptions): void {
  const path = c.path ?? opts.path ?? DEFAULT_PATH;
  const config = configOf(c, opts);
  workspace = workspaceOf(c);
  const result = analyze(c.code, path, config);
  const index = new TextIndex(result.text);
  const own = result.findings.filter((f) => f.rule === ruleId);
  const expected: ExpectedFinding[] = c.findings ?? [c as ExpectedFinding];
  assert.ok(expected.length > 0, 'a reject case needs a message and range, or findings');

  const summary = (f: Finding, e: ExpectedFinding | undefined) => {
    const r = index.rangeOf(f);
    return {
      message: f.message,
      range: { start: [r.start.line, r.start.character], end: [r.end.line, r.end.character] },
      ...(e?.severity ? { severity: f.severity } : {}),
    };
  };
  assert.deepEqual(
    own.map((f, i) => summary(f, expected[i])),
    expected.map((e) => ({ message: e.message, range: e.range, ...(e.severity ? { severity: e.severity } : {}) })),
    `${ruleId} findings differ; all findings:\n${result.findings.map((f) => describeFinding(result, f)).join('\n')}`,
  );

  own.forEach((f, i) => {
    const e = expected[i];
    for (const fix of f.fixes) assertEditsWellFormed(fix, result.text);
    if (isYaml(result)) for (const fix of f.fixes) checkYamlFix(ruleId, path, config, result, f, fix);
    if (e.fixes) assert.deepEqual(f.fixes.map((x) => x.title), e.fixes, 'fix titles differ');
    if (e.preferred) assert.deepEqual(f.fixes.map((x) => x.preferred === true), e.preferred, 'preferred flags differ');
    if (e.fixed !== undefined) checkFixed(ruleId, path, config, result, f, e);
    else assert.equal(e.fixTitle, undefined, 'fixTitle needs fixed');
  });
}

function assertEditsWellFormed(fix: Fix, text: string): void {
  const edits: TextEdit[] = fix.edits;
  for (const e of edits) {
    assert.ok(0 <= e.start && e.start <= e.end && e.end <= text.length, `edit [${e.start}, ${e.end}) of '${fix.title}' is outside the text`);
  }
  for (let i = 0; i < edits.length; i++) {
    for (let j = i + 1; j < edits.length; j++) {
      const a = edits[i];
      const b = edits[j];
      const overlap = (a.start < b.end && b.start < a.end) || a.start === b.start;
      assert.ok(!overlap, `edits [${a.start}, ${a.end}) and [${b.start}, ${b.end}) of '${fix.title}' overlap`);
    }
  }
}

function checkFixed(ruleId: string, path: string, config: Config, result: AnalysisResult, f: Finding, e: ExpectedFinding): void {
  const titles = f.fixes.map((x) => x.title);
  const fix = e.fixTitle === undefined ? f.fixes[0] : f.fixes.find((x) => x.title === e.fixTitle);
  assert.ok(fix, e.fixTitle === undefined ? 'the finding has no fix' : `no fix titled ${JSON.stringify(e.fixTitle)}; fixes: ${JSON.stringify(titles)}`);
  const out = applyEdits(result.text, fix.edits);
  assert.equal(out, e.fixed, `text after '${fix.title}'`);

  const again = analyze(out, path, config);
  const left = again.findings.filter((x) => x.rule === ruleId);
  assert.deepEqual(left.map((x) => x.message), e.remaining ?? [], `${ruleId} must be silent after its fix (but for \`remaining\`)`);
  assert.deepEqual(newBrokenFindings(result, again), [], `no new invalid-*/internal-error finding after '${fix.title}'`);
  if (again.kind === 'dockerfile') {
    const invalid = again.findings.filter((x) => x.rule === 'invalid-dockerfile');
    assert.deepEqual(invalid.map((x) => describeFinding(again, x)), [], 'the fixed Dockerfile must stay valid');
  }
  const idem = engine.fixAll({ text: out, path, workspace }, isolated(ruleId, config));
  assert.equal(idem.text, out, 'fix-all on the fixed text must change nothing');
}

const BROKEN = new Set(['invalid-yaml', 'invalid-dockerfile', 'internal-error']);

function isYaml(result: AnalysisResult): boolean {
  return result.kind === 'compose' || result.kind === 'kubernetes';
}

/** A finding that says the file (or a rule) broke: a parse error, or a rule that threw. */
function isBroken(f: Finding): boolean {
  return BROKEN.has(f.rule) || f.message.startsWith('Internal error');
}

/** invalid-yaml / invalid-dockerfile / internal-error findings of `after` that `before` did not have (by rule and message). */
function newBrokenFindings(before: AnalysisResult, after: AnalysisResult): string[] {
  const had = before.findings.filter(isBroken).map((f) => `${f.rule} ${f.message}`);
  const now = after.findings.filter(isBroken).map((f) => `${f.rule} ${f.message}`);
  const missing = missingItems(now, had);
  return after.findings.filter((f) => isBroken(f) && missing.includes(`${f.rule} ${f.message}`)).map((f) => describeFinding(after, f));
}

/**
 * Every fix offered on a YAML file, applied on its own: the result parses strictly
 * (duplicate keys are errors) with no error the input did not have, keeps every comment,
 * leaves every node it does not edit in place, removes the finding it was offered for and
 * breaks nothing else (no new invalid-yaml or internal-error).
 */
function checkYamlFix(ruleId: string, path: string, config: Config, result: AnalysisResult, f: Finding, fix: Fix): void {
  const out = applyEdits(result.text, fix.edits);
  const what = `'${fix.title}' on ${describeFinding(result, f)}`;
  assert.deepEqual(newStrictErrors(result.text, out), [], `${what}: the fixed text must parse strictly\n${out}`);
  assert.deepEqual(missingItems(yamlComments(result.text), yamlComments(out)), [], `${what}: comments lost\n${out}`);
  assert.deepEqual(movedLeaves(result.text, out, fix.edits), [], `${what}: nodes outside the edits changed\n${out}`);
  const again = analyze(out, path, config);
  assert.deepEqual(newBrokenFindings(result, again), [], `${what}: the fix broke the file\n${out}`);
  const same = (x: Finding) => x.rule === ruleId && x.message === f.message;
  assert.ok(
    again.findings.filter(same).length < result.findings.filter(same).length,
    `${what}: the finding is still there after its fix\n${out}`,
  );
}
