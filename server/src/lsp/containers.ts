/**
 * The per-container features, registered by index.ts with a few lines: CodeLens (lens.ts),
 * "Harden <container>" (harden.ts), "Scan workspace" and the workspace summary (scan.ts).
 */
import {
  CodeLensRefreshRequest,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type ClientCapabilities,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Config } from '../core/config';
import type { AnalysisResult, AnalyzeInput, Engine } from '../core/engine';
import type { ClientEditSupport } from './actions';
import { HARDEN_KIND, HARDEN_REPORT_COMMAND, HardenReports, hardenActions } from './harden';
import { codeLenses } from './lens';
import { SCAN_COMMAND, SUMMARY_COMMAND, WorkspaceScan, type ScanHost } from './scan';

export { HARDEN_KIND };

export interface ContainerHost extends Omit<ScanHost, 'connection' | 'canWatch'> {
  engine: Engine;
  documents: TextDocuments<TextDocument>;
  /** The document's analysis (cached) and the configuration it ran with. */
  analyseDoc(doc: TextDocument): Promise<AnalysisResult>;
  configFor(uri: string): Promise<Config>;
  lensEnabled(uri: string): Promise<boolean>;
  inputOf(doc: TextDocument): AnalyzeInput;
  /** Documents without lenses or actions (config files, ignored files). */
  skip(uri: string): boolean;
  support: ClientEditSupport;
}

export function containerFeatures(connection: Connection, host: ContainerHost) {
  let lensRefresh = false;
  let workDone = false;
  let watch = false;
  const scan = new WorkspaceScan({ ...host, connection, canWatch: () => watch });
  const reports = new HardenReports((message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }));

  connection.onCodeLens(async (params, token) => {
    const doc = host.documents.get(params.textDocument.uri);
    if (!doc || host.skip(doc.uri) || !(await host.lensEnabled(doc.uri))) return [];
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
    const result = await host.analyseDoc(doc);
    return codeLenses(doc, result, host.rules, await host.configFor(doc.uri));
  });

  connection.onExecuteCommand(async (params, token, attached) => {
    // the Harden actions no longer carry it (HardenReports shows their message); kept for clients that call it
    if (params.command === HARDEN_REPORT_COMMAND) {
      const text = params.arguments?.[0];
      if (typeof text === 'string') void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: text });
      return null;
    }
    if (params.command === SCAN_COMMAND) {
      // the client's progress (a workDoneToken) or, when it has none, one the server creates
      // (the library takes workDoneToken out of params; a reporter it attached for one keeps it)
      const fromClient = (attached as unknown as { _token?: unknown })._token !== undefined;
      const progress = fromClient ? attached : workDone ? await connection.window.createWorkDoneProgress() : undefined;
      return scan.scan(token, progress);
    }
    if (params.command === SUMMARY_COMMAND) return scan.summary();
    return null;
  });

  connection.languages.diagnostics.onWorkspace((params, token) => scan.workspaceReport(params, token));

  return {
    initialize(caps: ClientCapabilities) {
      lensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
      workDone = caps.window?.workDoneProgress === true;
      watch = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      return {
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [SCAN_COMMAND, SUMMARY_COMMAND, HARDEN_REPORT_COMMAND] },
      };
    },
    /** Harden actions for the diagnostics of a code action request. */
    async codeActions(doc: TextDocument, result: AnalysisResult, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
      if (!diagnostics.some((d) => d.source === 'bulkhead')) return [];
      const config = await host.configFor(doc.uri);
      return hardenActions(doc, result, diagnostics, host.support, { engine: host.engine, input: host.inputOf(doc), config }, reports);
    },
    /** A document changed: a Harden action applied to it shows its follow-up message. */
    changed(doc: TextDocument) {
      reports.changed(doc);
    },
    closed(uri: string) {
      scan.documentClosed(uri);
      reports.closed(uri);
    },
    filesChanged(changes: FileEvent[]) {
      scan.filesChanged(changes);
    },
    /** Settings or configuration files changed: lenses and scanned files again. */
    refresh() {
      if (lensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      scan.refresh();
    },
  };
}
