// VS Code scenario for the per-container features (issue 18): the CodeLens is visible above a
// Compose service, "Harden db" from Ctrl+. is applied and saved, and "Bulkhead: Scan Workspace"
// shows its notification and puts a file that is not open into the Problems panel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, waitUntil } from './lib.mjs';

/** Where the scenario's file goes in the workspace (a copy of examples/compose.yaml; see scenarios.mjs). */
export const HARDEN_FILE = 'harden/docker-compose.yml'; // a name Quick Open never gives for 'compose.yaml'
export const HARDEN_SHOTS = { lens: 'vscode-codelens.png', harden: 'vscode-harden.png', scan: 'vscode-scan.png' };
const DB_LINE = 25; // `  db:` in examples/compose.yaml

/** Runs the scenario on a Session of vscode.mjs; `ui` gives that file's Problems-panel helpers. */
export async function runHardenScenario(s, ui, MOD) {
  const { page } = s;
  const sc = { name: 'CodeLens, Harden db, Scan workspace', file: HARDEN_FILE };
  let editor;
  await s.doStep(sc, 'open file', async () => {
    await s.dismissNotifications();
    await ui.hidePanel(page);
    await s.runCommand('View: Close All Editors');
    editor = await s.openFile(HARDEN_FILE);
  });

  await s.doStep(sc, 'lens visible', async () => {
    const lens = editor.locator('.codelens-decoration', { hasText: '🛡' });
    await lens.first().waitFor({ state: 'visible', timeout: 20_000 });
    await waitUntil('three lenses (api, worker, db)', async () => (await lens.count()) === 3, { timeoutMs: 10_000 });
    const texts = await lens.allInnerTexts();
    if (!texts.some((t) => /^🛡 \d+\/\d+ · non-root [✓✗] · read-only [✓✗]/.test(t.trim()))) throw new Error(`unexpected lens text: ${JSON.stringify(texts)}`);
    await s.shot(HARDEN_SHOTS.lens);
  });

  const before = await editor.locator('.view-lines').innerText();
  await s.doStep(sc, 'Harden db from Ctrl+.', async () => {
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Harden db' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press(`${MOD}+G`);
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`:${DB_LINE}:4`); // Go to Line: the quick input keeps its ":" prefix
      await page.keyboard.press('Enter');
      await page.keyboard.press(`${MOD}+.`);
      const ok = await item.waitFor({ state: 'visible', timeout: attempt < 3 ? 5_000 : 10_000 }).then(() => true, () => false);
      if (ok) break;
      if (attempt >= 3) throw new Error(`no 'Harden db' in the Ctrl+. menu after ${attempt} tries`);
      log(`vscode: ${HARDEN_FILE}: Ctrl+. showed no Harden item (try ${attempt}); trying again`);
      await page.keyboard.press('Escape');
    }
    await item.hover();
    await s.shot(HARDEN_SHOTS.harden);
    await item.click();
  });

  await s.doStep(sc, 'Harden applied in editor', () =>
    waitUntil('the editor text to change', async () => (await editor.locator('.view-lines').innerText()) !== before, { timeoutMs: 10_000 }),
  );
  await s.doStep(sc, 'the follow-up message names what was left', () =>
    page.locator('.notification-toast', { hasText: 'Hardened db' }).first().waitFor({ state: 'visible', timeout: 10_000 }),
  );
  await s.doStep(sc, 'save (Ctrl+S) and check disk', async () => {
    await page.keyboard.press(`${MOD}+S`);
    const want = /\n {2}db:\n {4}image: postgres:16\n[\s\S]*\n {4}cap_drop:\n {6}- ALL\n[\s\S]*\n {4}read_only: true\n/;
    await waitUntil(`${HARDEN_FILE} on disk to have db hardened`, () => want.test(readFileSync(join(s.ws, HARDEN_FILE), 'utf8')), { timeoutMs: 10_000 });
  });

  await s.doStep(sc, 'Scan Workspace: notification and results', async () => {
    await s.runCommand('View: Close All Editors');
    await s.runCommand('Bulkhead: Scan Workspace');
    const toast = page.locator('.notification-toast', { hasText: /Bulkhead (scanning|scanned|stopped)/ }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    const done = page.locator('.notification-toast', { hasText: 'Bulkhead scanned the workspace' }).first();
    await done.waitFor({ state: 'visible', timeout: 30_000 });
    await ui.showProblems(page);
    // deployment.yaml is not open: its rows come from the scan (workspace/diagnostic)
    await waitUntil('Problems rows for deployment.yaml from the scan', async () => (await ui.problemsOf(page, 'deployment.yaml')).length > 0, { timeoutMs: 20_000 });
    await s.shot(HARDEN_SHOTS.scan);
    await ui.hidePanel(page);
  });
}
