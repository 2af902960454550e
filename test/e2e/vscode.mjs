// VS Code (code-server 4.139.1 = Code 1.139 in Chromium, driven by playwright-core) scenarios.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, statSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { ROOT, RESULTS, StepError, log, spawnGroup, stopGroup, run, freePort, sandbox, waitUntil, sleep, saveText } from './lib.mjs';
import { WORKSPACE_FILES, VSCODE_SCENARIOS } from './scenarios.mjs';
import { runEditorExtras } from './vscode-extra.mjs';
import { HARDEN_SHOTS, runHardenScenario } from './harden.mjs';

const EDITOR = 'vscode';
const isMac = false;
const MOD = isMac ? 'Meta' : 'Control';

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'bulkhead.trace.server': 'messages', // the LSP traffic in the saved Bulkhead log, for failures
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
/**
 * Installs the extensions into a fresh code-server and starts it. `trust`: workspace trust on
 * (a folder opens in Restricted Mode) instead of --disable-workspace-trust; `settings`: the
 * user settings; `name` names its folder, its log and the server trace file.
 */
export async function startCodeServer({ node24, entry, vsixes, sb, settings = USER_SETTINGS, trust = false, name = 'vscode' }) {
  const d = join(sb.dir, name === 'vscode' ? 'code-server' : `${name}-code-server`);
  const user = join(d, 'user');
  const exts = join(d, 'exts');
  mkdirSync(join(user, 'User'), { recursive: true });
  mkdirSync(exts, { recursive: true });
  writeFileSync(join(user, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  const config = join(d, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // No extension gallery: nothing here may reach outside the machine (the gallery would only fail its look-ups).
  const env = { ...sb.env, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }), BULKHEAD_SERVER_TRACE_FILE: join(RESULTS, `${name}-server-trace.log`) };
  const base = [entry, '--config', config, '--user-data-dir', user, '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check'];

  const inst = await run(node24, [...base, ...vsixes.flatMap((v) => ['--install-extension', v])], { env, timeoutMs: 120_000 });
  const installed = inst.out.match(/successfully installed|already installed/gi) ?? [];
  if (inst.code !== 0 || installed.length < vsixes.length) {
    throw new StepError(EDITOR, 'install extension', `code-server --install-extension exited ${inst.code}:\n${inst.out.slice(-2000)}`, saveText(`${name}-install.log`, inst.out));
  }

  const logFile = join(d, 'code-server.log');
  const child = spawnGroup(node24, [...base, ...(trust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', ...(process.env.BULKHEAD_E2E_LOG ? ['--log', process.env.BULKHEAD_E2E_LOG] : [])], { env });
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
    throw new StepError(EDITOR, 'start code-server', `${e.message}\n${out.slice(-2000)}`, saveText(`${name}-code-server.log`, out));
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
export function makeWorkspace(sb, name = 'workspace') {
  const ws = join(sb.dir, name);
  for (const f of WORKSPACE_FILES) {
    mkdirSync(dirname(join(ws, f.to)), { recursive: true });
    cpSync(join(ROOT, f.from), join(ws, f.to));
  }
  return ws;
}

/** Debian's Chromium, headless, with the sandbox's HOME/XDG_* (it writes crash reports and caches there). */
export async function launchBrowser(chromium, env) {
  const { chromium: pw } = await import('playwright-core');
  return pw.launch({
    executablePath: chromium,
    headless: true,
    env,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * The test-only extension that runs test/vscode/suite (the `npm run test:vscode` scenarios, written
 * to the vscode API) inside code-server's extension host: the suite is bundled with esbuild.
 */
export async function buildApiRunner(tmp) {
  const dir = join(tmp, 'api-runner');
  cpSync(join(ROOT, 'test', 'e2e', 'api-runner'), dir, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(ROOT, 'test', 'vscode', 'suite', 'index.ts')],
    outfile: join(dir, 'suite.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const vsix = join(tmp, 'bulkhead-api-runner.vsix');
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  const p = await run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, timeoutMs: 120_000 });
  if (p.code !== 0 || !existsSync(vsix)) throw new StepError('vscode-api', 'package the suite runner', `vsce exited ${p.code}: ${p.out.slice(-1500)}`);
  return vsix;
}

/** Opens a second workspace whose marker makes the runner extension run the suite; reads its result. */
async function runApiSuite(page, cs, sb, results) {
  const ws = makeWorkspace(sb, 'api-workspace');
  const resultFile = join(sb.dir, 'api-suite-result.json');
  writeFileSync(join(ws, '.bulkhead-api-suite'), resultFile);
  const t0 = Date.now();
  await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`, { timeout: 60_000 });
  let result;
  try {
    await waitUntil('the vscode-API suite to write its result', () => existsSync(resultFile), { timeoutMs: 120_000, intervalMs: 250 });
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch (e) {
    mkdirSync(RESULTS, { recursive: true });
    const shot = join(RESULTS, 'vscode-api-FAIL.png');
    await page.screenshot({ path: shot }).catch(() => {});
    results.fail('vscode-api: suite', new StepError('vscode-api', 'run test/vscode/suite in code-server', e.message, shot), Date.now() - t0);
    return;
  }
  saveText('vscode-api.log', result.lines.join('\n') + (result.error ? `\n${result.error}\n` : '\n'));
  let seen = 0;
  for (const line of result.lines) {
    if (/^\s*note\s/.test(line)) log(`vscode-api: ${line.trim()}`);
    const m = /^\s*(ok|FAIL|skip)\s+(.*?)(?: — (.*))?$/.exec(line);
    if (!m) continue;
    seen++;
    const name = `vscode-api: ${m[2]}`;
    if (m[1] === 'ok') results.pass(name, 0);
    else if (m[1] === 'skip') results.skip(name, m[3] ?? '');
    else results.fail(name, new StepError('vscode-api', m[2], m[3] ?? 'failed', join(RESULTS, 'vscode-api.log')), 0);
  }
  if (!seen || (!result.ok && !result.lines.some((l) => /^\s*FAIL/.test(l)))) {
    results.fail('vscode-api: suite', new StepError('vscode-api', 'suite', result.error ?? 'the suite reported no scenario', join(RESULTS, 'vscode-api.log')), Date.now() - t0);
  }
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
    const editor = this.editorFor(rel);
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    return editor;
  }

  /** The visible editor of a workspace file (Monaco's root element carries the file's URI). */
  editorFor(rel) {
    const uri = `${this.ws}/${rel}`.replace(/"/g, '\\"');
    return this.page.locator(`.editor-group-container.active .monaco-editor[data-uri$="${uri}"]`).first();
  }

  /** The language id of a file's editor, read from the DOM (the editor instance's data-mode-id). */
  async languageId(rel) {
    const uri = `${this.ws}/${rel}`.replace(/"/g, '\\"');
    return this.page
      .locator(`.editor-group-container.active .editor-instance[data-mode-id]:has(.monaco-editor[data-uri$="${uri}"])`)
      .first()
      .getAttribute('data-mode-id', { timeout: 10_000 });
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

/** Where a file's problems sit in the Problems panel's tree: its resource row says "in file X of folder Y". */
function resourceLabel(rel) {
  const i = rel.lastIndexOf('/');
  return i < 0 ? { file: rel, folder: '.' } : { file: rel.slice(i + 1), folder: rel.slice(0, i) };
}

const PANEL = '[id="workbench.parts.panel"]';

/**
 * The Problems panel's rows for one file: [{ label, text, line }]. The panel must be open. The
 * tree only renders the rows in view, so when the file's row is out of view every file is
 * collapsed first, and the file's own row is expanded.
 */
async function problemsOf(page, rel) {
  const { file, folder } = resourceLabel(rel);
  const resource = page.locator(`.markers-panel .monaco-list-row[aria-level="1"][aria-label$=" in file ${file} of folder ${folder}"]`).first();
  // Short timeouts: this runs inside polling loops, and Collapse All is disabled while the tree is empty.
  if (!(await resource.isVisible()) && (await page.locator('.markers-panel .monaco-list-row[aria-level="1"]').count()) > 0) {
    await page.locator(`${PANEL} a[aria-label="Collapse All"]:not(.disabled)`).first().click({ timeout: 2_000 }).catch(() => {});
  }
  if ((await resource.isVisible()) && (await resource.getAttribute('aria-expanded')) === 'false') await resource.click({ timeout: 2_000 }).catch(() => {});
  const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
    els.map((e) => ({ level: e.getAttribute('aria-level'), label: e.getAttribute('aria-label') ?? '', text: e.innerText })),
  );
  const out = [];
  let mine = false;
  for (const r of rows) {
    if (r.level === '1') mine = r.label.endsWith(` in file ${file} of folder ${folder}`);
    else if (mine) out.push({ ...r, line: Number(/ at line (\d+) and character/.exec(r.label)?.[1] ?? 0) });
  }
  return out;
}

async function showProblems(page) {
  const panel = page.locator('.markers-panel');
  if (await panel.isVisible()) return;
  await page.keyboard.press(`${MOD}+Shift+M`);
  await panel.waitFor({ state: 'visible', timeout: 10_000 });
}

/** Maximizes the panel (more rows in view); a no-op when it already is. */
async function maximizePanel(page) {
  const max = page.locator(`${PANEL} a[aria-label^="Maximize Panel"]`).first();
  // Best effort (more rows in view), with a short timeout: the button can be mid-transition.
  if (await max.isVisible().catch(() => false)) await max.click({ timeout: 2_000 }).catch(() => {});
}

async function hidePanel(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) return;
  await page.keyboard.press(`${MOD}+J`); // View: Toggle Panel Visibility
  await panel.waitFor({ state: 'hidden', timeout: 5_000 });
}

const SQUIGGLE = '.squiggly-error, .squiggly-warning, .squiggly-info';

/** The box of a squiggle (any severity) on a 1-based line of an editor, or null. */
async function squiggleOnLine(editor, line) {
  const num = editor.locator('.margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
  const nb = await num.boundingBox().catch(() => null);
  if (!nb) return null;
  const boxes = await editor.locator('.view-overlays').locator(SQUIGGLE).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  return boxes.find((b) => b.y < nb.y + nb.height - 2 && b.y + b.height > nb.y + 2) ?? null;
}

async function runScenario(s, sc) {
  const { page } = s;
  const onDisk = join(s.ws, sc.file);
  const shown = [];

  await s.doStep(sc, 'open file', async () => {
    await s.dismissNotifications();
    await hidePanel(page);
    // One file open at a time: the Problems panel then lists this file alone (closed files' rows go).
    await s.runCommand('View: Close All Editors');
    await s.openFile(sc.file);
  });

  await s.doStep(sc, 'language id', async () => {
    await waitUntil(`language id ${sc.languageId}`, async () => (await s.languageId(sc.file)) === sc.languageId, { timeoutMs: 10_000 }).catch(async () => {
      throw new Error(`language id is '${await s.languageId(sc.file).catch(() => '?')}', expected '${sc.languageId}'`);
    });
  });

  const editor = s.editorFor(sc.file);
  if (sc.expectSquiggle) {
    await s.doStep(sc, 'squiggle', () => editor.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 20_000 }));
  }

  // The rule's row in the Problems panel (Ctrl+Shift+M) gives the line of its squiggle.
  let line = 0;
  if (sc.rule) {
    await s.doStep(sc, 'problems panel', async () => {
      await showProblems(page);
      const row = await waitUntil(`a Problems row for ${sc.file} with '${sc.rule}'${sc.message ? ` and '${sc.message}'` : ''}`, async () =>
        (await problemsOf(page, sc.file)).find((r) => r.text.includes(sc.rule) && (!sc.message || r.text.includes(sc.message))),
      { timeoutMs: 10_000 });
      line = row.line;
      if (sc.screenshots?.problems) await s.shot(sc.screenshots.problems);
      await maximizePanel(page);
      shown.push(...(await problemsOf(page, sc.file)).map((r) => r.text));
      await hidePanel(page);
    });
  }
  const ruleSquiggle = () => waitUntil(`the squiggle on line ${line}`, () => squiggleOnLine(editor, line), { timeoutMs: 10_000 });

  if (sc.hover) {
    await s.doStep(sc, 'hover', async () => {
      const box = await ruleSquiggle();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: sc.message ?? sc.rule }).first();
      await waitUntil(`a hover with '${sc.message ?? sc.rule}'`, async () => {
        const y = box.y + box.height / 2;
        await page.mouse.move(box.x + box.width / 2 - 3, y);
        await page.mouse.move(box.x + box.width / 2, y);
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
      const box = await ruleSquiggle();
      const item = page.locator('.action-widget .monaco-list-row', { hasText: sc.fixTitle }).first();
      // Ctrl+. right after the click can be lost while the editor is still computing code actions
      // (seen about once in 15 runs): wait for the light bulb, and press again if no menu shows.
      for (let attempt = 1; ; attempt++) {
        await page.mouse.click(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
        await editor.locator('[class*="lightBulbWidget"], [class*="gutter-lightbulb"]').first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
        await page.keyboard.press(`${MOD}+.`);
        const ok = await item.waitFor({ state: 'visible', timeout: attempt < 3 ? 4_000 : 10_000 }).then(() => true, () => false);
        if (ok) break;
        if (attempt >= 3) throw new Error(`no quick fix menu item '${sc.fixTitle}' after ${attempt} tries of Ctrl+.`);
        log(`vscode: ${sc.file}: Ctrl+. showed no menu (try ${attempt}); trying again`);
        await page.keyboard.press('Escape');
      }
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
    await s.doStep(sc, `${sc.rule} gone from Problems after the fix`, async () => {
      await showProblems(page);
      const still = (r) => r.text.includes(sc.rule) && (!sc.message || r.text.includes(sc.message));
      await waitUntil(`no '${sc.rule}' row${sc.message ? ` with '${sc.message}'` : ''} for ${sc.file}`, async () => !(await problemsOf(page, sc.file)).some(still), { timeoutMs: 15_000 });
      await hidePanel(page);
    });
  }

  if (sc.serverAliveAfter) {
    // The server must still answer after the file above was opened: a fresh Dockerfile gets its squiggle.
    const probe = { ...sc, name: `${sc.name} (probe ${sc.serverAliveAfter})`, file: sc.serverAliveAfter };
    await s.doStep(probe, 'server alive: open another Dockerfile', () => s.openFile(sc.serverAliveAfter));
    await s.doStep(probe, 'server alive: its squiggle', () =>
      s.editorFor(sc.serverAliveAfter).locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 20_000 }),
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
export async function runVSCode({ tools, vsix, tmp, results, updateDocsImages }) {
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
    const runnerVsix = await buildApiRunner(tmp);
    log('vscode: installing the extension into code-server and starting it');
    cs = await startCodeServer({ node24: tools.BULKHEAD_E2E_NODE24, entry: tools.BULKHEAD_E2E_CODE_SERVER, vsixes: [vsix, runnerVsix], sb });
    log(`vscode: code-server up at ${cs.url} (${((Date.now() - t0) / 1000).toFixed(1)}s); starting Chromium`);
    browser = await launchBrowser(tools.BULKHEAD_E2E_CHROMIUM, sb.env);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000); // no single action may eat the run's time
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

    await runEditorExtras(s, results); // language status item, Show Rule Documentation (vscode-extra.mjs)
    {
      // per-container features (issue 18): test/e2e/harden.mjs
      const t = Date.now();
      try {
        await runHardenScenario(s, { hidePanel, showProblems, problemsOf }, MOD);
        results.pass(`${EDITOR}: CodeLens, Harden db, Scan workspace`, Date.now() - t);
      } catch (e) {
        results.fail(`${EDITOR}: CodeLens, Harden db, Scan workspace`, e, Date.now() - t);
        await page.keyboard.press('Escape').catch(() => {});
      }
    }

    log('vscode-api: running test/vscode/suite (the test:vscode scenarios) in code-server');
    await runApiSuite(page, cs, sb, results);

    const t = Date.now();
    const crash = checkServerLogs(cs.userDir);
    if (crash) results.fail(`${EDITOR}: server log has no crash`, new StepError(EDITOR, 'server log', crash.line, crash.file), Date.now() - t);
    else results.pass(`${EDITOR}: server log has no crash`, Date.now() - t);

    if (updateDocsImages) {
      const docs = join(ROOT, 'docs', 'images');
      mkdirSync(docs, { recursive: true });
      for (const sc of active) for (const f of Object.values(sc.screenshots ?? {})) if (existsSync(join(RESULTS, f))) copyFileSync(join(RESULTS, f), join(docs, f));
      for (const f of Object.values(HARDEN_SHOTS)) if (existsSync(join(RESULTS, f))) copyFileSync(join(RESULTS, f), join(docs, f));
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
