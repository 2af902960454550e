// Runs inside VS Code's extension host (loaded by @vscode/test-electron): the scenarios through the
// `vscode` API. No test framework: each scenario runs in turn and any failure rejects run().
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { SCENARIOS, type Scenario } from './scenarios';

const TIMEOUT_MS = 30_000;

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Resolves with the file's diagnostics once `pred` holds, waiting on onDidChangeDiagnostics. */
function waitForDiagnostics(uri: vscode.Uri, what: string, pred: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error, d?: readonly vscode.Diagnostic[]) => {
      if (done) return;
      done = true;
      sub.dispose();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(d ?? []);
    };
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (pred(d)) finish(undefined, d);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => finish(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what} in ${uri.fsPath}`)), TIMEOUT_MS);
    check();
  });
}

async function runScenario(root: vscode.Uri, s: Scenario, note: (text: string) => void): Promise<void> {
  const uri = vscode.Uri.joinPath(root, s.file);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, s.languageId, 'language id');

  if (s.rule) {
    const mine = (x: vscode.Diagnostic) => codeOf(x) === s.rule && (!s.message || x.message.startsWith(s.message));
    const what = `a ${s.rule} diagnostic${s.message ? ` starting '${s.message}'` : ''}`;
    const diags = await waitForDiagnostics(uri, what, (d) => d.some(mine));
    const diag = diags.find(mine)!;
    if (s.forbiddenText) for (const d of diags) assert.ok(!d.message.includes(s.forbiddenText), 'a secret is shown in a diagnostic');

    if (s.fixTitle) {
      // Asked again (a few times, 300 ms apart) when the answer lacks the fix: an empty answer right
      // after the diagnostic arrived was seen once in ~20 runs; `note` reports it so it stays visible.
      let actions: vscode.CodeAction[] = [];
      let tries = 0;
      while (tries++ < 5) {
        actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
        if (actions.some((a) => a.title === s.fixTitle)) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      if (tries > 1) note(`the code actions came on try ${tries} (earlier answers: none with '${s.fixTitle}')`);
      const action = actions.find((a) => a.title === s.fixTitle);
      assert.ok(action, `a code action '${s.fixTitle}' among: ${actions.map((a) => a.title).join(' | ') || '(none)'}; diagnostics: ${diags.map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ')}`);
      if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'applyEdit');
      if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      assert.ok(await doc.save(), 'save');
      const text = fs.readFileSync(uri.fsPath, 'utf8');
      if (s.expectedOnDisk) assert.match(text, s.expectedOnDisk);
      if (s.clears) await waitForDiagnostics(uri, `${what} to clear`, (d) => !d.some(mine));
    }
  }

  if (s.serverAliveAfter) {
    const probe = vscode.Uri.joinPath(root, s.serverAliveAfter);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(probe));
    await waitForDiagnostics(probe, 'any diagnostic (is the server still up?)', (d) => d.length > 0);
  }
}

/**
 * Runs every scenario; `say` gets one line per scenario ("  ok    name", "  FAIL  name — why",
 * "  skip  name — why"), "  note  name — text" lines for retries, and the closing
 * "N passed, N failed". Rejects when any scenario failed.
 * test/e2e's code-server runner calls this directly to collect the lines.
 */
export async function runScenarios(say: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? (process.env.BULKHEAD_TEST_WORKSPACE ? vscode.Uri.file(process.env.BULKHEAD_TEST_WORKSPACE) : undefined);
  if (!folder) throw new Error('no workspace folder open');
  const failures: string[] = [];
  let passed = 0;
  for (const s of SCENARIOS) {
    if (s.skip) {
      say(`  skip  ${s.name} — ${s.skip}`);
      continue;
    }
    try {
      await runScenario(folder, s, (text) => say(`  note  ${s.name} — ${text}`));
      passed++;
      say(`  ok    ${s.name}`);
    } catch (e) {
      const why = String((e as Error)?.message ?? e).split('\n')[0];
      failures.push(`${s.name}: ${why}`);
      say(`  FAIL  ${s.name} — ${why}`);
    }
  }
  say(`${passed} passed, ${failures.length} failed`);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  if (failures.length) throw new Error(failures.join('\n'));
}

/** The entry point @vscode/test-electron loads (extensionTestsPath). */
export async function run(): Promise<void> {
  await runScenarios();
}
