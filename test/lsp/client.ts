/**
 * A small LSP client for black-box tests of the bundled server (dist/server.js --stdio).
 * It answers the requests a real editor answers (workspace/configuration from a settings
 * object the test may change, client/registerCapability, workspace/diagnostic/refresh),
 * keeps the open documents' text and versions, and records every publishDiagnostics so a
 * test can wait on the event — never on time. The only timer is a generous guard that
 * fails a wait with a message saying what never arrived.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type ConfigurationParams,
  type LogMessageParams,
  type RegistrationParams,
  type Command,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type FileEvent,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

/** From out/test/lsp/ (compiled) to the bundled server. */
export const SERVER_PATH = path.resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

/** Fails a wait that never ends; far above any real round trip, so it only catches hangs. */
export const GUARD_MS = 20_000;

/** What a capable editor (VS Code-like, push diagnostics) advertises. */
export function pushCapabilities(overrides: { documentChanges?: boolean; resourceOperations?: string[] } = {}): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      workspaceEdit: {
        documentChanges: overrides.documentChanges ?? true,
        resourceOperations: (overrides.resourceOperations ?? ['create', 'rename', 'delete']) as ('create' | 'rename' | 'delete')[],
      },
    },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      codeAction: {
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } },
        isPreferredSupport: true,
        dataSupport: true,
      },
    },
  };
}

/** The same editor, but pulling diagnostics (textDocument/diagnostic). */
export function pullCapabilities(refreshSupport = false): ClientCapabilities {
  const caps = pushCapabilities();
  caps.textDocument = { ...caps.textDocument, diagnostic: { dynamicRegistration: false } };
  caps.workspace = { ...caps.workspace, diagnostics: { refreshSupport } };
  return caps;
}

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** The `bulkhead` section answered to workspace/configuration; change `client.settings` later. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  rootUri?: string | null;
}

/** A publishDiagnostics as received, with its arrival time (performance.now()). */
export type ReceivedDiagnostics = PublishDiagnosticsParams & { receivedAt: number };

interface OpenDocument {
  languageId: string;
  version: number;
  text: string;
}

interface Waiter {
  uri: string;
  predicate: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: ReceivedDiagnostics) => void;
  reject: (e: Error) => void;
}

export class TestClient {
  /** The `bulkhead` settings section; tests replace or mutate it, then send didChangeConfiguration. */
  settings: Record<string, unknown>;
  readonly initializeResult: InitializeResult;
  /** Every publishDiagnostics, per uri, in arrival order (with arrival time in ms). */
  readonly publishes = new Map<string, ReceivedDiagnostics[]>();
  readonly registrations: Registration[] = [];
  readonly configurationRequests: ConfigurationParams[] = [];
  readonly refreshRequests: number[] = [];
  readonly log: string[] = [];
  private readonly docs = new Map<string, OpenDocument>();
  private waiters: Waiter[] = [];
  private refreshWaiters: (() => void)[] = [];
  private exited: string | null = null;
  private held: { asked: () => void; released: Promise<void> } | null = null;

  private constructor(
    private readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
    private readonly stderr: () => string,
    settings: Record<string, unknown>,
    initializeResult: InitializeResult,
  ) {
    this.settings = settings;
    this.initializeResult = initializeResult;
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const proc = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (s: string) => (stderr += s));
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    // The instance does not exist until initialize answers, but handlers must be in place
    // before listen(): they forward to it once it exists.
    let self: TestClient | undefined;
    const early: (() => void)[] = [];
    const later = (f: (c: TestClient) => void): void => {
      if (self) f(self);
      else early.push(() => f(self!));
    };
    const settings = options.settings ?? {};
    let currentSettings = () => (self ? self.settings : settings);

    connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
      later((c) => c.onPublish(p));
    });
    connection.onNotification(LogMessageNotification.type, (p: LogMessageParams) => {
      later((c) => c.log.push(p.message));
    });
    connection.onRequest(ConfigurationRequest.type, async (p: ConfigurationParams) => {
      later((c) => c.configurationRequests.push(p));
      const hold = self?.held;
      if (hold) {
        self!.held = null;
        hold.asked();
        await hold.released;
      }
      return p.items.map((item) => (item.section === 'bulkhead' ? structuredClone(currentSettings()) : null));
    });
    connection.onRequest(RegistrationRequest.type, (p: RegistrationParams) => {
      later((c) => c.registrations.push(...p.registrations));
    });
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      later((c) => c.onRefresh());
    });
    connection.listen();

    const exit = new Promise<never>((_, reject) => {
      proc.once('exit', (code, signal) => reject(new Error(`The server exited during initialize (code ${code}, signal ${signal}): ${stderr}`)));
    });
    const init = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: options.capabilities ?? pushCapabilities(),
      initializationOptions: options.initializationOptions,
      workspaceFolders: null,
    });
    const result = await guard(Promise.race([init, exit]), 'the initialize response');
    self = new TestClient(proc, connection, () => stderr, settings, result);
    currentSettings = () => self!.settings;
    proc.on('exit', (code, signal) => self!.onExit(`The server exited (code ${code}, signal ${signal}). stderr: ${stderr}`));
    for (const f of early) f();
    await connection.sendNotification(InitializedNotification.type, {});
    return self;
  }

  // --- documents -----------------------------------------------------------------------

  text(uri: string): string {
    return this.doc(uri).text;
  }

  version(uri: string): number {
    return this.doc(uri).version;
  }

  async open(uri: string, text: string, languageId = 'dockerfile'): Promise<void> {
    this.docs.set(uri, { languageId, version: 1, text });
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends one incremental change: the changed middle between the old and the new text. Returns the new version. */
  async change(uri: string, newText: string): Promise<number> {
    const d = this.doc(uri);
    const old = d.text;
    let s = 0;
    while (s < old.length && s < newText.length && old[s] === newText[s]) s++;
    let eo = old.length;
    let en = newText.length;
    while (eo > s && en > s && old[eo - 1] === newText[en - 1]) {
      eo--;
      en--;
    }
    return this.changeRange(uri, { start: positionAt(old, s), end: positionAt(old, eo) }, newText.slice(s, en));
  }

  /** Sends one incremental change of `range` to `text`. Returns the new version. */
  async changeRange(uri: string, range: Range, text: string): Promise<number> {
    const d = this.doc(uri);
    d.text = applyTextEdits(d.text, [{ range, newText: text }]);
    d.version++;
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: d.version },
      contentChanges: [{ range, text }],
    });
    return d.version;
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    // Pull-model servers (configuration: true) ignore the payload and ask again.
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { bulkhead: settings } });
  }

  async changeWatchedFiles(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  // --- requests ------------------------------------------------------------------------

  async codeActions(uri: string, diagnostics: Diagnostic[], only?: string[], range?: Range): Promise<CodeAction[]> {
    const r = range ?? diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const res = await guard(
      this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: r, context: { diagnostics, only } }),
      `the textDocument/codeAction response for ${uri}`,
    );
    const out = (res ?? []) as (CodeAction | Command)[];
    for (const a of out) if (!('kind' in a) && typeof a.command === 'string') throw new Error(`Expected CodeAction literals, got a bare Command: ${JSON.stringify(a)}`);
    return out as CodeAction[];
  }

  async pullDiagnostics(uri: string): Promise<DocumentDiagnosticReport> {
    return guard(this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), `the textDocument/diagnostic response for ${uri}`);
  }

  // --- diagnostics ---------------------------------------------------------------------

  latest(uri: string): ReceivedDiagnostics | undefined {
    const list = this.publishes.get(uri);
    return list?.[list.length - 1];
  }

  /**
   * Resolves with the first publish for `uri` that satisfies `predicate`, looking at the
   * latest one already received first. Pass a predicate on `version` to demand a fresh one.
   */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, what = 'matching diagnostics'): Promise<ReceivedDiagnostics> {
    const last = this.latest(uri);
    if (last && predicate(last)) return Promise.resolve(last);
    if (this.exited) return Promise.reject(new Error(this.exited));
    const wait = new Promise<ReceivedDiagnostics>((resolve, reject) => this.waiters.push({ uri, predicate, resolve, reject }));
    return guard(wait, `${what} for ${uri}`, () => `last publish: ${JSON.stringify(this.latest(uri) ?? null)}; server log: ${this.log.join(' | ')}; stderr: ${this.stderr()}`);
  }

  /** Waits for the publish that answers the current version of an open document. */
  waitForVersion(uri: string, predicate: (d: Diagnostic[]) => boolean = () => true, what?: string): Promise<ReceivedDiagnostics> {
    const v = this.version(uri);
    return this.waitForDiagnostics(uri, (p) => p.version === v && predicate(p.diagnostics), what ?? `diagnostics for version ${v}`);
  }

  /** Resolves at the next workspace/diagnostic/refresh request from the server. */
  waitForRefresh(): Promise<void> {
    return guard(new Promise<void>((resolve) => this.refreshWaiters.push(resolve)), 'a workspace/diagnostic/refresh request');
  }

  /**
   * Holds the answer to the next workspace/configuration request until `release()`, so a
   * test can act while a server request waits on it. `asked` resolves when it arrives.
   */
  holdConfiguration(): { asked: Promise<void>; release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const askedP = new Promise<void>((resolve) => (asked = resolve));
    this.held = { asked, released };
    return { asked: guard(askedP, 'a workspace/configuration request'), release };
  }

  // --- lifecycle -----------------------------------------------------------------------

  get serverExited(): string | null {
    return this.exited;
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
      try {
        await guard(this.connection.sendRequest(ShutdownRequest.type), 'the shutdown response');
        await this.connection.sendNotification(ExitNotification.type);
        await guard(gone, 'the server to exit');
      } catch {
        // The kill below ends it either way.
      }
    }
    this.connection.dispose();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
  }

  private doc(uri: string): OpenDocument {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    return d;
  }

  private onPublish(p: PublishDiagnosticsParams): void {
    let list = this.publishes.get(p.uri);
    if (!list) this.publishes.set(p.uri, (list = []));
    const received: ReceivedDiagnostics = { ...p, receivedAt: performance.now() };
    list.push(received);
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.uri !== p.uri) still.push(w);
      else {
        let ok = false;
        try {
          ok = w.predicate(received);
        } catch (e) {
          w.reject(e as Error);
          continue;
        }
        if (ok) w.resolve(received);
        else still.push(w);
      }
    }
    this.waiters = still;
  }

  private onRefresh(): void {
    this.refreshRequests.push(performance.now());
    const ws = this.refreshWaiters;
    this.refreshWaiters = [];
    for (const w of ws) w();
  }

  private onExit(message: string): void {
    this.exited = message;
    for (const w of this.waiters) w.reject(new Error(message));
    this.waiters = [];
  }
}

/** Rejects with a clear message if `p` has not settled within GUARD_MS. */
export function guard<T>(p: Promise<T>, what: string, detail: () => string = () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const extra = detail();
      reject(new Error(`Timed out after ${GUARD_MS / 1000} s waiting for ${what}${extra ? `; ${extra}` : ''}`));
    }, GUARD_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// --- text and edits ------------------------------------------------------------------------

/** Line start offsets; \r\n, \r and \n are line breaks (as LSP). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}

function lineContentEnd(text: string, starts: number[], line: number): number {
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > starts[line] && text.charCodeAt(end - 1) === 10) end--;
  if (end > starts[line] && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/** Offset of a UTF-16 position; strict: a position outside the text is a server bug, so it throws. */
export function offsetAt(text: string, pos: Position): number {
  const starts = lineStarts(text);
  if (pos.line < 0 || pos.line >= starts.length) throw new Error(`Position ${JSON.stringify(pos)} is past the last line (${starts.length - 1})`);
  const start = starts[pos.line];
  const end = lineContentEnd(text, starts, pos.line);
  if (pos.character < 0 || start + pos.character > end) throw new Error(`Position ${JSON.stringify(pos)} is past the end of line ${pos.line} (length ${end - start})`);
  return start + pos.character;
}

export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, character: offset - starts[line] };
}

/** Applies edits that all refer to the original text (LSP rules: no overlaps; same-place inserts in order). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const spans = edits
    .map((e, i) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), text: e.newText, i }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.end < s.start) throw new Error(`Edit range ends before it starts: ${JSON.stringify(edits[s.i].range)}`);
    if (s.start < at) throw new Error(`Overlapping edits: ${JSON.stringify(edits)}`);
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

export interface AppliedEdit {
  /** The text of every document the edit touched, after the edit. */
  texts: Map<string, string>;
  /** Resource operations in order (kind, uri, options). */
  operations: { kind: string; uri: string; options?: unknown }[];
  /** The version each TextDocumentEdit named, per uri (null: unversioned). */
  versions: Map<string, number | null>;
  /** Which form the server used. */
  form: 'changes' | 'documentChanges';
}

/**
 * Applies a WorkspaceEdit to in-memory texts (`texts` gives the current text of a uri;
 * undefined means the file does not exist). CreateFile makes an empty file.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: (uri: string) => string | undefined): AppliedEdit {
  const current = new Map<string, string | undefined>();
  const get = (uri: string) => (current.has(uri) ? current.get(uri) : texts(uri));
  const operations: AppliedEdit['operations'] = [];
  const versions = new Map<string, number | null>();
  if (edit.documentChanges && edit.changes) throw new Error('A WorkspaceEdit with both documentChanges and changes');
  if (edit.documentChanges) {
    for (const op of edit.documentChanges) {
      if ('kind' in op) {
        if (op.kind === 'create') {
          operations.push({ kind: op.kind, uri: op.uri, options: op.options });
          if (get(op.uri) === undefined || op.options?.overwrite) current.set(op.uri, '');
        } else if (op.kind === 'rename') {
          operations.push({ kind: op.kind, uri: op.oldUri, options: { newUri: op.newUri, ...op.options } });
          current.set(op.newUri, get(op.oldUri));
          current.set(op.oldUri, undefined);
        } else {
          operations.push({ kind: op.kind, uri: op.uri, options: op.options });
          current.set(op.uri, undefined);
        }
      } else {
        const uri = op.textDocument.uri;
        const before = get(uri);
        if (before === undefined) throw new Error(`An edit to ${uri}, which does not exist`);
        versions.set(uri, op.textDocument.version);
        current.set(uri, applyTextEdits(before, op.edits as TextEdit[]));
      }
    }
  } else {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const before = get(uri);
      if (before === undefined) throw new Error(`An edit to ${uri}, which does not exist`);
      current.set(uri, applyTextEdits(before, edits));
    }
  }
  const out = new Map<string, string>();
  for (const [uri, t] of current) if (t !== undefined) out.set(uri, t);
  return { texts: out, operations, versions, form: edit.documentChanges ? 'documentChanges' : 'changes' };
}

/** Applies an edit that may only touch `uri`, and returns that document's new text. */
export function applyToDocument(edit: WorkspaceEdit | undefined, uri: string, text: string): string {
  if (!edit) throw new Error('The code action has no edit');
  const applied = applyWorkspaceEdit(edit, (u) => (u === uri ? text : undefined));
  const others = [...applied.texts.keys()].filter((u) => u !== uri);
  if (others.length || applied.operations.length) throw new Error(`The edit touches other files: ${JSON.stringify(edit)}`);
  return applied.texts.get(uri) ?? text;
}
