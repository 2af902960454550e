import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { URI } from 'vscode-uri';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type ConnectionStrategy,
  type RequestMessage,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { mergeConfig, parseConfigFile, type Config, type ConfigLayer } from '../core/config';
import { docsPage } from '../node/docs';
import { registerHover } from './hover';
import { brokenConfigNotice, usableLayer, type BrokenConfigs } from './configState';
import { nameHint } from '../core/classify';
import type { AnalysisResult, AnalyzeInput, WorkspaceView } from '../core/engine';
import { TextIndex } from '../core/text';
import { engine, rules } from '../rules';
import { findConfigFile, loadConfigFile } from '../node/config';
import { readWorkspaceFile } from '../node/files';
import { SettingsStore } from './settings';
import { DiskCache, WorkspaceRoots, workspaceView } from './roots';
import { codeActionsFor, fixAllAction, FIX_ALL_KIND, type ClientEditSupport } from './actions';
import { RetainedAnalyses } from './retain';
import { DiagnosticCache } from './diagnostics';
import { LineMatch } from './changes';

import { TrustState } from './trust';
import { logStartup, registerStatus, strictOnly } from './status';

/** A manifest with objects other manifests read facts from (one line: lsp/changes.ts relies on it). */
const RELATED_OBJECT = /\bkind["']?[ \t]*:[ \t]*["']?(?:ServiceAccount|LimitRange)\b/;

/** Files whose content feeds facts into other files' analyses (watched so cached reads stay true). */
const FACT_FILES = ['**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*}', '**/{kustomization.yaml,kustomization.yml,Kustomization}', '**/{.env,*.env,.gitignore,.dockerignore}', '**/.git/{HEAD,info/exclude}', '**/{.secrets,secrets}/**', '**/*.{yaml,yml,json}'];
import { containerFeatures, HARDEN_KIND } from './containers';

/** What a request the client cancelled answers (LSP: RequestCancelled). */
function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/**
 * Connection options: a request cancelled while it still waits in the queue is answered
 * "cancelled" without running it (the default runs it anyway).
 */
export const connectionStrategy: ConnectionStrategy = {
  cancelUndispatched: (message) => ({ jsonrpc: '2.0', id: (message as RequestMessage).id, error: { code: LSPErrorCodes.RequestCancelled, message: 'Request cancelled' } }),
};

/**
 * The key of a document's per-document caches in the engine (`AnalyzeInput.cacheKey`): none
 * for a Dockerfile still at the version it was opened with (see `openedAt` in startServer).
 */
export function memoKey(doc: { uri: string; languageId: string; version: number }, openedVersion: number | undefined): string | undefined {
  const unedited = openedVersion === doc.version && (doc.languageId === 'dockerfile' || nameHint(URI.parse(doc.uri).path) === 'dockerfile');
  return unedited ? undefined : doc.uri;
}

export function startServer(connection: Connection): void {
  /** Which open manifests hold a ServiceAccount or LimitRange, kept per keystroke from the changed lines (lsp/changes.ts). */
  const relatedTexts = new LineMatch(RELATED_OBJECT);
  const documents = new TextDocuments(relatedTexts.documents);
  /**
   * Diagnostics analyses: whole for the documents analysed last, shrunk for the others
   * (retain.ts). 4, not 8: a whole analysis kept past a few more analyses outlives V8's
   * young generation and is copied to the old one, where it stays after it is shrunk until a
   * full collection (peak RSS with 200 Dockerfiles open: ~78 MB with 4, ~84 with 8).
   */
  const cache = new RetainedAnalyses({ whole: 4, older: 'shrink' });
  /** Whole analyses with every fix, for code actions (latest version of the last few documents). */
  const fixCache = new RetainedAnalyses({ whole: 4, older: 'drop' });
  /** Diagnostics per YAML document of a manifest, reused while its findings stay (lsp/diagnostics.ts). */
  const diagnosticCache = new DiagnosticCache();
  /** Disk files as the diagnostics path last read them (dropped on file-watch events). */
  const disk = new DiskCache();
  const settings = new SettingsStore(connection);
  const roots = new WorkspaceRoots();
  const configFileLayers = new Map<string, ConfigLayer>();
  const docs = docsPage; // the page installed beside the server (works offline), never a web guess
  const brokenConfigs: BrokenConfigs = new Map();
  const trust = new TrustState();
  let folderUris: string[] = [];
  let pull = false;
  let containers: ReturnType<typeof containerFeatures> | undefined = undefined;
  let watchRegistration = false;
  let refreshSupport = false;
  let folderChanges = false;
  const support: ClientEditSupport = { documentChanges: false, createFiles: false, rootOf: (file) => roots.rootOf(file) };

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    pull = caps.textDocument?.diagnostic !== undefined;
    watchRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    refreshSupport = caps.workspace?.diagnostics?.refreshSupport === true;
    settings.pulled = caps.workspace?.configuration === true;
    support.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
    support.createFiles = (caps.workspace?.workspaceEdit?.resourceOperations ?? []).includes('create');
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    settings.initial = init?.settings;
    trust.initialize(init);
    folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots.set(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    folderChanges = caps.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        ...(folderChanges ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, HARDEN_KIND] },
        hoverProvider: true,
        ...(pull ? { diagnosticProvider: { identifier: 'bulkhead', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        ...containers?.initialize(caps),
      },
      serverInfo: { name: 'bulkhead' },
    };
  });

  connection.onInitialized(() => {
    logStartup(connection, folderUris, trust);
    if (folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        roots.change(e.added.map((f) => f.uri), e.removed.map((f) => f.uri));
        refreshAll();
      });
    }
    if (!watchRegistration) {
      disk.maxAgeMs = 3000; // no file events: what keystrokes read from disk is at most this old
      return;
    }
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.bulkhead.{yaml,yml}' }, ...FACT_FILES.map((globPattern) => ({ globPattern }))] }).catch(() => undefined);
  });

  /** The nearest .bulkhead.yaml: an open copy wins over the disk. */
  /** The nearest config file per folder (cleared when config files change on disk). */
  const configFileByDir = new Map<string, string | null>();

  function nearestConfigFile(dir: string): string | null {
    let file = configFileByDir.get(dir);
    if (file === undefined) {
      file = findConfigFile(dir);
      configFileByDir.set(dir, file);
    }
    return file;
  }

  /** Compiled `ignore` globs per config layer (a changed config file is a new layer). */
  const ignoreMatchers = new WeakMap<ConfigLayer, Ignore>();

  /** A document the nearest .bulkhead.yaml's `ignore` globs leave out (relative to that file's folder). */
  function ignoredByConfig(uri: string): boolean {
    const u = URI.parse(uri);
    if (u.scheme !== 'file') return false;
    const { key, layer } = fileLayer(uri);
    if (!key || !layer?.ignore?.length || !trust.trusted) return false; // Restricted Mode: see trust.ts
    const rel = path.relative(path.dirname(URI.parse(key).fsPath), u.fsPath).split(path.sep).join('/');
    let matcher = ignoreMatchers.get(layer);
    if (!matcher) {
      matcher = ignore().add(layer.ignore);
      ignoreMatchers.set(layer, matcher);
    }
    return !rel.startsWith('..') && matcher.ignores(rel);
  }

  function fileLayer(uri: string): { key: string; layer: ConfigLayer | undefined } {
    const u = URI.parse(uri);
    if (u.scheme !== 'file') return { key: '', layer: undefined };
    const file = nearestConfigFile(path.dirname(u.fsPath));
    if (!file) return { key: '', layer: undefined };
    const fileUri = URI.file(file).toString();
    let layer = configFileLayers.get(fileUri);
    if (!layer) {
      const open = documents.get(fileUri);
      if (open) layer = usableLayer(fileUri, parseConfigFile(open.getText()), open.getText(), brokenConfigs);
      else {
        // a regular file inside its own project only (never a FIFO, a device, a link out)
        try {
          const loaded = loadConfigFile(file);
          layer = usableLayer(fileUri, loaded, loaded.text, brokenConfigs);
        } catch {
          layer = {};
        }
      }
      configFileLayers.set(fileUri, layer);
    }
    return { key: fileUri, layer };
  }

  /**
   * Files next to a document, inside its workspace folder: an open copy wins over the disk.
   * Diagnostics read the disk through the cache; fixes (code actions, fix-all) read it now.
   */
  function workspaceOf(uri: URI, fixes = false): WorkspaceView | undefined {
    if (uri.scheme !== 'file') return undefined;
    return workspaceView(uri, roots.rootOf(uri.fsPath), (u) => documents.get(u)?.getText(), fixes ? undefined : disk);
  }

  /**
   * The version each open document was opened with. A Dockerfile at that version (opened, not
   * typed into yet) is analysed without the engine's per-document memo (its parse and
   * per-instruction results): many opened documents are never edited (a restored session opens
   * dozens), and a memo kept for each outlived V8's young generation and stayed in the old one
   * (peak RSS with 200 Dockerfiles open ~78 -> ~74 MB). The first edit is checked whole, as the
   * open was, and makes the memo the edits after it reuse.
   */
  const openedAt = new Map<string, number>();

  /** The diagnostics path: the document's caches are reused across keystrokes, fixes are built on demand. */
  function inputOf(doc: TextDocument): AnalyzeInput {
    const u = URI.parse(doc.uri);
    return { text: doc.getText(), path: u.scheme === 'file' ? u.fsPath : u.path, languageId: doc.languageId, workspace: workspaceOf(u), cacheKey: memoKey(doc, openedAt.get(doc.uri)) };
  }

  /** Code actions and fix-all: one whole analysis with every fix, files read from the disk now. */
  function fixInputOf(doc: TextDocument): AnalyzeInput {
    const u = URI.parse(doc.uri);
    return { text: doc.getText(), path: u.scheme === 'file' ? u.fsPath : u.path, languageId: doc.languageId, workspace: workspaceOf(u, true) };
  }

  /**
   * A Dockerfile, a kustomization, or a manifest holding a ServiceAccount or LimitRange (read by
   * the manifests of a kustomization that lists it) feeds facts into YAML files: re-check those
   * when it changes.
   */
  /** The text each such file had when YAML files last could have read it. */
  const dependencyTexts = new Map<string, string>();

  function dependentsChanged(changed: TextDocument): void {
    const u = URI.parse(changed.uri);
    const hint = nameHint(u.path);
    const kustomization = /kustomization\.ya?ml$/i.test(u.path);
    const text = changed.getText();
    const related = (hint === 'yaml' || hint === 'json') && !kustomization && (relatedTexts.test(changed) || dependencyTexts.has(changed.uri));
    if (hint !== 'dockerfile' && !kustomization && !related) return;
    let before = dependencyTexts.get(changed.uri);
    if (before === undefined && u.scheme === 'file') {
      // just opened: what YAML files read so far came from the disk
      before = readWorkspaceFile(u.fsPath, roots.rootOf(u.fsPath));
    }
    dependencyTexts.set(changed.uri, text);
    if (before === text) return;
    // Only files that can refer to it: a compose file at or above a Dockerfile's folder
    // (build contexts point down), a manifest in a kustomization's folder, a manifest at or
    // above a ServiceAccount's folder (kustomization resources point down).
    const dir = path.dirname(u.path);
    const dependents = documents.all().filter((d) => {
      if (d.uri === changed.uri) return false;
      const p = URI.parse(d.uri).path;
      const h = nameHint(p);
      if (h !== 'yaml' && h !== 'json') return false;
      const dDir = path.dirname(p);
      return kustomization ? dDir === dir : dir === dDir || dir.startsWith(`${dDir}/`);
    });
    for (const d of dependents) {
      cache.delete(d.uri);
      fixCache.delete(d.uri);
      engine.invalidate(d.uri);
    }
    if (pull) {
      if (dependents.length) refreshPulled();
    } else for (const d of dependents) void publish(d);
  }

  /** One merged config object per settings and config-file layer, so the engine's per-config caches hit. */
  const configs = new WeakMap<object, WeakMap<object, { config: Config; key: string }>>();
  const NO_LAYER = {};

  function configOf(settingsLayer: ConfigLayer, key: string, layer: ConfigLayer | undefined): { config: Config; key: string } {
    let byLayer = configs.get(settingsLayer);
    if (!byLayer) configs.set(settingsLayer, (byLayer = new WeakMap()));
    let c = byLayer.get(layer ?? NO_LAYER);
    if (!c) {
      const config = mergeConfig(settingsLayer, layer);
      c = { config, key: JSON.stringify(config) };
      byLayer.set(layer ?? NO_LAYER, c);
    }
    return { config: c.config, key: `${key}\0${c.key}` };
  }

  /** The config a document is analysed with: editor settings, then its .bulkhead.yaml (as far as trust allows). */
  async function configFor(uri: string): Promise<{ key: string; config: Config }> {
    const s = await settings.for(uri);
    const { key, layer } = fileLayer(uri);
    const { config, key: configKey } = configOf(s.layer, key, trust.apply(layer, s.layer, strictOnly));
    return { config, key: configKey };
  }

  async function analyse(doc: TextDocument, fixes = false): Promise<AnalysisResult> {
    const { config, key: configKey } = await configFor(doc.uri);
    const store = fixes ? fixCache : cache;
    const hit = store.get(doc.uri);
    if (hit && hit.version === doc.version && hit.configKey === configKey) return hit.result;
    // never a frozen editor: see file-too-large.md
    const input: AnalyzeInput = { ...(fixes ? fixInputOf(doc) : inputOf(doc)), budgetMs: 1500 };
    const result = engine.analyze(input, config);
    // a Dockerfile opened and not typed into (no memo key, see memoKey) is kept shrunk from the
    // start: its first edit analyses it whole again anyway (peak RSS with 200 Dockerfiles open
    // ~1.5 MB lower)
    const opened = !fixes && input.cacheKey === undefined;
    store.set(doc.uri, { version: doc.version, configKey, result }, () => engine.analyze(input, config), opened);
    return result;
  }

  function configDiagnostics(doc: TextDocument): Diagnostic[] {
    const { problems } = parseConfigFile(doc.getText());
    const index = new TextIndex(doc.getText());
    const href = docs('invalid-config');
    return problems.map((p) => ({
      range: index.rangeOf(p.span ?? { start: 0, end: 0 }),
      severity: p.severity === 'warning' ? 2 : 1,
      code: 'invalid-config',
      ...(href ? { codeDescription: { href } } : {}),
      source: 'bulkhead',
      message: p.message,
    }));
  }

  async function diagnosticsFor(doc: TextDocument): Promise<Diagnostic[]> {
    if (nameHint(URI.parse(doc.uri).path) === 'config') return configDiagnostics(doc);
    if (ignoredByConfig(doc.uri)) return [];
    const result = await analyse(doc);
    const notice = brokenConfigNotice(fileLayer(doc.uri).key, doc.uri, brokenConfigs, docs);
    const diagnostics = diagnosticCache.of(doc.uri, result, doc.getText(), docs);
    return notice.length ? [...notice, ...diagnostics] : diagnostics;
  }

  async function publish(doc: TextDocument): Promise<void> {
    if (pull) return;
    try {
      const diagnostics = await diagnosticsFor(doc);
      if (documents.get(doc.uri)?.version !== doc.version) return; // a newer edit is on its way
      await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    } catch (e) {
      connection.console.error(`bulkhead: ${(e as Error).stack ?? e}`);
    }
  }

  /** Asks a pull client to pull again, if it said it can; otherwise its next pull is fresh anyway. */
  function refreshPulled(): void {
    if (refreshSupport) connection.languages.diagnostics.refresh().catch(() => undefined);
  }

  function refreshAll(): void {
    cache.clear();
    fixCache.clear();
    engine.invalidate();
    containers?.refresh();
    if (pull) refreshPulled();
    else for (const d of documents.all()) void publish(d);
  }

  documents.onDidChangeContent(async (e) => {
    if (nameHint(URI.parse(e.document.uri).path) === 'config') {
      configFileLayers.delete(e.document.uri);
      configFileByDir.clear();
      if (!pull) void publish(e.document);
      for (const d of documents.all()) if (d.uri !== e.document.uri) cache.delete(d.uri);
      fixCache.clear();
      engine.invalidate();
      if (pull) refreshPulled();
      else for (const d of documents.all()) if (d.uri !== e.document.uri) void publish(d);
      return;
    }
    dependentsChanged(e.document);
    containers?.changed(e.document);
    if (pull) return;
    const s = await settings.for(e.document.uri);
    if (s.run === 'onType' || e.document.version === 1 || !cache.has(e.document.uri)) void publish(e.document);
  });
  documents.onDidSave((e) => {
    // a save may change what other documents read from the disk
    const u = URI.parse(e.document.uri);
    if (u.scheme === 'file' && disk.drop([u.fsPath])) {
      engine.invalidate();
      cache.clear();
      fixCache.clear();
    }
    void settings.for(e.document.uri).then((s) => {
      if (s.run === 'onSave' && !pull) void publish(e.document);
    });
  });
  documents.onDidOpen((e) => openedAt.set(e.document.uri, e.document.version));
  documents.onDidClose((e) => {
    openedAt.delete(e.document.uri);
    cache.delete(e.document.uri);
    fixCache.delete(e.document.uri);
    diagnosticCache.forget(e.document.uri);
    engine.forget(e.document.uri);
    dependencyTexts.delete(e.document.uri);
    relatedTexts.forget(e.document.uri);
    settings.forget(e.document.uri);
    if (nameHint(URI.parse(e.document.uri).path) === 'config') configFileLayers.delete(e.document.uri);
    if (!pull) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    containers?.closed(e.document.uri);
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    await settings.for(doc.uri);
    // retriggerRequest: true. `false` tells VS Code the document needs no new pull, and a pull
    // cancelled by a diagnostic refresh then never came back (the first file of a window stayed
    // without squiggles until its first edit).
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled', { retriggerRequest: true });
    return { kind: DocumentDiagnosticReportKind.Full, items: await diagnosticsFor(doc) };
  });

  connection.onDidChangeConfiguration((change) => {
    settings.changed(change.settings);
    refreshAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    containers?.filesChanged(params.changes);
    const files = params.changes.map((c) => URI.parse(c.uri)).filter((u) => u.scheme === 'file');
    const config = params.changes.some((c) => nameHint(URI.parse(c.uri).path) === 'config');
    // a file some analysis read from the disk changed: its facts may have too
    const read = disk.drop(files.map((u) => u.fsPath));
    if (!config && !read) return;
    if (config) {
      configFileLayers.clear();
      configFileByDir.clear();
    }
    refreshAll();
  });

  connection.onCodeAction(async (params, token: CancellationToken) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || nameHint(URI.parse(doc.uri).path) === 'config' || ignoredByConfig(doc.uri)) return [];
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    // Fixes are built on demand, here: a request (a cursor move) with no Bulkhead diagnostic
    // in its context and no fix-all asked for needs no analysis at all.
    if (!(only && wants(FIX_ALL_KIND)) && !params.context.diagnostics.some((d) => d.source === 'bulkhead')) return [];
    await settings.for(doc.uri);
    if (token.isCancellationRequested) return cancelled();
    const result = await analyse(doc, true);
    if (token.isCancellationRequested) return cancelled();
    const actions = wants(CodeActionKind.QuickFix) ? codeActionsFor(doc, result, params.context.diagnostics, support) : [];
    if (only && wants(FIX_ALL_KIND)) {
      const { config } = await configFor(doc.uri);
      if (token.isCancellationRequested) return cancelled();
      const fixed = engine.fixAll(fixInputOf(doc), config, { skipFileFixes: true });
      const all = fixAllAction(doc, result, fixed, support);
      if (all) actions.push(all);
    }
    // Harden first: one edit for the whole container, above the long list of per-rule actions
    if (wants(HARDEN_KIND)) actions.unshift(...(await containers!.codeActions(doc, result, params.context.diagnostics)));
    return actions;
  });

  // Restricted Mode ends when the user trusts the workspace (VS Code sends this; see trust.ts).
  connection.onNotification('bulkhead/didGrantTrust', () => {
    trust.trusted = true;
    refreshAll();
  });
  const configOfUri = async (uri: string): Promise<Config> => (await configFor(uri)).config;
  registerStatus(connection, {
    documents,
    trust,
    settingsLayer: async (uri) => (await settings.for(uri)).layer,
    configFile: fileLayer,
    config: configOfUri,
    ignored: ignoredByConfig,
    diagnostics: diagnosticsFor,
  });
  const skip = (uri: string) => nameHint(URI.parse(uri).path) === 'config' || ignoredByConfig(uri);
  containers = containerFeatures(connection, {
    engine,
    rules,
    documents,
    support,
    docs,
    pull: () => pull,
    roots: () => roots.all(),
    isOpen: (uri) => documents.get(uri) !== undefined,
    skip,
    analyseDoc: analyse,
    configFor: configOfUri,
    lensEnabled: async (uri) => (await settings.for(uri)).codeLens,
    inputOf,
    async analyse(uri, text) {
      if (skip(uri)) return null;
      const config = await configOfUri(uri);
      const u = URI.parse(uri);
      return { result: engine.analyze({ text, path: u.fsPath, workspace: workspaceOf(u), budgetMs: 1500 }, config), config };
    },
    async analyseOpen(uri) {
      const doc = documents.get(uri);
      return doc && !skip(uri) ? { result: await analyse(doc), config: await configOfUri(uri) } : null;
    },
    configIgnores(dir) {
      const { key, layer } = fileLayer(URI.file(path.join(dir, 'Dockerfile')).toString());
      return key ? { base: path.dirname(URI.parse(key).fsPath), patterns: layer?.ignore ?? [] } : null;
    },
  });

  registerHover(connection, { documents, analyse, docs, ignored: ignoredByConfig });

  documents.listen(connection);
  connection.listen();
}
