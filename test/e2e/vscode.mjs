// VS Code (code-server 4.139.1 = Code 1.139 in Chromium, driven by playwright-core) scenarios.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, statSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { ROOT, RESULTS, StepError, log, spawnGroup, stopGroup, run, freePort, sandbox, waitUntil, sleep, saveText } from './lib.mjs';
import { WORKSPACE_FILES, VSCODE_SCENARIOS } from './scenarios.mjs';

const EDITOR = 'vscode';
const isMac = false;
const MOD = isMac ? 'Meta' : 'Control';

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'workbench.editor.enablePreview': false,
};

/** Starts code-server with the packaged extension installed; returns { url, stop, logs }. */
export async function startCodeServer({ node24, entry, vsix, sb }) {
  const d = join(sb.dir, 'code-server');
  const user = join(d, 'user');
  const exts = join(d, 'exts');
  mkdirSync(join(user, 'User'), { recursive: true });
  mkdirSync(exts, { recursive: true });
  writeFileSync(join(user, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const port = await freePort();
  const config = join(d, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const base = [entry, '--config', config, '--user-data-dir', user, '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check'];

  const inst = await run(node24, [...base, '--install-extension', vsix], { env: sb.env, timeoutMs: 120_000 });
  if (inst.code !== 0 || !/successfully installed|already installed/i.test(inst.out)) {
    throw new StepError(EDITOR, 'install extension', `code-server --install-extension exited ${inst.code}:\n${inst.out.slice(-2000)}`, saveText('vscode-install.log', inst.out));
  }

  const logFile = join(d, 'code-server.log');
  const child = spawnGroup(node24, [...base, '--disable-workspace-trust', '--disable-getting-started-override'], { env: sb.env });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil('code-server /healthz', async () => {
      if (exited) throw new Error(`code-server exited (${exited.code ?? exited.signal})`);
      const r = await fetch(`${url}/healthz`).catch(() => null);
      return r && r.ok;
    }, { timeoutMs: 60_000, intervalMs: 100 });
  } catch (e) {
    writeFileSync(logFile, out);
    throw new StepError(EDITOR, 'start code-server', `${e.message}\n${out.slice(-2000)}`, saveText('vscode-code-server.log', out));
  }
  return {
    url,
    userDir: user,
    log: () => out,
    stop: async () => {
      writeFileSync(logFile, out);
      await stopGroup(child.pid);
    },
  };
}

/** Copies the example files into a fresh workspace folder. */
export function makeWorkspace(sb) {
  const ws = join(sb.dir, 'workspace');
  for (const f of WORKSPACE_FILES) {
    mkdirSync(dirname(join(ws, f.to)), { recursive: true });
    cpSync(join(ROOT, f.from), join(ws, f.to));
  }
  return ws;
}

export async function launchBrowser(chromium) {
  const { chromium: pw } = await import('playwright-core');
  return pw.launch({
    executablePath: chromium,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Finds files under `dir` whose name matches `re` (the extension host's output channel logs). */
function findFiles(dir, re, acc = []) {
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return acc;
  }
  for (const e of entries) {
    const p = join(dir, e);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) findFiles(p, re, acc);
    else if (re.test(e)) acc.push(p);
  }
  return acc;
}

/** One VS Code session: helpers bound to the page, the workspace and the failure artifacts. */
class Session {
  constructor(page, ws, results) {
    this.page = page;
    this.ws = ws;
    this.results = results;
    this.step = 'start';
  }

  async shot(name) {
    mkdirSync(RESULTS, { recursive: true });
    const p = join(RESULTS, name);
    await this.page.screenshot({ path: p }).catch(() => {});
    return p;
  }

  /** Runs one step; on failure takes a screenshot named after the scenario and step. */
  async doStep(scenario, step, fn) {
    this.step = step;
    try {
      return await fn();
    } catch (e) {
      if (e instanceof StepError) throw e;
      const slug = `${scenario.file}-${step}`.replace(/[^A-Za-z0-9]+/g, '-');
      const shot = await this.shot(`vscode-FAIL-${slug}.png`);
      throw new StepError(EDITOR, `${scenario.name} / ${step}`, e.message.split('\n')[0], shot);
    }
  }

  async dismissNotifications() {
    // Notifications toasts can cover the editor; clear them (no-op when there are none).
    await this.page.keyboard.press('Escape').catch(() => {});
  }

  /** Opens a workspace file through Quick Open and waits until its editor is active. */
  async openFile(rel) {
    const { page } = this;
    await page.keyboard.press(`${MOD}+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(rel);
    const row = page.locator('.quick-input-widget .monaco-list-row').first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    // The first match of an exact relative path is the file itself.
    await waitUntil(`quick open to list ${rel}`, async () => {
      const label = await row.getAttribute('aria-label').catch(() => '');
      const dir = dirname(rel);
      return label && label.includes(rel.split('/').pop()) && (dir === '.' || label.includes(dir));
    }, { timeoutMs: 10_000 });
    await page.keyboard.press('Enter');
    await waitUntil(`the editor for ${rel}`, async () => {
      const title = await page.locator('.tabs-container .tab.active').getAttribute('title').catch(() => null);
      return title && title.endsWith(`/${rel}`);
    }, { timeoutMs: 15_000 });
    return page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The active editor's language id, read from the editor's DOM (data-mode-id). */
  async languageId() {
    return this.page.locator('.editor-group-container.active .monaco-editor[data-mode-id]').first().getAttribute('data-mode-id', { timeout: 10_000 });
  }

  async editorText() {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  }

  async runCommand(label) {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
  }
}

async function runScenario(s, sc) {
  const { page } = s;
  const onDisk = join(s.ws, sc.file);
  const shown = [];

  await s.doStep(sc, 'open file', async () => {
    await s.dismissNotifications();
    await s.openFile(sc.file);
  });

  await s.doStep(sc, 'language id', async () => {
    const id = await waitUntil(`language id ${sc.languageId}`, async () => ((await s.languageId()) === sc.languageId ? sc.languageId : null), { timeoutMs: 10_000 }).catch(async () => {
      throw new Error(`language id is '${await s.languageId()}', expected '${sc.languageId}'`);
    });
    return id;
  });

  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  const squiggle = editor.locator('.squiggly-warning').first();
  if (sc.expectSquiggle) {
    await s.doStep(sc, 'squiggle', () => squiggle.waitFor({ state: 'visible', timeout: 20_000 }));
  }

  if (sc.problems) {
    await s.doStep(sc, 'problems panel', async () => {
      await page.keyboard.press(`${MOD}+Shift+M`);
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: sc.rule }).filter({ hasText: sc.message }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      shown.push(await page.locator('.markers-panel').innerText());
      // Back to the editor, the panel closed again.
      await page.keyboard.press(`${MOD}+Shift+M`);
      await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    });
  }

  if (sc.hover) {
    await s.doStep(sc, 'hover', async () => {
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('the squiggle has no box');
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: sc.message }).first();
      await waitUntil('a hover with the message', async () => {
        await page.mouse.move(box.x + box.width / 2 - 3, box.y - 4);
        await page.mouse.move(box.x + box.width / 2, box.y - 4);
        return hover.isVisible();
      }, { timeoutMs: 15_000, intervalMs: 700 });
      shown.push(await hover.innerText());
      if (sc.screenshots?.hover) await s.shot(sc.screenshots.hover);
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    });
  }

  if (sc.forbiddenText) {
    await s.doStep(sc, 'no secret shown', async () => {
      for (const text of shown) if (text.includes(sc.forbiddenText)) throw new Error('a secret was shown in the Problems panel or a hover');
    });
  }

  if (sc.fixTitle) {
    const before = await editor.locator('.view-lines').innerText();
    await s.doStep(sc, 'quick fix menu', async () => {
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('the squiggle has no box');
      await page.mouse.click(box.x + Math.min(8, box.width / 2), box.y + box.height / 2 - 6);
      await page.keyboard.press(`${MOD}+.`);
      const item = page.locator('.action-widget .monaco-list-row', { hasText: sc.fixTitle }).first();
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      if (sc.screenshots?.quickfix) {
        await item.hover();
        await s.shot(sc.screenshots.quickfix);
      }
      await item.click();
    });
    await s.doStep(sc, 'fix applied in editor', () =>
      waitUntil('the editor text to change', async () => (await editor.locator('.view-lines').innerText()) !== before, { timeoutMs: 10_000 }),
    );
    await s.doStep(sc, 'save (Ctrl+S) and check disk', async () => {
      await page.keyboard.press(`${MOD}+S`);
      await waitUntil(`${sc.file} on disk to match ${sc.expectedOnDisk}`, () => sc.expectedOnDisk.test(readFileSync(onDisk, 'utf8')), { timeoutMs: 10_000 });
    });
    if (sc.rule && sc.fixTitle.startsWith('Run as USER')) {
      await s.doStep(sc, 'squiggle cleared', () => editor.locator('.squiggly-warning').first().waitFor({ state: 'detached', timeout: 15_000 }));
    }
  }

  if (sc.serverAliveAfter) {
    // The server must still answer after the file above was opened: a fresh Dockerfile gets its squiggle.
    const probe = { ...sc, name: `${sc.name} (probe ${sc.serverAliveAfter})`, file: sc.serverAliveAfter };
    await s.doStep(probe, 'server alive: open another Dockerfile', () => s.openFile(sc.serverAliveAfter));
    await s.doStep(probe, 'server alive: its squiggle', () =>
      page.locator('.editor-group-container.active .monaco-editor .squiggly-warning').first().waitFor({ state: 'visible', timeout: 20_000 }),
    );
  }
}

/** The extension host's Bulkhead output must show no crash of the server. */
function checkServerLogs(userDir) {
  const files = findFiles(join(userDir, 'logs'), /Bulkhead|exthost/i);
  const bad = /(server crashed|Connection to server got closed|Server initialization failed|Starting client failed|Bulkhead client: couldn't create connection)/i;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const m = bad.exec(text);
    if (m) return { file: f, line: text.split('\n').find((l) => bad.test(l)) };
  }
  return null;
}

/** Runs every VS Code scenario against one code-server + one browser session. */
export async function runVSCode({ tools, vsix, results, updateDocsImages }) {
  const name = (sc) => `${EDITOR}: ${sc.name}`;
  const active = VSCODE_SCENARIOS.filter((sc) => !sc.skip);
  for (const sc of VSCODE_SCENARIOS.filter((x) => x.skip)) results.skip(name(sc), sc.skip);

  const missing = [tools.BULKHEAD_E2E_NODE24, tools.BULKHEAD_E2E_CODE_SERVER, tools.BULKHEAD_E2E_CHROMIUM].filter((p) => !existsSync(p));
  if (missing.length) {
    const err = new StepError(EDITOR, 'setup', `missing ${missing.join(', ')}: run .ci/e2e-setup.sh`);
    for (const sc of active) results.fail(name(sc), err, 0);
    return;
  }

  const sb = sandbox('vscode');
  let cs;
  let browser;
  const t0 = Date.now();
  try {
    const ws = makeWorkspace(sb);
    log('vscode: installing the extension into code-server and starting it');
    cs = await startCodeServer({ node24: tools.BULKHEAD_E2E_NODE24, entry: tools.BULKHEAD_E2E_CODE_SERVER, vsix, sb });
    log(`vscode: code-server up at ${cs.url} (${((Date.now() - t0) / 1000).toFixed(1)}s); starting Chromium`);
    browser = await launchBrowser(tools.BULKHEAD_E2E_CHROMIUM);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const s = new Session(page, ws, results);
    try {
      await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`, { timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    } catch (e) {
      throw new StepError(EDITOR, 'load workbench', e.message.split('\n')[0], await s.shot('vscode-FAIL-workbench.png'));
    }
    log('vscode: workbench loaded');

    for (const sc of active) {
      const t = Date.now();
      try {
        await runScenario(s, sc);
        results.pass(name(sc), Date.now() - t);
      } catch (e) {
        results.fail(name(sc), e, Date.now() - t);
        await page.keyboard.press('Escape').catch(() => {});
      }
    }

    const t = Date.now();
    const crash = checkServerLogs(cs.userDir);
    if (crash) results.fail(`${EDITOR}: server log has no crash`, new StepError(EDITOR, 'server log', crash.line, crash.file), Date.now() - t);
    else results.pass(`${EDITOR}: server log has no crash`, Date.now() - t);

    if (updateDocsImages) {
      const docs = join(ROOT, 'docs', 'images');
      mkdirSync(docs, { recursive: true });
      for (const sc of active) for (const f of Object.values(sc.screenshots ?? {})) if (existsSync(join(RESULTS, f))) copyFileSync(join(RESULTS, f), join(docs, f));
      log(`vscode: success screenshots copied to ${docs}`);
    }
  } catch (e) {
    const err = e instanceof StepError ? e : new StepError(EDITOR, 'harness', e.stack ?? String(e));
    results.fail(`${EDITOR}: session`, err, Date.now() - t0);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (cs) {
      await cs.stop();
      // Keep the logs of this session next to the screenshots.
      const dest = join(RESULTS, 'vscode-logs');
      try {
        cpSync(join(cs.userDir, 'logs'), dest, { recursive: true });
        writeFileSync(join(RESULTS, 'vscode-code-server.log'), cs.log());
      } catch {
        /* no logs */
      }
    }
    await sleep(50);
    sb.remove();
  }
}
