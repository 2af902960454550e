import * as path from 'node:path';
import * as fs from 'node:fs';
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
import { nameHint } from '../core/classify';
import type { AnalysisResult, AnalyzeInput, WorkspaceView } from '../core/engine';
import { docsUrl } from '../core/rule';
import { TextIndex } from '../core/text';
import type { Finding } from '../core/types';
import { engine, rules } from '../rules';
import { findConfigFile, loadConfigFile } from '../node/config';
import { readWorkspaceFile } from '../node/files';
import { SettingsStore } from './settings';
import { WorkspaceRoots, workspaceView } from './roots';
import { codeActionsFor, fixAllAction, FIX_ALL_KIND, type ClientEditSupport } from './actions';
import { ClientPositions, toDiagnostic } from './convert';
import { warmUp } from './warmup';
import { containerFeatures, HARDEN_KIND } from './containers';

interface Cached {
  version: number;
  configKey: string;
  result: AnalysisResult;
}

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

/** Documentation for a rule: the page shipped beside the server, else the web page. */
function docsResolver(): (rule: string) => string {
  const local = path.resolve(__dirname, '..', 'docs', 'rules');
  const hasLocal = fs.existsSync(local);
  return (rule) => {
    const file = path.join(local, `${rule}.md`);
    return hasLocal && fs.existsSync(file) ? URI.file(file).toString() : docsUrl(rule);
  };
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, Cached>();
  const settings = new SettingsStore(connection);
  const roots = new WorkspaceRoots();
  const configFileLayers = new Map<string, ConfigLayer>();
  const docs = docsResolver();
  let pull = false;
  let containers: ReturnType<typeof containerFeatures> | undefined = undefined;
  let shuttingDown = false;
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
    roots.set(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    folderChanges = caps.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        ...(folderChanges ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, HARDEN_KIND] },
        ...(pull ? { diagnosticProvider: { identifier: 'bulkhead', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        ...containers?.initialize(caps),
      },
      serverInfo: { name: 'bulkhead' },
    };
  });

  connection.onInitialized(() => {
    void warmUp(engine, 200, () => shuttingDown);
    if (folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        roots.change(e.added.map((f) => f.uri), e.removed.map((f) => f.uri));
        refreshAll();
      });
    }
    if (!watchRegistration) return;
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.bulkhead.{yaml,yml}' }] }).catch(() => undefined);
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
    if (!key || !layer?.ignore?.length) return false;
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
      if (open) layer = parseConfigFile(open.getText()).layer;
      else {
        // a regular file inside its own project only (never a FIFO, a device, a link out)
        try {
          layer = loadConfigFile(file).layer;
        } catch {
          layer = {};
        }
      }
      configFileLayers.set(fileUri, layer);
    }
    return { key: fileUri, layer };
  }

  /** Files next to a document, inside its workspace folder: an open copy wins over the disk. */
  function workspaceOf(uri: URI): WorkspaceView | undefined {
    if (uri.scheme !== 'file') return undefined;
    return workspaceView(uri, roots.rootOf(uri.fsPath), (u) => documents.get(u)?.getText());
  }

  function inputOf(doc: TextDocument): AnalyzeInput {
    const u = URI.parse(doc.uri);
    return { text: doc.getText(), path: u.scheme === 'file' ? u.fsPath : u.path, languageId: doc.languageId, workspace: workspaceOf(u) };
  }

  /**
   * A Dockerfile, a kustomization, or a manifest holding a ServiceAccount or LimitRange (read by
   * the manifests of a kustomization that lists it) feeds facts into YAML files: re-check those
   * when it changes.
   */
  /** The text each such file had when YAML files last could have read it. */
  const dependencyTexts = new Map<string, string>();
  const RELATED_OBJECT = /\bkind["']?[ \t]*:[ \t]*["']?(?:ServiceAccount|LimitRange)\b/;

  function dependentsChanged(changed: TextDocument): void {
    const u = URI.parse(changed.uri);
    const hint = nameHint(u.path);
    const kustomization = /kustomization\.ya?ml$/i.test(u.path);
    const text = changed.getText();
    const related = (hint === 'yaml' || hint === 'json') && !kustomization && (RELATED_OBJECT.test(text) || dependencyTexts.has(changed.uri));
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
    for (const d of dependents) cache.delete(d.uri);
    if (pull) {
      if (dependents.length) refreshPulled();
    } else for (const d of dependents) void publish(d);
  }

  async function analyse(doc: TextDocument): Promise<AnalysisResult> {
    const s = await settings.for(doc.uri);
    const { key, layer } = fileLayer(doc.uri);
    const config: Config = mergeConfig(s.layer, layer);
    const configKey = `${key}\0${JSON.stringify(config)}`;
    const hit = cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.configKey === configKey) return hit.result;
    const result = engine.analyze({ ...inputOf(doc), budgetMs: 1500 }, config); // never a frozen editor: see file-too-large.md
    cache.set(doc.uri, { version: doc.version, configKey, result });
    return result;
  }

  function configDiagnostics(doc: TextDocument): Diagnostic[] {
    const { problems } = parseConfigFile(doc.getText());
    const index = new TextIndex(doc.getText());
    return problems.map((p) => ({
      range: index.rangeOf(p.span ?? { start: 0, end: 0 }),
      severity: 1,
      code: 'invalid-config',
      codeDescription: { href: docs('invalid-config') },
      source: 'bulkhead',
      message: p.message,
    }));
  }

  async function diagnosticsFor(doc: TextDocument): Promise<Diagnostic[]> {
    if (nameHint(URI.parse(doc.uri).path) === 'config') return configDiagnostics(doc);
    if (ignoredByConfig(doc.uri)) return [];
    const result = await analyse(doc);
    const pos = new ClientPositions(result, doc.getText());
    return result.findings.map((f: Finding) => toDiagnostic(f, pos, docs));
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
      if (pull) refreshPulled();
      else for (const d of documents.all()) if (d.uri !== e.document.uri) void publish(d);
      return;
    }
    dependentsChanged(e.document);
    if (pull) return;
    const s = await settings.for(e.document.uri);
    if (s.run === 'onType' || e.document.version === 1 || !cache.has(e.document.uri)) void publish(e.document);
  });
  documents.onDidSave((e) => {
    void settings.for(e.document.uri).then((s) => {
      if (s.run === 'onSave' && !pull) void publish(e.document);
    });
  });
  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    dependencyTexts.delete(e.document.uri);
    settings.forget(e.document.uri);
    if (nameHint(URI.parse(e.document.uri).path) === 'config') configFileLayers.delete(e.document.uri);
    if (!pull) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    containers?.closed(e.document.uri);
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    await settings.for(doc.uri);
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled', { retriggerRequest: false });
    return { kind: DocumentDiagnosticReportKind.Full, items: await diagnosticsFor(doc) };
  });

  connection.onDidChangeConfiguration((change) => {
    settings.changed(change.settings);
    refreshAll();
  });

  connection.onDidChangeWatchedFiles((p) => {
    containers?.filesChanged(p.changes);
    if (!p.changes.some((c) => nameHint(URI.parse(c.uri).path) === 'config')) return;
    configFileLayers.clear();
    configFileByDir.clear();
    refreshAll();
  });

  connection.onCodeAction(async (params, token: CancellationToken) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || nameHint(URI.parse(doc.uri).path) === 'config' || ignoredByConfig(doc.uri)) return [];
    await settings.for(doc.uri);
    if (token.isCancellationRequested) return cancelled();
    const result = await analyse(doc);
    if (token.isCancellationRequested) return cancelled();
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions = wants(CodeActionKind.QuickFix) ? codeActionsFor(doc, result, params.context.diagnostics, support) : [];
    if (only && wants(FIX_ALL_KIND)) {
      const s = await settings.for(doc.uri);
      if (token.isCancellationRequested) return cancelled();
      const { layer } = fileLayer(doc.uri);
      const fixed = engine.fixAll(inputOf(doc), mergeConfig(s.layer, layer), { skipFileFixes: true });
      const all = fixAllAction(doc, result, fixed, support);
      if (all) actions.push(all);
    }
    if (wants(HARDEN_KIND)) actions.push(...(await containers!.codeActions(doc, result, params.context.diagnostics)));
    return actions;
  });

  async function configOf(uri: string): Promise<Config> {
    return mergeConfig((await settings.for(uri)).layer, fileLayer(uri).layer);
  }
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
    configFor: configOf,
    lensEnabled: async (uri) => (await settings.for(uri)).codeLens,
    inputOf,
    async analyse(uri, text) {
      if (skip(uri)) return null;
      const config = await configOf(uri);
      const u = URI.parse(uri);
      return { result: engine.analyze({ text, path: u.fsPath, workspace: workspaceOf(u), budgetMs: 1500 }, config), config };
    },
    async analyseOpen(uri) {
      const doc = documents.get(uri);
      return doc && !skip(uri) ? { result: await analyse(doc), config: await configOf(uri) } : null;
    },
    configIgnores(dir) {
      const { key, layer } = fileLayer(URI.file(path.join(dir, 'Dockerfile')).toString());
      return key ? { base: path.dirname(URI.parse(key).fsPath), patterns: layer?.ignore ?? [] } : null;
    },
  });

  connection.onShutdown(() => {
    shuttingDown = true;
  });

  documents.listen(connection);
  connection.listen();
}
