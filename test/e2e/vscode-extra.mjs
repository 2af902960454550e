// More VS Code (code-server) checks, kept apart from vscode.mjs's main loop:
// - runEditorExtras(s): in the main session, the language status item (findings, preset, an
//   invalid .bulkhead.yaml, the link to the log) and "Bulkhead: Show Rule Documentation" (the
//   bundled page rendered by the Markdown preview, not an editable file).
// - runRestrictedMode(...): a second code-server started WITHOUT --disable-workspace-trust and
//   with workspace trust on: the extension runs in Restricted Mode, a workspace .bulkhead.yaml and
//   workspace settings cannot switch a rule off, and trusting the workspace applies them.
import { copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, RESULTS, StepError, log, sandbox, waitUntil } from './lib.mjs';
import { launchBrowser, startCodeServer } from './vscode.mjs';
import { STATUS_FILES, RESTRICTED } from './scenarios.mjs';

const EDITOR = 'vscode';
const SQUIGGLE = '.squiggly-error, .squiggly-warning, .squiggly-info';

/** Hovers the status bar's language status entry (`{}`) and returns the hover's text. */
async function languageStatusText(page, expect) {
  const entry = page.locator('[id="status.languageStatus"]').first();
  await entry.waitFor({ state: 'visible', timeout: 10_000 });
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect }).first();
  await waitUntil(`the language status hover to show '${expect}'`, async () => {
    const box = await entry.boundingBox();
    if (!box) return false;
    await page.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    return hover.isVisible();
  }, { timeoutMs: 15_000, intervalMs: 800 });
  return { hover, text: await hover.innerText() };
}

async function step(s, results, name, fn) {
  const t = Date.now();
  try {
    await fn();
    results.pass(`${EDITOR}: ${name}`, Date.now() - t);
  } catch (e) {
    const shot = await s.shot(`vscode-FAIL-${name.replace(/[^A-Za-z0-9]+/g, '-')}.png`);
    results.fail(`${EDITOR}: ${name}`, e instanceof StepError ? e : new StepError(EDITOR, name, e.message.split('\n')[0], shot), Date.now() - t);
    await s.page.mouse.move(5, 5).catch(() => {});
    await s.page.keyboard.press('Escape').catch(() => {});
  }
}

/** Runs in the main session (a Session of vscode.mjs) after its scenarios. */
export async function runEditorExtras(s, results) {
  const { page } = s;

  await step(s, results, 'language status: findings, preset, no .bulkhead.yaml, link to the log', async () => {
    await s.runCommand('View: Close All Editors');
    const editor = await s.openFile(STATUS_FILES.plain.file);
    await editor.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 20_000 });
    const { hover, text } = await languageStatusText(page, STATUS_FILES.plain.findings);
    for (const want of [STATUS_FILES.plain.findings, 'preset recommended', 'No .bulkhead.yaml']) {
      if (!text.includes(want)) throw new Error(`the status hover lacks '${want}': ${JSON.stringify(text)}`);
    }
    await s.shot('vscode-status.png');
    // Its "Show Log" link opens the Bulkhead output with the start-up log.
    await hover.locator('a', { hasText: 'Show Log' }).first().click();
    const output = page.locator('[id="workbench.panel.output"], .output-view, [id="workbench.parts.panel"]').locator('.view-lines').first();
    await waitUntil('the Bulkhead log with its start-up line', async () => /Bulkhead \d+\.\d+\.\d+ \(Node v[\d.]+\): \d+ rules; trusted workspace/.test((await output.innerText().catch(() => '')).replace(/\u00a0/g, ' ')), { timeoutMs: 15_000 });
    await page.keyboard.press('Control+J');
  });

  await step(s, results, 'hover: the message, the rule, and its page shipped with the extension (offline)', async () => {
    await s.runCommand('View: Close All Editors');
    const editor = await s.openFile(STATUS_FILES.plain.file);
    const squiggle = editor.locator(SQUIGGLE).first();
    await squiggle.waitFor({ state: 'visible', timeout: 20_000 });
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: STATUS_FILES.plain.message }).first();
    await waitUntil('a hover on the finding', async () => {
      const box = await squiggle.boundingBox();
      if (!box) return false;
      await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      return hover.isVisible();
    }, { timeoutMs: 15_000, intervalMs: 700 });
    const text = await hover.innerText();
    for (const want of STATUS_FILES.plain.hover) if (!text.includes(want)) throw new Error(`the hover lacks '${want}': ${JSON.stringify(text)}`);
    // the rule's link (codeDescription) is the page inside the installed extension, not a web page
    const hrefs = await hover.locator('a').evaluateAll((els) => els.map((e) => e.getAttribute('data-href') ?? e.getAttribute('href') ?? ''));
    const link = hrefs.find((h) => h.includes('no-root-user'));
    if (!link || !/^file:|^vscode-remote:/.test(link) || !link.endsWith('/docs/rules/no-root-user.md')) throw new Error(`the rule link is not the bundled page: ${JSON.stringify(hrefs)}`);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step(s, results, 'language status: an invalid .bulkhead.yaml', async () => {
    await s.runCommand('View: Close All Editors');
    const editor = await s.openFile(STATUS_FILES.invalid.file);
    await editor.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 20_000 });
    const { text } = await languageStatusText(page, 'Invalid .bulkhead.yaml');
    if (!text.includes(STATUS_FILES.invalid.problem)) throw new Error(`the status hover lacks '${STATUS_FILES.invalid.problem}': ${JSON.stringify(text)}`);
    await page.mouse.move(5, 5);
  });

  await step(s, results, 'Show Rule Documentation: the bundled page in the Markdown preview', async () => {
    await s.runCommand('View: Close All Editors');
    await s.runCommand('Bulkhead: Show Rule Documentation');
    const input = page.locator('.quick-input-widget input');
    await input.fill('no-root-user');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'no-root-user' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'Preview no-root-user.md' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    // rendered: the page's heading and first sentence inside the preview's webview, no text editor on the .md file
    const body = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('body');
    await waitUntil('the rendered page in the preview', async () => /The container runs as root/.test(await body.innerText({ timeout: 2_000 }).catch(() => '')), { timeoutMs: 15_000, intervalMs: 500 });
    if (await page.locator('.monaco-editor[data-uri$="no-root-user.md"]').count()) throw new Error('the page was opened as an editable file');
    await s.shot('vscode-docs.png');
  });
}

const TRUST_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 150,
  'window.restoreWindows': 'none',
};

/** A code-server with workspace trust on (no --disable-workspace-trust): the folder opens in Restricted Mode. */
export async function runRestrictedMode({ tools, vsix, results }) {
  const name = `${EDITOR}: Restricted Mode: the extension runs, a workspace .bulkhead.yaml and settings cannot switch a rule off; trusting applies them`;
  const t0 = Date.now();
  const sb = sandbox('vscode-restricted');
  let server;
  let browser;
  let page;
  try {
    const ws = join(sb.dir, 'untrusted-repo');
    mkdirSync(join(ws, '.vscode'), { recursive: true });
    writeFileSync(join(ws, 'Dockerfile'), RESTRICTED.dockerfile);
    writeFileSync(join(ws, '.bulkhead.yaml'), RESTRICTED.config);
    writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify(RESTRICTED.workspaceSettings, null, 2));
    server = await startCodeServer({ node24: tools.BULKHEAD_E2E_NODE24, entry: tools.BULKHEAD_E2E_CODE_SERVER, vsixes: [vsix], sb, settings: TRUST_SETTINGS, trust: true, name: 'vscode-restricted' });
    const { url } = server;
    browser = await launchBrowser(tools.BULKHEAD_E2E_CHROMIUM, sb.env);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    log('vscode: restricted: workbench in Restricted Mode');

    const editor = page.locator('.monaco-editor[data-uri$="/untrusted-repo/Dockerfile"]').first();
    // The first diagnostics pull of a fresh window can be lost (the first-start stall the lead is
    // fixing in vscode.mjs): when no squiggle comes, close and reopen the file, visibly, up to 3 times.
    const command = async (label) => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill(`>${label}`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().click();
    };
    for (let attempt = 1; ; attempt++) {
      let why = '';
      try {
        // the explorer row (Quick Open's file search can still be indexing in a fresh window); a
        // double click opens the file even when its row is already selected
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first().dblclick({ timeout: 30_000 });
        await editor.waitFor({ state: 'attached', timeout: 30_000 });
        await editor.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 30_000 });
        break;
      } catch (e) {
        why = e.message.split('\n')[0];
      }
      if (attempt >= 3) throw new Error(`no squiggle in Restricted Mode after ${attempt} tries (the extension did not run, or the workspace switched the rule off): ${why}`);
      log(`vscode: restricted: no squiggle on try ${attempt} (${why}); closing and reopening the Dockerfile`);
      await page.keyboard.press('Escape').catch(() => {});
      await command('View: Close All Editors').catch(() => {});
      await editor.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    }
    const s = { page, shot: async (n) => { const p = join(RESULTS, n); await page.screenshot({ path: p }).catch(() => {}); return p; } };
    const { text } = await languageStatusText(page, 'Restricted Mode');
    for (const want of RESTRICTED.statusMentions) if (!text.includes(want)) throw new Error(`the status hover lacks '${want}': ${JSON.stringify(text)}`);
    await s.shot('vscode-restricted.png');
    await page.mouse.move(5, 5);

    // Trust the folder: the workspace settings and the whole .bulkhead.yaml now apply, the finding goes.
    await command('Workspaces: Manage Workspace Trust');
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first().click({ timeout: 15_000 });
    await waitUntil('the squiggle to go once trusted', async () => (await editor.locator(SQUIGGLE).count()) === 0, { timeoutMs: 20_000 }).catch(async () => {
      throw new StepError(EDITOR, 'restricted: trust', 'the finding stayed after trusting the workspace', await s.shot('vscode-FAIL-restricted-trust.png'));
    });
    results.pass(name, Date.now() - t0);
  } catch (e) {
    let shot;
    if (page) {
      shot = join(RESULTS, 'vscode-FAIL-restricted.png');
      await page.screenshot({ path: shot }).catch(() => {});
    }
    results.fail(name, e instanceof StepError ? e : new StepError(EDITOR, 'restricted', e.message.split('\n')[0], shot), Date.now() - t0);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    try {
      if (server) cpSync(join(server.userDir, 'logs'), join(RESULTS, 'vscode-restricted-logs'), { recursive: true });
    } catch {
      /* no logs */
    }
    sb.remove();
  }
}

/** The success screenshots of these checks, for docs/images (run.mjs --update-docs-images). */
export function copyExtraScreenshots() {
  for (const f of ['vscode-status.png', 'vscode-docs.png', 'vscode-restricted.png', 'vscode-kubernetes.png']) {
    if (existsSync(join(RESULTS, f))) copyFileSync(join(RESULTS, f), join(ROOT, 'docs', 'images', f));
  }
}
