// Neovim 0.7 (headless, Lua) and Emacs 28 + eglot (batch elisp) scenarios: open a copy of
// examples/Dockerfile, wait for the diagnostic, request the quick fix, apply it, write, check.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, StepError, run, sandbox, saveText } from './lib.mjs';
import { TERMINAL_SCENARIO as T } from './scenarios.mjs';

const HERE = join(ROOT, 'test', 'e2e');

const EDITORS = {
  nvim: {
    label: 'Neovim',
    cmd: (tools, file) => [tools.BULKHEAD_E2E_NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(HERE, 'nvim', 'lsp_test.lua')}`, file]],
  },
  emacs: {
    label: 'Emacs + eglot',
    cmd: (tools, file) => [tools.BULKHEAD_E2E_EMACS, ['--batch', '-Q', '-l', join(HERE, 'emacs', 'lsp-test.el'), file]],
  },
};

export async function runTerminalEditor(editor, { tools, results }) {
  const e = EDITORS[editor];
  const name = `${editor}: ${e.label} fixes no-root-user in a Dockerfile`;
  const sb = sandbox(editor);
  const t0 = Date.now();
  try {
    const dir = join(sb.dir, 'project');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'Dockerfile');
    cpSync(join(ROOT, T.from), file);
    const env = {
      ...sb.env,
      BULKHEAD_NODE: process.execPath,
      BULKHEAD_SERVER: join(ROOT, 'dist', 'server.js'),
      BULKHEAD_RULE: T.rule,
      BULKHEAD_MESSAGE: T.message,
      BULKHEAD_FIX_TITLE: T.fixTitle,
      BULKHEAD_EXPECT: T.expect,
      BULKHEAD_EXPECT_BEFORE: T.expectBefore,
      BULKHEAD_TIMEOUT_MS: '30000',
    };
    const [cmd, args] = e.cmd(tools, file);
    // The script's own deadline is 30 s; this outer guard only catches a hung editor.
    const r = await run(cmd, args, { env, cwd: dir, timeoutMs: 60_000 });
    const logPath = saveText(`${editor}.log`, `$ ${cmd} ${args.join(' ')}\nexit ${r.code}${r.timedOut ? ' (killed: timed out)' : ''}\n\n${r.out}`);
    const failLine = /^FAIL step=([^:]+): (.*)$/m.exec(r.out);
    if (r.code !== 0 || !/^PASS$/m.test(r.out)) {
      const step = failLine?.[1] ?? [...r.out.matchAll(/^STEP (.*)$/gm)].pop()?.[1] ?? 'launch';
      const why = failLine?.[2] ?? (r.timedOut ? 'timed out (editor hung)' : `exit ${r.code}: ${r.out.trim().split('\n').slice(-3).join(' | ')}`);
      throw new StepError(editor, step, why, logPath);
    }
    results.pass(name, Date.now() - t0);
  } catch (err) {
    results.fail(name, err instanceof StepError ? err : new StepError(editor, 'harness', String(err?.stack ?? err)), Date.now() - t0);
  } finally {
    sb.remove();
  }
}
