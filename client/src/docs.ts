/**
 * "Show documentation": the rule's page bundled in the extension (docs/rules/<id>.md),
 * rendered by VS Code's Markdown preview (read-only), never opened as an editable file.
 */
import * as vscode from 'vscode';

const RULE_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** The bundled rule pages, by id (from the package's docs/rules folder). */
async function ruleIds(context: vscode.ExtensionContext): Promise<string[]> {
  const dir = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
  const entries = await vscode.workspace.fs.readDirectory(dir).then(
    (e) => e,
    () => [] as [string, vscode.FileType][],
  );
  return entries.filter(([name]) => name.endsWith('.md')).map(([name]) => name.slice(0, -3)).sort();
}

export async function showDocumentation(context: vscode.ExtensionContext, arg?: unknown): Promise<void> {
  const ids = await ruleIds(context);
  let id = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
  if (id === undefined) {
    // From the command palette: pick a rule.
    id = await vscode.window.showQuickPick(ids, { placeHolder: 'Bulkhead rule to show the documentation of' });
    if (id === undefined) return;
  }
  if (!RULE_ID.test(id) || !ids.includes(id)) {
    void vscode.window.showWarningMessage(`Bulkhead has no documentation page for '${id.slice(0, 64)}'.`);
    return;
  }
  const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${id}.md`);
  await vscode.commands.executeCommand('markdown.showPreview', page);
}
