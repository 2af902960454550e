/**
 * What the editor's status item shows for one document (custom request `bulkhead/status`),
 * and the log lines written when the server starts. Nothing here analyses: it asks the
 * server's own caches (the same findings the diagnostics show, the same config the analysis
 * uses).
 */
import { URI } from 'vscode-uri';
import { RequestType, type Connection, type Diagnostic, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfigFile, type Config, type ConfigLayer, type ConfigProblem } from '../core/config';
import { nameHint } from '../core/classify';
import { findConfigFile, loadConfigFile } from '../node/config';
import { rules } from '../rules';
import { VERSION } from '../version';
import { restrictLayer, type TrustState } from './trust';
import type { StatusParams, StatusResult } from '../protocol';

export type { StatusParams, StatusResult };

export const StatusRequest = new RequestType<StatusParams, StatusResult, void>('bulkhead/status');

/** Whether a rule is on only in the strict preset. */
export const strictOnly = (id: string): boolean => rules.some((r) => r.meta.id === id && r.meta.strict === true);

export interface StatusDeps {
  documents: TextDocuments<TextDocument>;
  trust: TrustState;
  /** The editor settings' layer for a document. */
  settingsLayer(uri: string): Promise<ConfigLayer>;
  /** The .bulkhead.yaml for a document (`key` is its URI, '' when none) and its parsed layer. */
  configFile(uri: string): { key: string; layer: ConfigLayer | undefined };
  /** The config the analysis of this document uses. */
  config(uri: string): Promise<Config>;
  ignored(uri: string): boolean;
  diagnostics(doc: TextDocument): Promise<Diagnostic[]>;
}

const MAX_PROBLEMS = 5;

/** A config file's problems: from its open copy, else from the disk. */
function problemsOf(documents: TextDocuments<TextDocument>, key: string): ConfigProblem[] {
  const open = documents.get(key);
  if (open) return parseConfigFile(open.getText()).problems;
  try {
    return loadConfigFile(URI.parse(key).fsPath).problems;
  } catch {
    return [{ message: 'The configuration file cannot be read' }];
  }
}

export function registerStatus(connection: Connection, deps: StatusDeps): void {
  connection.onRequest(StatusRequest, async ({ uri }): Promise<StatusResult> => {
    const doc = deps.documents.get(uri);
    const isConfig = nameHint(URI.parse(uri).path) === 'config';
    const { key, layer } = isConfig ? { key: uri, layer: undefined } : deps.configFile(uri);
    const problems = key ? problemsOf(deps.documents, key) : [];
    const settings = await deps.settingsLayer(uri);
    const config = await deps.config(uri);
    const findings = { error: 0, warning: 0, info: 0 };
    let state: StatusResult['state'] = 'analysed';
    if (!doc) state = 'closed';
    else if (isConfig) state = 'config';
    else if (deps.ignored(uri)) state = 'ignored';
    else {
      for (const d of await deps.diagnostics(doc)) {
        if (d.severity === 1) findings.error++;
        else if (d.severity === 2) findings.warning++;
        else findings.info++;
      }
    }
    return {
      version: VERSION,
      state,
      findings,
      preset: config.preset,
      configFile: key ? URI.parse(key).fsPath : null,
      configProblems: problems.slice(0, MAX_PROBLEMS).map((p) => p.message),
      configProblemCount: problems.length,
      trusted: deps.trust.trusted,
      ignoredByTrust: !deps.trust.trusted && layer ? restrictLayer(layer, settings, strictOnly).ignored : [],
      rules: rules.length,
    };
  });
}

/** The start-up log: version, rule count, trust, and per workspace folder the config file in use. */
export function logStartup(connection: Connection, folderUris: string[], trust: TrustState): void {
  const lines = [`Bulkhead ${VERSION} (Node ${process.version}): ${rules.length} rules; ${trust.trusted ? 'trusted workspace' : 'Restricted Mode: a .bulkhead.yaml may only make the analysis stricter'}`];
  for (const u of folderUris) {
    const folder = URI.parse(u);
    if (folder.scheme !== 'file') continue;
    const file = findConfigFile(folder.fsPath);
    if (!file) {
      lines.push(`${folder.fsPath}: no .bulkhead.yaml (the editor settings apply; a .bulkhead.yaml in a subfolder applies to the files below it)`);
      continue;
    }
    let note = '';
    try {
      const loaded = loadConfigFile(file);
      if (loaded.problems.length) note = ` — invalid: ${loaded.problems.length} problem(s), first: ${loaded.problems[0].message}`;
      if (!trust.trusted) {
        const ignored = restrictLayer(loaded.layer, {}, strictOnly).ignored;
        if (ignored.length) note += ` — Restricted Mode ignores: ${ignored.join(', ')}`;
      }
    } catch {
      note = ' — cannot be read';
    }
    lines.push(`${folder.fsPath}: config ${file}${note}`);
  }
  for (const l of lines) connection.console.info(l);
}
