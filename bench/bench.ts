// `npm run bench`: keystroke latency, open latency, memory and CLI throughput of Bulkhead,
// side by side with the peer Dockerfile language server (docker-langserver) and the raw
// parse cost as the floor. Prints a table and writes bench/results/latest.json.
//
// Benchmarks measure; they never fail the build. Exit 0 even when targets are missed, 1
// only when the harness itself breaks (a server dies, a wait times out, a run fails).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { LineCounter, parseAllDocuments } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { mergeConfig } from '../server/src/core/config';
import { createEngine } from '../server/src/core/engine';
import { DiagnosticCache } from '../server/src/lsp/diagnostics';
import { rules } from '../server/src/rules';
import { SERVER_NODE_FLAGS, serverEnv } from '../client/src/serverFlags';

// ---------------------------------------------------------------------------------------
// Settings

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'bench', 'fixtures');
const RESULTS = path.join(ROOT, 'bench', 'results');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PARSE_ONLY = path.join(ROOT, 'bench', 'parse-only.js');
/** A language server that does no work (bench/echo-server.js): the round trip's floor. */
const ECHO = path.join(ROOT, 'bench', 'echo-server.js');
const PEER = path.join(ROOT, 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver');
const KICS = path.resolve(ROOT, '..', 'shared', 'benchmarks', 'kics');

const EDITS = 200; // in-process: measured edits per file and configuration
const WARMUP = 50; // in-process: edits before those, not counted (V8 tiers hot code up over the first ~100 calls)
const FIRST = 200; // language servers: the first window, right after the open (what a user feels first)
const STEADY = 1000; // language servers: the steady window, the edits after the first window
const RSS_EVERY = 100; // language servers: RSS sampled every this many edits
const YLS_FIRST = 30; // yaml-language-server debounces validation by 200 ms: fewer edits
const YLS_STEADY = 90;
const OPEN_DOCS = 200; // documents open for the memory measurement
const CLI_RUNS = 3;
const WAIT_MS = 10_000; // guard on any single LSP wait
const CLI_TIMEOUT_MS = 60_000;
const TOTAL_MS = 25 * 60_000;
const YLS = path.join(ROOT, 'bench', 'peers', 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

/**
 * `BENCH_ONLY=section,...` runs part of the bench while working on one thing (nothing is
 * written to docs/ then; latest.json goes to bench/results/partial.tmp.json). Sections:
 * inproc, push, pull, peer, echo, yls, memory, cli; fixture ids (dockerfile, compose, manifest,
 * large) narrow the language-server and in-process runs to those files.
 */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((x) => x.trim()).filter(Boolean));
const FIXTURE_IDS = ['dockerfile', 'compose', 'manifest', 'large'];
const want = (section: string) => ONLY.size === 0 || ONLY.has(section) || (![...ONLY].some((x) => !FIXTURE_IDS.includes(x)));
const wantFixture = (id: string) => ONLY.size === 0 || ![...ONLY].some((x) => FIXTURE_IDS.includes(x)) || ONLY.has(id);

// ---------------------------------------------------------------------------------------
// Fixtures and edits

type FixtureId = 'dockerfile' | 'compose' | 'manifest' | 'large';

interface Fixture {
  id: FixtureId;
  label: string;
  file: string;
  languageId: string;
  /** Group 1 is a value to edit inside. */
  site: RegExp;
  /** One site per YAML document (the first match in each), rotating documents. */
  perDocument: boolean;
}

const FIXTURE_LIST: Fixture[] = [
  { id: 'dockerfile', label: 'Dockerfile', file: 'Dockerfile', languageId: 'dockerfile', site: /image\.(?:title|version)="([^"]+)"/dg, perDocument: false },
  { id: 'compose', label: 'compose', file: 'docker-compose.yml', languageId: 'dockercompose', site: /^ +(?:com\.example\.\w+|LOG_LEVEL|CONCURRENCY): "?([\w.-]+)/dgm, perDocument: false },
  { id: 'manifest', label: 'manifest', file: 'manifest.yaml', languageId: 'yaml', site: /app\.kubernetes\.io\/(?:version|name): "?([\w.-]+)/dg, perDocument: true },
  { id: 'large', label: 'large manifest', file: 'large-manifest.yaml', languageId: 'yaml', site: /app\.kubernetes\.io\/(?:version|name): "?([\w.-]+)/dg, perDocument: true },
];

interface Loaded extends Fixture {
  path: string;
  uri: string;
  text: string;
  lines: number;
  documents: number;
  /** Offsets (into the original text) where edits insert, then remove, a character. */
  sites: number[];
}

function documentStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/^---[ \t]*$/gm)) if (m.index !== 0) starts.push(m.index);
  return starts;
}

function loadFixture(f: Fixture): Loaded {
  const file = path.join(FIXTURES, f.file);
  const text = fs.readFileSync(file, 'utf8');
  const starts = documentStarts(text);
  const docOf = (offset: number) => starts.filter((s) => s <= offset).length - 1;
  const sites: number[] = [];
  const seenDocs = new Set<number>();
  for (const m of text.matchAll(f.site)) {
    const [start, end] = m.indices![1];
    if (f.perDocument) {
      const d = docOf(start);
      if (seenDocs.has(d)) continue;
      seenDocs.add(d);
    }
    sites.push(start + Math.floor((end - start) / 2));
  }
  if (sites.length === 0) throw new HarnessError(`no edit sites found in ${f.file}`);
  if (f.perDocument && sites.length !== starts.length) throw new HarnessError(`${f.file}: ${starts.length} documents but edit sites in ${sites.length}`);
  return { ...f, path: file, uri: URI.file(file).toString(), text, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), documents: f.id === 'dockerfile' ? 1 : starts.length, sites };
}

/**
 * The k-th edit: pairs of (insert '0' inside a value, remove it again), each pair at the
 * next site, so the text (and its findings) stays realistic and returns to the original.
 */
function editFor(f: Loaded, doc: TextDocument, k: number): TextDocumentContentChangeEvent {
  const offset = f.sites[Math.floor(k / 2) % f.sites.length];
  if (k % 2 === 0) {
    const p = doc.positionAt(offset);
    return { range: { start: p, end: p }, text: '0' };
  }
  return { range: { start: doc.positionAt(offset), end: doc.positionAt(offset + 1) }, text: '' };
}

/** A distinct copy of a fixture's text: a comment in every YAML document keeps caches honest. */
function copyText(f: Loaded, n: number): string {
  if (f.id === 'dockerfile') return `# copy ${n}\n${f.text}`;
  return `# copy ${n}\n${f.text.replace(/^---[ \t]*$/gm, `---\n# copy ${n}`)}`;
}

// ---------------------------------------------------------------------------------------
// Helpers

class HarnessError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new HarnessError(`timed out after ${ms} ms waiting for ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

interface Stats {
  n: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

/** Nearest-rank percentiles. */
function stats(xs: number[]): Stats {
  if (xs.length === 0) return { n: 0, median: NaN, p95: NaN, p99: NaN, max: NaN, min: NaN, mean: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { n: s.length, median: rank(50), p95: rank(95), p99: rank(99), max: s[s.length - 1], min: s[0], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function round(x: number, digits = 3): number {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

const triple = (s: Stats | undefined) => (s ? `${fmt(s.median)}/${fmt(s.p95)}/${fmt(s.p99)}` : '—');

function procStatus(pid: number): { hwmKb: number; rssKb: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { hwmKb: field('VmHWM'), rssKb: field('VmRSS') };
}

const children = new Set<ChildProcess>();

// ---------------------------------------------------------------------------------------
// A language server over stdio

type Mode = 'push' | 'pull';

class Session {
  private readonly conn: ProtocolConnection;
  private stderr = '';
  private exited: string | null = null;
  private readonly waiters = new Map<string, { version: number; resolve: (t: number) => void; reject: (e: Error) => void }>();
  readonly logErrors: string[] = [];
  readonly diagnosticCounts = new Map<string, number>();

  private constructor(readonly name: string, readonly proc: ChildProcess, readonly mode: Mode, private readonly versioned: boolean) {
    children.add(proc);
    proc.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      this.exited = `${name} exited (code ${code}, signal ${signal})${this.stderr ? `:\n${this.stderr}` : ''}`;
      for (const w of this.waiters.values()) w.reject(new HarnessError(this.exited));
      this.waiters.clear();
    });
    this.conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const at = performance.now();
      const w = this.waiters.get(p.uri);
      // docker-langserver publishes without a version; we send one edit at a time, so the next
      // publish for the URI answers it.
      if (!w || (this.versioned && p.version !== w.version)) return;
      this.waiters.delete(p.uri);
      this.diagnosticCounts.set(p.uri, p.diagnostics.length);
      w.resolve(at);
    });
    this.conn.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) this.logErrors.push(p.message.slice(0, 500));
    });
    // Requests a server may send its client: answer them so nothing waits.
    for (const m of ['client/registerCapability', 'client/unregisterCapability', 'workspace/diagnostic/refresh', 'window/workDoneProgress/create', 'workspace/semanticTokens/refresh', 'window/showMessageRequest']) {
      this.conn.onRequest(m, () => null);
    }
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => null));
    this.conn.onError(([e]) => {
      this.exited ??= `${name}: connection error: ${e.message}`;
    });
    this.conn.listen();
  }

  /** `env`: variables added to this process's environment for the server's. */
  static async start(name: string, args: string[], mode: Mode, versioned: boolean, env: Record<string, string> = {}): Promise<Session> {
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const s = new Session(name, proc, mode, versioned);
    const capabilities: ClientCapabilities = {
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: true },
        publishDiagnostics: { versionSupport: true, relatedInformation: false },
        ...(mode === 'pull' ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
    };
    await withTimeout(
      s.conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: URI.file(FIXTURES).toString(), capabilities, workspaceFolders: null, initializationOptions: { settings: {} } }),
      WAIT_MS,
      `${name}: initialize`,
    );
    await s.conn.sendNotification(InitializedNotification.type, {});
    return s;
  }

  private check(): void {
    if (this.exited) throw new HarnessError(this.exited);
  }

  /** Waits for the diagnostics of `uri` at `version` (push) or asks for them (pull); returns the time they arrived. */
  private async diagnostics(uri: string, version: number, send: () => Promise<void>): Promise<number> {
    this.check();
    if (this.mode === 'push') {
      const arrived = new Promise<number>((resolve, reject) => this.waiters.set(uri, { version, resolve, reject }));
      await send();
      return withTimeout(arrived, WAIT_MS, `${this.name}: diagnostics for ${path.basename(uri)} v${version}`).finally(() => this.waiters.delete(uri));
    }
    await send();
    const report = await withTimeout(this.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), WAIT_MS, `${this.name}: diagnostic pull for ${path.basename(uri)} v${version}`);
    const at = performance.now();
    if (report.kind === 'full') this.diagnosticCounts.set(uri, report.items.length);
    return at;
  }

  /** didOpen → diagnostics, in ms. */
  async open(uri: string, languageId: string, text: string): Promise<number> {
    const t0 = performance.now();
    const t1 = await this.diagnostics(uri, 1, () => this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } }));
    return t1 - t0;
  }

  /** didChange → diagnostics, in ms. */
  async change(uri: string, version: number, change: TextDocumentContentChangeEvent): Promise<number> {
    const t0 = performance.now();
    const t1 = await this.diagnostics(uri, version, () => this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] }));
    return t1 - t0;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  memory(): { hwmKb: number; rssKb: number } {
    this.check();
    return procStatus(this.proc.pid!);
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await withTimeout(this.conn.sendRequest(ShutdownRequest.type), 3000, `${this.name}: shutdown`);
        await this.conn.sendNotification(ExitNotification.type);
      } catch {
        // killed below
      }
      await withTimeout(new Promise<void>((resolve) => (this.exited ? resolve() : this.proc.once('exit', () => resolve()))), 3000, `${this.name}: exit`).catch(() => this.proc.kill('SIGKILL'));
    }
    this.conn.dispose();
  }
}

// the flags and environment the VS Code extension starts the server with (client/src/serverFlags.ts)
const bulkheadArgs = [...SERVER_NODE_FLAGS, SERVER, '--stdio'];
const bulkheadEnv = serverEnv(process.env);
const peerArgs = [PEER, '--stdio'];

interface EditRun {
  open: number;
  /** The first window: the FIRST edits right after the open. */
  first: Stats;
  /** The steady window: the STEADY edits after those. */
  edits: Stats;
  diagnostics: number | undefined;
  /** RSS (MB) after every RSS_EVERY edits: [edits, MB]. */
  rss: [number, number][];
}

/** didOpen, `first` + `steady` edits one at a time, didClose. */
async function editRun(s: Session, f: Loaded, first = FIRST, steady = STEADY): Promise<EditRun> {
  return (await pairedEditRun([s], f, first, steady))[0];
}

/**
 * The same run for several servers at once, interleaved: each edit goes to every server in
 * turn (the order rotating from one edit to the next), each waiting for its diagnostics before
 * the next server gets the edit. So servers compared in a row of the table share the same
 * moments of a shared machine (its load, its clock speed) instead of following each other in
 * time; each server still gets one edit at a time, with the others' round trips as the pause
 * between its own edits (a typist's pause is longer).
 */
async function pairedEditRun(sessions: Session[], f: Loaded, first = FIRST, steady = STEADY): Promise<EditRun[]> {
  let doc = TextDocument.create(f.uri, f.languageId, 1, f.text);
  const runs = [];
  for (const s of sessions) {
    const open = await s.open(f.uri, f.languageId, f.text);
    runs.push({ s, open, diagnostics: s.diagnosticCounts.get(f.uri), firstMs: [] as number[], steadyMs: [] as number[], rss: [] as [number, number][] });
  }
  for (let k = 0; k < first + steady; k++) {
    const change = editFor(f, doc, k);
    doc = TextDocument.update(doc, [change], doc.version + 1);
    for (let i = 0; i < runs.length; i++) {
      const r = runs[(k + i) % runs.length];
      const ms = await r.s.change(f.uri, doc.version, change);
      (k < first ? r.firstMs : r.steadyMs).push(ms);
      if ((k + 1) % RSS_EVERY === 0) r.rss.push([k + 1, round(r.s.memory().rssKb / 1024, 1)]);
    }
  }
  for (const r of runs) await r.s.close(f.uri);
  return runs.map((r) => ({ open: r.open, first: stats(r.firstMs), edits: stats(r.steadyMs), diagnostics: r.diagnostics, rss: r.rss }));
}

// ---------------------------------------------------------------------------------------
// In-process: the same edits straight through the engine (the server's work without IPC)

interface InProcess {
  /** TextDocument update + engine.analyze + conversion to LSP diagnostics + JSON. */
  server: Stats;
  /** engine.analyze alone. */
  analyze: Stats;
  findings: number;
}

// One engine for every file and edit, as in the server, so its caches count.
const engine = createEngine(rules);
/** As in the server: a manifest's diagnostics kept per YAML document (lsp/diagnostics.ts). */
const diagnosticCache = new DiagnosticCache();

function inProcess(f: Loaded, config = mergeConfig()): InProcess {
  const docs = (rule: string) => `https://bulkhead.dev/rules/${rule}`;
  let doc = TextDocument.create(f.uri, f.languageId, 1, f.text);
  // as the server does: the document's URI names it across edits (per-document reuse)
  const first = engine.analyze({ text: doc.getText(), path: f.path, languageId: f.languageId, cacheKey: f.uri }, config);
  const totals: number[] = [];
  const analyses: number[] = [];
  for (let k = 0; k < WARMUP + EDITS; k++) {
    const change = editFor(f, doc, k);
    const t0 = performance.now();
    doc = TextDocument.update(doc, [change], doc.version + 1);
    const text = doc.getText();
    const t1 = performance.now();
    const result = engine.analyze({ text, path: f.path, languageId: f.languageId, cacheKey: f.uri }, config);
    const t2 = performance.now();
    JSON.stringify({ uri: f.uri, version: doc.version, diagnostics: diagnosticCache.of(f.uri, result, text, docs) });
    const t3 = performance.now();
    if (k >= WARMUP) {
      totals.push(t3 - t0);
      analyses.push(t2 - t1);
    }
  }
  return { server: stats(totals), analyze: stats(analyses), findings: first.findings.length };
}

/** The peer's own work per edit: dockerfile-language-service validate on the new text. */
function peerInProcess(f: Loaded): Stats {
  const service = DockerfileLanguageServiceFactory.createLanguageService();
  let doc = TextDocument.create(f.uri, f.languageId, 1, f.text);
  service.validate(doc.getText());
  const out: number[] = [];
  for (let k = 0; k < WARMUP + EDITS; k++) {
    const change = editFor(f, doc, k);
    const t0 = performance.now();
    doc = TextDocument.update(doc, [change], doc.version + 1);
    JSON.stringify(service.validate(doc.getText()));
    if (k >= WARMUP) out.push(performance.now() - t0);
  }
  return stats(out);
}

// ---------------------------------------------------------------------------------------
// Parse floor

/** Median of repeated calls: at least 30, up to 300 or ~2 s. */
function timeIt(fn: () => void): Stats {
  for (let i = 0; i < 10; i++) fn();
  const out: number[] = [];
  const deadline = performance.now() + 2000;
  while (out.length < 300 && (out.length < 30 || performance.now() < deadline)) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return stats(out);
}

function parseFloor(f: Loaded): { full: Stats; oneDocument?: Stats } {
  if (f.id === 'dockerfile') return { full: timeIt(() => DockerfileParser.parse(f.text)) };
  const full = timeIt(() => parseAllDocuments(f.text, { lineCounter: new LineCounter() }));
  if (f.documents <= 1) return { full };
  const starts = [...documentStarts(f.text), f.text.length];
  const parts = starts.slice(0, -1).map((s, i) => f.text.slice(s, starts[i + 1]));
  let i = 0;
  const one = timeIt(() => parseAllDocuments(parts[i++ % parts.length], { lineCounter: new LineCounter() }));
  return { full, oneDocument: one };
}

// ---------------------------------------------------------------------------------------
// Memory: peak RSS with 1 and with OPEN_DOCS open documents

interface MemoryRun {
  oneMb: number;
  manyMb: number;
  open: Stats;
}

async function memoryRun(name: string, args: string[], env: Record<string, string>, versioned: boolean, fixtures: Loaded[]): Promise<MemoryRun> {
  const s = await Session.start(name, args, 'push', versioned, env);
  try {
    const opens: number[] = [];
    let oneMb = NaN;
    for (let n = 0; n < OPEN_DOCS; n++) {
      const f = fixtures[n % fixtures.length];
      const uri = URI.file(path.join(FIXTURES, 'copies', String(n), f.file)).toString();
      opens.push(await s.open(uri, f.languageId, copyText(f, n)));
      if (n === 0) oneMb = s.memory().hwmKb / 1024;
    }
    return { oneMb, manyMb: s.memory().hwmKb / 1024, open: stats(opens.slice(1)) };
  } finally {
    await s.stop();
  }
}

// ---------------------------------------------------------------------------------------
// CLI throughput

function runNode(args: string[]): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(p);
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new HarnessError(`timed out after ${CLI_TIMEOUT_MS} ms: node ${args.join(' ')}`));
    }, CLI_TIMEOUT_MS);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      children.delete(p);
      resolve({ ms: performance.now() - t0, code, stdout: Buffer.concat(out).toString(), stderr: err });
    });
  });
}

interface CliRun {
  cli: Stats;
  parseOnly: Stats;
  cliFiles: number;
  parsedFiles: number;
}

async function cliRun(): Promise<CliRun> {
  if (!fs.existsSync(KICS)) throw new HarnessError(`corpus not found: ${KICS}`);
  const cliArgs = [CLI, KICS, '--format', 'json', '--fail-on', 'never'];
  const parseArgs = [PARSE_ONLY, KICS];
  await runNode(parseArgs); // warm the file cache
  const cli: number[] = [];
  const parse: number[] = [];
  let cliFiles = NaN;
  let parsedFiles = NaN;
  for (let i = 0; i < CLI_RUNS; i++) {
    const c = await runNode(cliArgs);
    if (c.code !== 0) throw new HarnessError(`CLI exited ${c.code}: ${c.stderr}`);
    cliFiles = (JSON.parse(c.stdout) as { files: unknown[] }).files.length;
    cli.push(c.ms);
    const p = await runNode(parseArgs);
    if (p.code !== 0) throw new HarnessError(`parse-only exited ${p.code}: ${p.stderr}`);
    parsedFiles = (JSON.parse(p.stdout) as { parsed: number }).parsed;
    parse.push(p.ms);
  }
  return { cli: stats(cli), parseOnly: stats(parse), cliFiles, parsedFiles };
}

// ---------------------------------------------------------------------------------------
// Report

interface Row {
  metric: string;
  bulkhead: string;
  peer: string;
  floor: string;
  target: string;
  result: string;
  /** Informational rows have no target of their own. */
  miss?: { by: number; ratio: number; unit: string };
}

function judge(value: number, limit: number, unit = 'ms'): { result: string; miss?: Row['miss'] } {
  if (!Number.isFinite(value) || !Number.isFinite(limit)) return { result: 'n/a' };
  if (value <= limit) return { result: 'pass' };
  const miss = { by: value - limit, ratio: value / limit, unit };
  return { result: `MISS +${fmt(miss.by)} ${unit} (${miss.ratio.toFixed(1)}x)`, miss };
}

function printTable(rows: Row[]): string {
  const head: Row = { metric: 'metric', bulkhead: 'bulkhead', peer: 'peer', floor: 'floor', target: 'target', result: 'result' };
  const cols: (keyof Omit<Row, 'miss'>)[] = ['metric', 'bulkhead', 'peer', 'floor', 'target', 'result'];
  const width = cols.map((c) => Math.max(...[head, ...rows].map((r) => r[c].length)));
  const line = (r: Row) => cols.map((c, i) => r[c].padEnd(width[i])).join('  ').trimEnd();
  return [line(head), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = performance.now();
  const errors: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T> | T): Promise<T | undefined> => {
    const t0 = performance.now();
    process.stderr.write(`bench: ${what}…`);
    try {
      const v = await fn();
      process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      return v;
    } catch (e) {
      process.stderr.write(' FAILED\n');
      errors.push(`${what}: ${(e as Error).message}`);
      return undefined;
    }
  };

  for (const f of [SERVER, CLI, PEER]) if (!fs.existsSync(f)) throw new HarnessError(`missing ${path.relative(ROOT, f)} (run npm run build / npm install)`);
  const allFixtures = FIXTURE_LIST.map(loadFixture);
  const dockerfile = allFixtures[0];
  const fixtures = allFixtures.filter((f) => wantFixture(f.id));

  const floors = new Map<FixtureId, { full: Stats; oneDocument?: Stats }>();
  const inproc = new Map<FixtureId, InProcess>();
  const inprocNoSecrets = new Map<FixtureId, InProcess>();
  if (want('inproc')) await attempt('parse floor and in-process runs', () => {
    for (const f of fixtures) {
      floors.set(f.id, parseFloor(f));
      inproc.set(f.id, inProcess(f));
      // the same edits without the secret rules: their share of a keystroke
      inprocNoSecrets.set(f.id, inProcess(f, mergeConfig({ rules: { 'no-hardcoded-secrets': 'off', 'no-secrets-in-build-args': 'off' } })));
    }
  });
  const peerInproc = want('inproc') && wantFixture('dockerfile') ? await attempt('peer in-process run', () => peerInProcess(dockerfile)) : undefined;

  const runs = new Map<string, EditRun>();
  const lspErrors: string[] = [];
  // the Dockerfile's edits go to Bulkhead and the peer interleaved (pairedEditRun), a fresh
  // peer for each of Bulkhead's modes, so each row compares numbers of the same moments
  const paired = want('peer') && wantFixture('dockerfile');
  let interleaved = false;
  for (const mode of ['push', 'pull'] as const) {
    if (want(mode)) await attempt(`bulkhead server, ${mode} diagnostics${paired ? ', Dockerfile interleaved with docker-langserver' : ''}`, async () => {
      const s = await Session.start(`bulkhead (${mode})`, bulkheadArgs, mode, true, bulkheadEnv);
      const peer = paired ? await Session.start('docker-langserver', peerArgs, 'push', false) : null;
      try {
        for (const f of fixtures) {
          if (peer && f.id === 'dockerfile') {
            const [ours, theirs] = await pairedEditRun([s, peer], f);
            interleaved = true;
            runs.set(`bulkhead:${mode}:${f.id}`, ours);
            runs.set(`peer:${mode}:dockerfile`, theirs);
          } else runs.set(`bulkhead:${mode}:${f.id}`, await editRun(s, f));
        }
      } finally {
        lspErrors.push(...s.logErrors);
        await s.stop();
        await peer?.stop();
      }
    });
  }
  if (paired && !want('push') && !want('pull')) await attempt('peer docker-langserver, Dockerfile', async () => {
    const s = await Session.start('docker-langserver', peerArgs, 'push', false);
    try {
      runs.set(`peer:push:dockerfile`, await editRun(s, dockerfile));
    } finally {
      await s.stop();
    }
  });

  // the same edits to a server that answers each with no work: what the transport costs here
  const echoRuns = new Map<FixtureId, EditRun>();
  if (want('echo')) await attempt('empty server (round-trip floor)', async () => {
    const s = await Session.start('echo server', [...SERVER_NODE_FLAGS, ECHO, '--stdio'], 'push', true, bulkheadEnv);
    try {
      for (const f of fixtures) if (f.id !== 'large') echoRuns.set(f.id, await editRun(s, f));
    } finally {
      await s.stop();
    }
  });

  const ylsRuns = new Map<FixtureId, EditRun>();
  if (fs.existsSync(YLS) && want('yls')) {
    await attempt('peer yaml-language-server, YAML files', async () => {
      const s = await Session.start('yaml-language-server', [YLS, '--stdio'], 'push', false);
      try {
        for (const f of fixtures) if (f.id !== 'dockerfile') ylsRuns.set(f.id, await editRun(s, f, YLS_FIRST, YLS_STEADY));
      } finally {
        await s.stop();
      }
    });
  }

  const mem = new Map<string, MemoryRun>();
  if (want('memory')) {
    const m1 = await attempt(`memory: bulkhead, ${OPEN_DOCS} Dockerfiles`, () => memoryRun('bulkhead', bulkheadArgs, bulkheadEnv, true, [dockerfile]));
    if (m1) mem.set('bulkhead:dockerfiles', m1);
    const m2 = await attempt(`memory: bulkhead, ${OPEN_DOCS} mixed files`, () => memoryRun('bulkhead', bulkheadArgs, bulkheadEnv, true, allFixtures));
    if (m2) mem.set('bulkhead:mixed', m2);
    const m3 = await attempt(`memory: docker-langserver, ${OPEN_DOCS} Dockerfiles`, () => memoryRun('docker-langserver', peerArgs, {}, false, [dockerfile]));
    if (m3) mem.set('peer:dockerfiles', m3);
  }

  const cli = want('cli') ? await attempt('CLI throughput over the KICS corpus', cliRun) : undefined;

  // ---- table: the targets of issue 16, as ratios in this one run
  const rows: Row[] = [];
  const peerPush = runs.get('peer:push:dockerfile');
  for (const f of fixtures) {
    const floor = floors.get(f.id);
    const floorMs = floor?.full.median ?? NaN;
    const floorText = floor ? fmt(floor.full.median) + (floor.oneDocument ? ` (1 doc ${fmt(floor.oneDocument.median)})` : '') : '—';
    const yls = ylsRuns.get(f.id);
    for (const mode of ['push', 'pull'] as const) {
      const r = runs.get(`bulkhead:${mode}:${f.id}`);
      // the peer's run interleaved with this one (pairedEditRun), else its push run
      const peerRun = runs.get(`peer:${mode}:dockerfile`) ?? peerPush;
      const peerFirst = f.id === 'dockerfile' ? triple(peerRun?.first) : mode === 'push' && yls ? `yls ${triple(yls.first)}` : '—';
      const peerSteady = f.id === 'dockerfile' ? triple(peerRun?.edits) : mode === 'push' && yls ? `yls ${triple(yls.edits)}` : '—';
      if (f.id === 'dockerfile') {
        const pf = peerRun?.first.p95 ?? NaN;
        rows.push({ metric: `${f.label}: first ${FIRST} edits ${mode} p50/p95/p99`, bulkhead: triple(r?.first), peer: peerFirst, floor: floorText, target: `p95 <= 2 x peer first p95 (${fmt(2 * pf)})`, ...judge(r?.first.p95 ?? NaN, 2 * pf) });
        const pm = peerRun?.edits.median ?? NaN;
        const pp = peerRun?.edits.p95 ?? NaN;
        const m = judge(r?.edits.median ?? NaN, pm);
        const p = judge(r?.edits.p95 ?? NaN, 1.5 * pp);
        rows.push({ metric: `${f.label}: steady ${STEADY} edits ${mode} p50/p95/p99`, bulkhead: triple(r?.edits), peer: peerSteady, floor: floorText, target: `p50 <= peer p50 (${fmt(pm)}), p95 <= 1.5 x peer p95 (${fmt(1.5 * pp)})`, result: `p50 ${m.result}; p95 ${p.result}`, miss: m.miss ?? p.miss });
      } else {
        const limit = f.id === 'large' ? 0.25 * floorMs : 2 * floorMs + 1;
        const targetText = f.id === 'large' ? `p95 <= 0.25 x parse (${fmt(limit)})` : `p95 <= 2 x parse + 1 (${fmt(limit)})`;
        rows.push({ metric: `${f.label}: first ${FIRST} edits ${mode} p50/p95/p99`, bulkhead: triple(r?.first), peer: peerFirst, floor: floorText, target: '(info)', result: '' });
        rows.push({ metric: `${f.label}: steady ${STEADY} edits ${mode} p50/p95/p99`, bulkhead: triple(r?.edits), peer: peerSteady, floor: floorText, target: targetText, ...judge(r?.edits.p95 ?? NaN, limit) });
      }
    }
    const echo = echoRuns.get(f.id);
    if (echo) rows.push({ metric: `${f.label}: empty server, steady ${STEADY} edits push p50/p95/p99`, bulkhead: '—', peer: '—', floor: triple(echo.edits), target: '(info)', result: '' });
    const ip = inproc.get(f.id);
    const peerIp = f.id === 'dockerfile' ? peerInproc : undefined;
    rows.push({ metric: `${f.label}: in-process p50/p95/p99`, bulkhead: triple(ip?.server), peer: triple(peerIp), floor: floorText, target: '(info)', result: '' });
    const noSecrets = inprocNoSecrets.get(f.id);
    if (ip && noSecrets) {
      rows.push({ metric: `${f.label}: secret rules' share p50/p95`, bulkhead: `${fmt(ip.server.median - noSecrets.server.median)}/${fmt(ip.server.p95 - noSecrets.server.p95)}`, peer: '—', floor: '—', target: '(info)', result: '' });
    }
    const push = runs.get(`bulkhead:push:${f.id}`);
    rows.push({ metric: `${f.label}: open->diag (first open)`, bulkhead: fmt(push?.open ?? NaN), peer: f.id === 'dockerfile' ? fmt(peerPush?.open ?? NaN) : yls ? `yls ${fmt(yls.open)}` : '—', floor: floorText, target: '—', result: '' });
    if (f.id === 'large' && push) {
      const at = (n: number) => push.rss.find(([k]) => k === n)?.[1] ?? NaN;
      const r100 = at(100);
      const r1200 = at(1200);
      rows.push({ metric: 'large manifest: RSS MB after 100 / 1,200 edits (push)', bulkhead: `${fmt(r100)} / ${fmt(r1200)}`, peer: '—', floor: '—', target: `<= 1.3 x after 100 (${fmt(1.3 * r100)})`, ...judge(r1200, 1.3 * r100, 'MB') });
    }
  }
  const bd = mem.get('bulkhead:dockerfiles');
  const bm = mem.get('bulkhead:mixed');
  const pd = mem.get('peer:dockerfiles');
  rows.push({ metric: `open->diag, ${OPEN_DOCS} Dockerfile copies p50/p95/max`, bulkhead: triple(bd?.open), peer: triple(pd?.open), floor: '—', target: '—', result: '' });
  rows.push({ metric: `open->diag, ${OPEN_DOCS} mixed copies p50/p95/max`, bulkhead: triple(bm?.open), peer: '—', floor: '—', target: '—', result: '' });
  for (const [label, key] of [['1', 'oneMb'], [String(OPEN_DOCS), 'manyMb']] as const) {
    const j = judge(bd?.[key] ?? NaN, pd?.[key] ?? NaN, 'MB');
    rows.push({ metric: `peak RSS MB, ${label} Dockerfile(s) open`, bulkhead: fmt(bd?.[key] ?? NaN), peer: fmt(pd?.[key] ?? NaN), floor: '—', target: '<= peer', ...j });
  }
  rows.push({ metric: `peak RSS MB, ${OPEN_DOCS} mixed files open`, bulkhead: fmt(bm?.manyMb ?? NaN), peer: '—', floor: '—', target: '(info)', result: '' });
  if (cli) {
    const j = judge(cli.cli.median, 1.5 * cli.parseOnly.median);
    const perS = (ms: number) => `${fmt((cli.cliFiles / ms) * 1000)} files/s`;
    rows.push({ metric: `CLI wall ms, KICS (${cli.cliFiles} files), median of ${CLI_RUNS}`, bulkhead: `${fmt(cli.cli.median)} (${perS(cli.cli.median)})`, peer: '—', floor: `${fmt(cli.parseOnly.median)} (${perS(cli.parseOnly.median)})`, target: `<= 1.5 x parse-only (${fmt(1.5 * cli.parseOnly.median)})`, ...j });
  } else rows.push({ metric: 'CLI wall ms, KICS', bulkhead: '—', peer: '—', floor: '—', target: '<= 1.5 x parse-only', result: 'error' });

  const totalS = (performance.now() - started) / 1000;
  const table = printTable(rows);
  const findings = fixtures.map((f) => `${f.label} ${inproc.get(f.id)?.findings ?? '?'}`).join(', ');
  const notes = [
    `Language servers: edit->diagnostics in ms, p50/p95/p99, over the first ${FIRST} edits after the open and the ${STEADY} edits after those (one character typed into, then removed from, a value, rotating through the documents). In-process: ${EDITS} edits after ${WARMUP} warm-up edits. Floor = median parse of the whole file (yaml parseAllDocuments + LineCounter, or dockerfile-ast).`,
    ylsRuns.size ? `yaml-language-server (bench/peers, ${YLS_FIRST} + ${YLS_STEADY} edits per file) validates after a 200 ms debounce: its times include it.` : 'yaml-language-server: not installed (npm install --prefix bench/peers yaml-language-server@1.15.0), not measured.',
    `Findings on open: in-process ${findings}; server ${fixtures.map((f) => runs.get(`bulkhead:push:${f.id}`)?.diagnostics ?? '?').join('/')}; peer (Dockerfile) ${peerPush?.diagnostics ?? '?'}.`,
    interleaved ? `Dockerfile rows: the edits went to Bulkhead and to a fresh docker-langserver interleaved (each edit to one, then the other, the order alternating), so both are measured at the same moments; the peer column of each mode's rows is the peer run interleaved with it.` : 'Dockerfile rows: Bulkhead and docker-langserver measured one after the other.',
    `docker-langserver validates synchronously on every didChange (no debounce, no setting); Bulkhead runs with run=onType, no debounce, started with ${SERVER_NODE_FLAGS.join(' ') || 'no Node flags'}${Object.keys(bulkheadEnv).length ? ` and ${Object.entries(bulkheadEnv).map(([k, v]) => `${k}=${v}`).join(' ')} in its environment` : ''} as the VS Code extension starts it.`,
    echoRuns.size ? `Empty server: bench/echo-server.js (vscode-languageserver, the same Node flags, --stdio) answers every change at once with no diagnostics; its times are this machine's round-trip floor, under any analysis.` : 'Empty server: not measured.',
    `Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; total ${totalS.toFixed(0)} s.`,
  ];
  if (cli && cli.cliFiles !== cli.parsedFiles) notes.push(`CLI reported ${cli.cliFiles} files, parse-only parsed ${cli.parsedFiles}.`);
  if (lspErrors.length) notes.push(`Server logged ${lspErrors.length} error(s), first: ${lspErrors[0]}`);
  process.stdout.write(`\n${table}\n\n${notes.join('\n')}\n`);
  if (errors.length) process.stdout.write(`\nHarness errors:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);

  const s = (x: Stats | undefined) => (x ? { n: x.n, median: round(x.median), p95: round(x.p95), p99: round(x.p99), max: round(x.max), min: round(x.min), mean: round(x.mean) } : null);
  const json = {
    date: new Date().toISOString(),
    environment: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => round(x, 2)) },
    settings: { first: FIRST, steady: STEADY, edits: EDITS, warmup: WARMUP, openDocs: OPEN_DOCS, cliRuns: CLI_RUNS, debounce: 'none' },
    fixtures: Object.fromEntries(fixtures.map((f) => [f.id, { file: path.relative(ROOT, f.path), lines: f.lines, documents: f.documents, bytes: f.text.length, editSites: f.sites.length, findings: inproc.get(f.id)?.findings ?? null }])),
    latency: Object.fromEntries(
      fixtures.map((f) => [
        f.id,
        {
          push: s(runs.get(`bulkhead:push:${f.id}`)?.edits),
          pull: s(runs.get(`bulkhead:pull:${f.id}`)?.edits),
          pushFirst: s(runs.get(`bulkhead:push:${f.id}`)?.first),
          pullFirst: s(runs.get(`bulkhead:pull:${f.id}`)?.first),
          rssPush: runs.get(`bulkhead:push:${f.id}`)?.rss ?? null,
          yamlLanguageServer: ylsRuns.has(f.id) ? { first: s(ylsRuns.get(f.id)?.first), steady: s(ylsRuns.get(f.id)?.edits), open: round(ylsRuns.get(f.id)?.open ?? NaN), debounceMs: 200 } : null,
          emptyServer: s(echoRuns.get(f.id)?.edits),
          inProcess: s(inproc.get(f.id)?.server),
          analyzeOnly: s(inproc.get(f.id)?.analyze),
          openPush: round(runs.get(`bulkhead:push:${f.id}`)?.open ?? NaN),
          openPull: round(runs.get(`bulkhead:pull:${f.id}`)?.open ?? NaN),
          parseFloor: s(floors.get(f.id)?.full),
          parseOneDocument: s(floors.get(f.id)?.oneDocument),
          ...(f.id === 'dockerfile' ? { peer: { push: s(peerPush?.edits), pushFirst: s(peerPush?.first), pairedWithPull: s(runs.get('peer:pull:dockerfile')?.edits), pairedWithPullFirst: s(runs.get('peer:pull:dockerfile')?.first), inProcess: s(peerInproc), open: round(peerPush?.open ?? NaN), diagnostics: peerPush?.diagnostics ?? null } } : {}),
        },
      ]),
    ),
    memory: Object.fromEntries([...mem].map(([k, v]) => [k, { peakRssMb1: round(v.oneMb, 1), peakRssMbMany: round(v.manyMb, 1), open: s(v.open) }])),
    cli: cli ? { corpus: path.relative(ROOT, KICS), cliFiles: cli.cliFiles, parsedFiles: cli.parsedFiles, cliMs: s(cli.cli), parseOnlyMs: s(cli.parseOnly) } : null,
    table: rows.map(({ miss, ...r }) => ({ ...r, ...(miss ? { miss: { by: round(miss.by), ratio: round(miss.ratio, 2), unit: miss.unit } } : {}) })),
    notes,
    errors,
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, ONLY.size ? 'partial.tmp.json' : 'latest.json');
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`\nWrote ${path.relative(ROOT, out)}\n`);
  if (!errors.length && !ONLY.size) writeDocsTable(rows, notes, json.environment, json.date);
  return errors.length ? 1 : 0;
}

/** The results table in docs/performance.md, between its markers, from this run. */
function writeDocsTable(rows: Row[], notes: string[], env: { node: string; platform: string; cpus: number; loadavg: number[] }, date: string): void {
  const file = path.join(ROOT, 'docs', 'performance.md');
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  const cell = (x: string) => x.replace(/\|/g, '\\|');
  const table = [
    '| metric | bulkhead | peer | floor | target | result |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.metric, r.bulkhead, r.peer, r.floor, r.target, r.result].map(cell).join(' | ')} |`),
  ].join('\n');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `Run ${date.slice(0, 16).replace('T', ' ')} UTC on ${env.platform}, ${env.cpus} × ${cpu}, Node ${env.node}, load average ${env.loadavg.join(' ')} (a shared machine: compare ratios within one run, not runs).`;
  const body = `${start}\n${machine}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n${end}`;
  fs.writeFileSync(file, text.slice(0, a) + body + text.slice(b + end.length));
}

function killChildren(): void {
  for (const c of children) c.kill('SIGKILL');
}

const watchdog = setTimeout(() => {
  process.stderr.write(`\nbench: aborted, the whole run took longer than ${TOTAL_MS / 60000} minutes\n`);
  killChildren();
  process.exit(1);
}, TOTAL_MS);
watchdog.unref();

main().then(
  (code) => {
    killChildren();
    process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`\nbench: ${(e as Error).message}\n`);
    killChildren();
    process.exit(1);
  },
);
