/**
 * Shared helpers for the CLI tests: run the bundled `dist/cli.js` as a child process in
 * scratch folders. (Not a *.test.ts file, so test/run.mjs does not run it on its own.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';

/** out/test/cli/helpers.js -> repo root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const PKG_VERSION: string = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Fails a CLI run that never ends; far above any real run, so it only catches hangs. */
export const GUARD_MS = 60_000;

export const ROOT_USER = 'FROM node:20\nUSER root\n';
export const ROOT_USER_FIXED = 'FROM node:20\nUSER 10001:10001\n';
export const CLEAN = 'FROM node:20\nUSER 1000\n';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], opts: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv }): RunResult {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
    // only a guard against a hang (a FIFO read would block forever): far above any real run
    timeout: GUARD_MS,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') assert.fail(`bulkhead ${args.join(' ')} did not finish within ${GUARD_MS / 1000} s (it hangs)`);
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and parses stdout as JSON (fails the test with stderr when it is not JSON). */
export function runJson<T = JsonReport>(args: string[], opts: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv }): RunResult & { json: T } {
  const r = run(args, opts);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch (e) {
    assert.fail(`stdout is not JSON (exit ${r.status}): ${(e as Error).message}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { ...r, json };
}

export type Files = Record<string, string | Buffer>;

/** A fresh folder (real path, so it matches the child's process.cwd()) holding `files`. */
export function scratch(files: Files = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-cli-')));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Files): void {
  for (const [rel, content] of Object.entries(files)) {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
  }
}

export function remove(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Creates a scratch folder removed when the test `t` ends. */
export function tmp(t: { after: (fn: () => void) => void }, files: Files = {}): string {
  const dir = scratch(files);
  t.after(() => remove(dir));
  return dir;
}

/** Every file under `dir`, relative, '/' separators, sorted. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

export interface JsonPosition {
  line: number;
  character: number;
}
export interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  range: { start: JsonPosition; end: JsonPosition };
  fixes: { title: string; preferred: boolean }[];
}
export interface JsonFile {
  path: string;
  kind: string;
  findings: JsonFinding[];
}
export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  files: JsonFile[];
  summary: { files: number; findings: number; fixed: number; skipped: number };
}

/**
 * Checks a --format json report against CONTRACT.md: every contract field present with the
 * right type (extra fields are allowed by the contract, so they are ignored here).
 */
export function assertReportShape(r: JsonReport): void {
  assert.equal(typeof r, 'object');
  assert.equal(r.version, 1);
  assert.deepEqual(r.tool, { ...r.tool, name: 'bulkhead', version: PKG_VERSION });
  assert.ok(Array.isArray(r.files), 'files is an array');
  for (const f of r.files) {
    assert.equal(typeof f.path, 'string');
    assert.ok(!f.path.includes('\\'), `'/' separators: ${f.path}`);
    assert.ok(['dockerfile', 'compose', 'kubernetes', 'unknown'].includes(f.kind), `kind ${f.kind}`);
    assert.ok(Array.isArray(f.findings));
    for (const x of f.findings) {
      assert.equal(typeof x.rule, 'string');
      assert.match(x.rule, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(['error', 'warning', 'info'].includes(x.severity), `severity ${x.severity}`);
      assert.equal(typeof x.message, 'string');
      assert.ok(x.message.length > 0);
      for (const p of [x.range.start, x.range.end]) {
        assert.ok(Number.isInteger(p.line) && p.line >= 0);
        assert.ok(Number.isInteger(p.character) && p.character >= 0);
      }
      assert.ok(Array.isArray(x.fixes));
      for (const fx of x.fixes) {
        assert.equal(typeof fx.title, 'string');
        assert.equal(typeof fx.preferred, 'boolean');
      }
    }
  }
  const s = r.summary;
  for (const k of ['files', 'findings', 'fixed', 'skipped'] as const) assert.ok(Number.isInteger(s[k]) && s[k] >= 0, `summary.${k}`);
  assert.equal(s.files, r.files.length);
  assert.equal(s.findings, r.files.reduce((n, f) => n + f.findings.length, 0));
  const paths = r.files.map((f) => f.path);
  assert.deepEqual(paths, [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'files sorted by path');
}

/** Only the contract's fields of a report (for exact comparisons that tolerate added fields). */
export function contractView(r: JsonReport): JsonReport {
  return {
    version: r.version,
    tool: { name: r.tool.name, version: r.tool.version },
    files: r.files.map((f) => ({
      path: f.path,
      kind: f.kind,
      findings: f.findings.map((x) => ({
        rule: x.rule,
        severity: x.severity,
        message: x.message,
        range: { start: { line: x.range.start.line, character: x.range.start.character }, end: { line: x.range.end.line, character: x.range.end.character } },
        fixes: x.fixes.map((fx) => ({ title: fx.title, preferred: fx.preferred })),
      })),
    })),
    summary: { files: r.summary.files, findings: r.summary.findings, fixed: r.summary.fixed, skipped: r.summary.skipped },
  };
}
