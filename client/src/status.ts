/**
 * The language status items (the `{}` entry of the status bar, as vscode-eslint and Red Hat
 * YAML have): the file's findings and preset with a link to the log, and the .bulkhead.yaml in
 * use (an invalid one shown as an error, Restricted Mode's ignored keys as a warning). The
 * server answers `bulkhead/status` (server/src/lsp/status.ts); nothing is analysed here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
// a type only (erased from the bundle): the one declaration of the answer of `bulkhead/status`
import type { StatusResult } from '../../server/src/protocol';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The findings item's text: "2 findings (1 error, 1 warning)", "No findings", ... */
export function findingsText(s: StatusResult): string {
  if (s.state === 'config') return 'Bulkhead configuration';
  if (s.state === 'ignored') return 'Not analysed (ignore: in .bulkhead.yaml)';
  if (s.state === 'closed') return 'Bulkhead';
  const { error, warning, info } = s.findings;
  const total = error + warning + info;
  if (!total) return 'No findings';
  const parts = [error && plural(error, 'error'), warning && plural(warning, 'warning'), info && `${info} info`].filter(Boolean);
  return `${plural(total, 'finding')} (${parts.join(', ')})`;
}

export class BulkheadStatus implements vscode.Disposable {
  private readonly findings: vscode.LanguageStatusItem;
  private readonly config: vscode.LanguageStatusItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly selector: vscode.DocumentSelector,
  ) {
    this.findings = vscode.languages.createLanguageStatusItem('bulkhead.findings', selector);
    this.findings.name = 'Bulkhead findings';
    this.findings.text = 'Bulkhead';
    this.findings.command = { title: 'Show Log', command: 'bulkhead.showOutput' };
    this.config = vscode.languages.createLanguageStatusItem('bulkhead.config', selector);
    this.config.name = 'Bulkhead configuration';
    this.config.text = 'Bulkhead configuration';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('bulkhead')) this.refresh();
      }),
    );
  }

  /** Asks the server again (debounced: diagnostics of a file change on every keystroke). */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 150);
  }

  private async update(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client();
    if (!doc || !client?.isRunning() || !vscode.languages.match(this.selector, doc)) return;
    const generation = ++this.generation;
    let s: StatusResult;
    try {
      s = await client.sendRequest<StatusResult>('bulkhead/status', { uri: doc.uri.toString() });
    } catch {
      return; // the server is restarting; the next change asks again
    }
    if (generation !== this.generation) return;
    this.show(s);
  }

  private show(s: StatusResult): void {
    const { error, warning } = s.findings;
    this.findings.text = findingsText(s);
    this.findings.detail = `preset ${s.preset} · Bulkhead ${s.version}, ${s.rules} rules`;
    this.findings.severity = error ? vscode.LanguageStatusSeverity.Error : warning ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.findings.accessibilityInformation = { label: `Bulkhead: ${this.findings.text}, preset ${s.preset}` };

    const file = s.configFile ? vscode.Uri.file(s.configFile) : undefined;
    const name = file ? vscode.workspace.asRelativePath(file) : '';
    if (s.configProblemCount > 0) {
      this.config.text = `Invalid ${path.basename(s.configFile ?? '.bulkhead.yaml')}`;
      this.config.detail = `${s.configProblems[0]}${s.configProblemCount > 1 ? ` (+${s.configProblemCount - 1} more)` : ''}`;
      this.config.severity = vscode.LanguageStatusSeverity.Error;
    } else if (!s.trusted && s.ignoredByTrust.length) {
      this.config.text = `Restricted Mode: ${name}`;
      this.config.detail = `not applied until trusted: ${s.ignoredByTrust.join(', ')}`;
      this.config.severity = vscode.LanguageStatusSeverity.Warning;
    } else {
      this.config.text = file ? name : 'No .bulkhead.yaml';
      this.config.detail = file ? 'configuration in use' : 'editor settings apply';
      this.config.severity = vscode.LanguageStatusSeverity.Information;
    }
    if (!s.trusted && !s.ignoredByTrust.length) this.config.detail += ' · Restricted Mode';
    this.config.command = file ? { title: 'Open', command: 'vscode.open', arguments: [file] } : { title: 'Show Log', command: 'bulkhead.showOutput' };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.findings.dispose();
    this.config.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
