/**
 * Client side of the per-container features (the server does the work): the lens click
 * (the container's findings in a references peek), "Bulkhead: Scan workspace" (a notification
 * with progress and cancel), and the Containers view (containers by hardening score, worst first).
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';

interface LspPosition {
  line: number;
  character: number;
}
interface LspRange {
  start: LspPosition;
  end: LspPosition;
}
interface SummaryRow {
  uri: string;
  path: string;
  name: string;
  platform: string;
  passed: number;
  total: number;
  failing: string[];
  range: LspRange;
}
interface ScanOutcome {
  files: number;
  findings: number;
  containers: number;
  cancelled: boolean;
}

const toPosition = (p: LspPosition) => new vscode.Position(p.line, p.character);
const toRange = (r: LspRange) => new vscode.Range(toPosition(r.start), toPosition(r.end));

class ContainersView implements vscode.TreeDataProvider<SummaryRow> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: SummaryRow): Promise<SummaryRow[]> {
    const c = this.client();
    if (element || !c?.isRunning()) return [];
    const summary = (await c.sendRequest(ExecuteCommandRequest.type, { command: 'bulkhead.server.workspaceSummary', arguments: [] })) as { containers: SummaryRow[] } | null;
    return summary?.containers ?? [];
  }

  getTreeItem(row: SummaryRow): vscode.TreeItem {
    const item = new vscode.TreeItem(`${row.name} ${row.passed}/${row.total}`);
    item.description = row.path;
    item.tooltip = row.failing.length ? `${row.path}: ${row.name} — missing: ${row.failing.join(', ')}` : `${row.path}: ${row.name} — every check passes`;
    const ratio = row.total ? row.passed / row.total : 1;
    item.iconPath = new vscode.ThemeIcon(ratio === 1 ? 'pass' : ratio < 0.5 ? 'error' : 'warning');
    item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(row.uri), { selection: toRange(row.range) }] };
    return item;
  }
}

export function registerContainerCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const view = new ContainersView(client);
  let listening = false;
  const listen = () => {
    const c = client();
    if (listening || !c) return;
    listening = true;
    context.subscriptions.push(c.onNotification('bulkhead/summaryChanged', () => view.refresh()));
  };

  const scan = () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Bulkhead: scanning the workspace', cancellable: true }, async (progress, token) => {
      const c = client();
      if (!c) return undefined;
      listen();
      const workDoneToken = `bulkhead-scan-${Date.now()}`;
      let last = 0;
      const sub = c.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
        if (p.kind === 'end') return;
        const pct = p.percentage ?? last;
        progress.report({ message: p.message, increment: pct - last });
        last = pct;
      });
      try {
        const outcome = (await c.sendRequest(ExecuteCommandRequest.type, { command: 'bulkhead.server.scanWorkspace', arguments: [], workDoneToken }, token)) as ScanOutcome;
        view.refresh();
        return outcome;
      } finally {
        sub.dispose();
      }
    });

  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('bulkhead.containers', view),
    vscode.commands.registerCommand('bulkhead.showContainerFindings', (uri: string, position: LspPosition, locations: { uri: string; range: LspRange }[]) =>
      vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        toPosition(position),
        locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range))),
      ),
    ),
    vscode.commands.registerCommand('bulkhead.scanWorkspace', async () => {
      const outcome = await scan();
      if (outcome) {
        void vscode.window.showInformationMessage(
          `Bulkhead ${outcome.cancelled ? 'stopped the scan' : 'scanned the workspace'}: ${outcome.findings} findings in ${outcome.files} files, ${outcome.containers} containers.`,
        );
      }
      return outcome;
    }),
    vscode.commands.registerCommand('bulkhead.showWorkspaceSummary', async () => {
      listen();
      const c = client();
      const summary = c?.isRunning() ? ((await c.sendRequest(ExecuteCommandRequest.type, { command: 'bulkhead.server.workspaceSummary', arguments: [] })) as { scanned: boolean } | null) : null;
      if (summary && !summary.scanned) await scan();
      view.refresh();
      await vscode.commands.executeCommand('bulkhead.containers.focus');
    }),
    vscode.commands.registerCommand('bulkhead.refreshContainers', () => view.refresh()),
  );
}
