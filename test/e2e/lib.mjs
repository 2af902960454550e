// Shared harness for the real-editor tests: results, process groups, temp folders, waiting.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS = join(ROOT, 'test-results', 'e2e');

const started = Date.now();
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
export const log = (...a) => console.log(`[e2e ${elapsed()}]`, ...a);

/** A failed step: the editor and step are part of every failure message. */
export class StepError extends Error {
  constructor(editor, step, message, artifact) {
    super(`${editor}: step '${step}': ${message}`);
    this.editor = editor;
    this.step = step;
    this.artifact = artifact;
  }
}

/** Test results: one entry per scenario. */
export class Results {
  constructor() {
    this.entries = [];
  }
  pass(name, ms) {
    this.entries.push({ name, status: 'passed', ms });
    console.log(`  ok    ${name} (${(ms / 1000).toFixed(1)}s)`);
  }
  fail(name, error, ms) {
    this.entries.push({ name, status: 'failed', ms, error: String(error?.message ?? error) });
    console.log(`  FAIL  ${name} (${(ms / 1000).toFixed(1)}s)\n        ${String(error?.message ?? error).split('\n').join('\n        ')}`);
    if (error?.artifact) console.log(`        see ${error.artifact}`);
  }
  skip(name, why) {
    this.entries.push({ name, status: 'skipped', why });
    console.log(`  skip  ${name}: ${why}`);
  }
  count(status) {
    return this.entries.filter((e) => e.status === status).length;
  }
}

// ---- processes: each child leads its own process group, killed as a group at the end
const groups = new Set();

/** Spawns a command as the leader of a new process group (like setsid); returns the child. */
export function spawnGroup(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  // Listed until stopped: when the leader exits, its group may live on (watchers, language servers).
  if (child.pid) groups.add(child.pid);
  return child;
}

export function killGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops one group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGroup(pid, graceMs = 3000) {
  killGroup(pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < until) await sleep(50);
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
  groups.delete(pid);
}

/** Last-resort cleanup (exit, signals): SIGKILL every group still listed. */
export function killAllGroupsNow() {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  groups.clear();
}
// Whatever way this process ends (even an uncaught error), no editor or server outlives it.
process.on('exit', killAllGroupsNow);

/** Runs a command in its own group to completion, with a hard timeout; output kept in memory. */
export function run(cmd, args, { timeoutMs = 120_000, env, cwd, input } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawnGroup(cmd, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    if (input !== undefined) child.stdin.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      groups.delete(child.pid);
      resolvePromise({ code: -1, out: out + String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // leftovers of the group, if any
      groups.delete(child.pid);
      resolvePromise({ code: code ?? (signal ? 128 : -1), signal, out, timedOut });
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; throws with `what`. */
export async function waitUntil(what, fn, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await sleep(intervalMs);
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** A temp folder with its own HOME and XDG_* folders, and an env that points at them. */
export function sandbox(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `bulkhead-e2e-${prefix}-`));
  const home = join(dir, 'home');
  const xdg = {
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
  };
  for (const d of [home, ...Object.values(xdg)]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const env = { ...cleanEnv(), HOME: home, ...xdg, TMPDIR: dir };
  return { dir, home, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The parent's environment without the variables that would steer an editor elsewhere. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_|NVIM|VIMINIT|MYVIMRC|EMACS|npm_|INIT_CWD|NODE_OPTIONS|DISPLAY|WAYLAND_DISPLAY|DBUS_SESSION_BUS_ADDRESS)/.test(k)) continue;
    env[k] = v;
  }
  env.DONT_PROMPT_WSL_INSTALL = '1';
  return env;
}

/** Where .ci/e2e-setup.sh installed things (its env.sh), with the same defaults. */
export function toolPaths() {
  const cache = process.env.BULKHEAD_E2E_CACHE || join(homedir(), '.cache', 'bulkhead-e2e');
  const paths = {
    BULKHEAD_E2E_NODE24: join(cache, 'node-24.21.0', 'bin', 'node'),
    BULKHEAD_E2E_CODE_SERVER: join(cache, 'code-server-4.139.1', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    BULKHEAD_E2E_CHROMIUM: '/usr/bin/chromium',
    BULKHEAD_E2E_NVIM: 'nvim',
    BULKHEAD_E2E_EMACS: 'emacs',
  };
  const envFile = join(cache, 'env.sh');
  if (existsSync(envFile)) {
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const m = /^(BULKHEAD_E2E_[A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) paths[m[1]] = m[2];
    }
  }
  for (const k of Object.keys(paths)) if (process.env[k]) paths[k] = process.env[k];
  return { cache, ...paths };
}

export function saveText(name, text) {
  mkdirSync(RESULTS, { recursive: true });
  const p = join(RESULTS, name);
  writeFileSync(p, text);
  return p;
}
