/**
 * "Bulkhead: Scan workspace": every file the CLI would check in the workspace folders (the
 * same walk and ignores, server/src/cli/walk.ts), with progress and cancel. Results stay up
 * to date as files change on disk and are cleared for deleted files. Pull clients get them
 * through `workspace/diagnostic` (held open until something changes), push clients through
 * publishDiagnostics, never both (CONTRACT.md). Open documents keep their own diagnostics.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type Range,
  type WorkDoneProgressReporter,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { Config } from '../core/config';
import type { AnalysisResult } from '../core/engine';
import { scoreContainers } from '../core/harden';
import type { Rule } from '../core/rule';
import type { Platform } from '../core/types';
import { isInside, readRegularFile } from '../node/files';
import { isCandidateName, walk, type ConfigIgnores } from '../cli/walk';
import { ClientPositions, toDiagnostic } from './convert';

export const SCAN_COMMAND = 'bulkhead.server.scanWorkspace';
export const SUMMARY_COMMAND = 'bulkhead.server.workspaceSummary';
/** Sent (to a client that asked for the summary once) when the summary changes. */
export const SUMMARY_CHANGED = 'bulkhead/summaryChanged';

export interface ScanHost {
  connection: Connection;
  rules: readonly Rule[];
  pull(): boolean;
  /** Workspace folders (file system paths). */
  roots(): string[];
  isOpen(uri: string): boolean;
  /** The analysis of a text as the editor would do it; null for files it leaves out (config files, `ignore` globs). */
  analyse(uri: string, text: string): Promise<{ result: AnalysisResult; config: Config } | null>;
  /** The cached analysis of an open document. */
  analyseOpen(uri: string): Promise<{ result: AnalysisResult; config: Config } | null>;
  configIgnores: ConfigIgnores;
  docs(rule: string): string | undefined;
  /** The client can take a dynamic file watcher registration. */
  canWatch(): boolean;
}

/** One container in the workspace summary. */
export interface SummaryRow {
  uri: string;
  /** Relative to its workspace folder, '/' separators. */
  path: string;
  name: string;
  platform: Platform;
  passed: number;
  total: number;
  failing: string[];
  range: Range;
}

export interface ScanOutcome {
  files: number;
  findings: number;
  containers: number;
  cancelled: boolean;
}

interface Entry {
  diagnostics: Diagnostic[];
  resultId: string;
  rows: SummaryRow[];
}

/** A client's progress, or one the server created (which the user can cancel: its token). */
type Progress = WorkDoneProgressReporter & { token?: CancellationToken };

const WATCH_GLOBS = ['**/*.{yaml,yml,json}', '**/{Dockerfile,Containerfile}', '**/{Dockerfile,Containerfile}.*', '**/*.{dockerfile,Dockerfile,containerfile}'];

export class WorkspaceScan {
  private readonly entries = new Map<string, Entry>();
  /** Pull clients: deleted (or closed, unscanned) files whose empty report is still to be sent. */
  private readonly deleted = new Set<string>();
  private scanned = false;
  private running: Promise<ScanOutcome> | null = null;
  private seq = 0;
  private wake: (() => void)[] = [];
  private watching = false;
  private summaryWanted = false;
  private summaryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly host: ScanHost) {}

  get hasScanned(): boolean {
    return this.scanned;
  }

  /** Walks every workspace folder and analyses what it finds; cancelling keeps what was done. */
  scan(token?: CancellationToken, progress?: Progress): Promise<ScanOutcome> {
    if (this.running) return this.running;
    this.running = this.run(token, progress).finally(() => (this.running = null));
    return this.running;
  }

  private async run(token?: CancellationToken, progress?: Progress): Promise<ScanOutcome> {
    progress?.begin('Bulkhead: scanning the workspace', 0, 'finding files', true);
    const files: string[] = [];
    for (const root of this.host.roots()) for (const f of walk(root, this.host.configIgnores)) if (!files.includes(f)) files.push(f);
    const found = new Set<string>();
    let cancelled = false;
    for (let i = 0; i < files.length; i++) {
      if (token?.isCancellationRequested || progress?.token?.isCancellationRequested) {
        cancelled = true;
        break;
      }
      const uri = URI.file(files[i]).toString();
      found.add(uri);
      await this.update(uri);
      progress?.report(Math.round(((i + 1) / files.length) * 100), `${i + 1}/${files.length} ${this.relative(files[i])}`);
      await new Promise((r) => setImmediate(r)); // let other requests and a cancel in
    }
    if (!cancelled) for (const uri of [...this.entries.keys()]) if (!found.has(uri)) this.remove(uri);
    this.scanned = true;
    this.watch();
    progress?.done();
    const all = [...this.entries.values()];
    return { files: all.length, findings: all.reduce((n, e) => n + e.diagnostics.length, 0), containers: all.reduce((n, e) => n + e.rows.length, 0), cancelled };
  }

  /** A config change: the scanned files again, quietly. */
  refresh(): void {
    if (this.scanned) void this.scan();
  }

  /** Re-reads a file from disk and analyses it (also when its editor closes). */
  async update(uri: string): Promise<void> {
    const file = URI.parse(uri).fsPath;
    const root = this.rootOf(file);
    if (!root) return;
    const read = readRegularFile(file, { root });
    const analysed = read.ok && !read.truncated ? await this.host.analyse(uri, read.text) : null;
    if (!analysed || analysed.result.kind === 'unknown') {
      if (this.entries.has(uri)) this.remove(uri);
      return;
    }
    const { result, config } = analysed;
    const pos = new ClientPositions(result, read.ok ? read.text : '');
    const diagnostics = result.findings.map((f) => toDiagnostic(f, pos, this.host.docs));
    const rows = scoreContainers(result, this.host.rules, config)
      .filter((s) => s.total > 0)
      .map((s) => ({ uri, path: this.relative(file), name: s.container.name, platform: s.container.platform, passed: s.passed, total: s.total, failing: s.checks.filter((c) => !c.ok).map((c) => c.label), range: pos.range(s.container.anchor) }));
    this.deleted.delete(uri);
    this.entries.set(uri, { diagnostics, resultId: String(++this.seq), rows });
    if (!this.host.pull() && !this.host.isOpen(uri)) void this.host.connection.sendDiagnostics({ uri, diagnostics });
    this.changed();
  }

  remove(uri: string): void {
    if (!this.entries.delete(uri)) return;
    if (this.host.pull()) this.deleted.add(uri);
    else if (!this.host.isOpen(uri)) void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.changed();
  }

  /** Files created, changed or deleted on disk (workspace/didChangeWatchedFiles). */
  filesChanged(changes: FileEvent[]): void {
    if (!this.scanned) return;
    for (const c of changes) {
      const u = URI.parse(c.uri);
      if (u.scheme !== 'file') continue;
      if (c.type === FileChangeType.Deleted) {
        // a file, or a folder and everything under it
        for (const uri of [...this.entries.keys()]) if (uri === c.uri || isInside(u.fsPath, URI.parse(uri).fsPath)) this.remove(uri);
        continue;
      }
      if (!isCandidateName(path.basename(u.fsPath)) || !this.rootOf(u.fsPath)) continue;
      if (!this.host.isOpen(c.uri)) void this.update(c.uri);
    }
  }

  /** An editor closed: what is on disk counts again (push clients had it cleared). */
  documentClosed(uri: string): void {
    if (this.scanned && this.entries.has(uri)) {
      void this.update(uri);
      return;
    }
    // A pull client that also pulls workspace diagnostics keeps a closed document's last
    // diagnostics until a workspace report says otherwise: a file no scan holds is cleared.
    // Not at once: the client first pulls the closed document itself and ignores a workspace
    // report for a document it still tracks (its rows then stayed in Problems); so after that
    // pull, and once more later in case it was slow. An empty report twice is harmless.
    if (this.host.pull()) {
      for (const ms of [300, 2000]) {
        setTimeout(() => {
          if (this.host.isOpen(uri) || (this.scanned && this.entries.has(uri))) return;
          this.deleted.add(uri);
          this.changed();
        }, ms).unref();
      }
    }
  }

  /** workspace/diagnostic: what changed since the client's result ids; held open until something does. */
  async workspaceReport(params: WorkspaceDiagnosticParams, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    for (;;) {
      // a scan under way answers once, when it is done
      if (this.running) await this.running.catch(() => undefined);
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      for (const [uri, e] of this.entries) {
        if (this.host.isOpen(uri) || previous.get(uri) === e.resultId) continue;
        items.push({ kind: 'full', uri, version: null, resultId: e.resultId, items: e.diagnostics });
      }
      for (const uri of this.deleted) items.push({ kind: 'full', uri, version: null, items: [] });
      this.deleted.clear();
      if (items.length || token.isCancellationRequested) return { items };
      await new Promise<void>((resolve) => {
        this.wake.push(resolve);
        token.onCancellationRequested(() => resolve());
      });
    }
  }

  /** Containers by hardening score, worst first (open documents as they are in the editor). */
  async summary(): Promise<{ scanned: boolean; containers: SummaryRow[] }> {
    this.summaryWanted = true;
    const rows: SummaryRow[] = [];
    for (const [uri, e] of this.entries) {
      if (!this.host.isOpen(uri)) {
        rows.push(...e.rows);
        continue;
      }
      const open = await this.host.analyseOpen(uri);
      if (!open) continue;
      const file = URI.parse(uri).fsPath;
      const pos = new ClientPositions(open.result, open.result.bom ? `\ufeff${open.result.text}` : open.result.text);
      for (const s of scoreContainers(open.result, this.host.rules, open.config)) {
        if (s.total === 0) continue;
        rows.push({ uri, path: this.relative(file), name: s.container.name, platform: s.container.platform, passed: s.passed, total: s.total, failing: s.checks.filter((c) => !c.ok).map((c) => c.label), range: pos.range(s.container.anchor) });
      }
    }
    rows.sort((a, b) => a.passed / a.total - b.passed / b.total || b.failing.length - a.failing.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.range.start.line - b.range.start.line);
    return { scanned: this.scanned, containers: rows };
  }

  private changed(): void {
    for (const w of this.wake.splice(0)) w();
    if (!this.summaryWanted || this.summaryTimer) return;
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = null;
      void this.host.connection.sendNotification(SUMMARY_CHANGED);
    }, 300);
  }

  private watch(): void {
    if (this.watching || !this.host.canWatch()) return;
    this.watching = true;
    void this.host.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCH_GLOBS.map((globPattern) => ({ globPattern })) }).catch(() => undefined);
  }

  private rootOf(file: string): string | null {
    let best: string | null = null;
    for (const r of this.host.roots()) if (isInside(r, file) && (!best || r.length > best.length)) best = r;
    return best;
  }

  private relative(file: string): string {
    const root = this.rootOf(file);
    return (root ? path.relative(root, file) : path.basename(file)).split(path.sep).join('/');
  }
}
