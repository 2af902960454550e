// The README's editor snippets, run as written (only the server path is filled in):
// the Neovim block must attach Bulkhead to a Dockerfile and a Compose buffer (one client),
// the Emacs line must make eglot manage a buffer in the modes it names.
import { mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, StepError, run, sandbox, saveText } from './lib.mjs';

const SERVER_PLACEHOLDER = '/path/to/bulkhead/dist/server.js';

/** The fenced block of `lang` that mentions the server placeholder, exactly as the README has it. */
export function readmeBlock(lang) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]).filter((b) => b.includes(SERVER_PLACEHOLDER));
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} \`\`\`${lang} blocks with ${SERVER_PLACEHOLDER} (expected 1)`);
  return blocks[0];
}

export async function runReadmeSnippets(editor, { tools, results }) {
  const name = editor === 'nvim' ? 'nvim: the README snippet attaches Bulkhead (Dockerfile and Compose, one client)' : 'emacs: the README eglot line manages a Dockerfile buffer in the modes it names';
  const t0 = Date.now();
  const sb = sandbox(`${editor}-readme`);
  try {
    const dir = join(sb.dir, 'project');
    mkdirSync(dir, { recursive: true });
    cpSync(join(ROOT, 'examples', 'Dockerfile'), join(dir, 'Dockerfile'));
    cpSync(join(ROOT, 'examples', 'compose.yaml'), join(dir, 'compose.yaml'));
    const server = join(ROOT, 'dist', 'server.js');
    const env = { ...sb.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, BULKHEAD_SECOND_FILE: join(dir, 'compose.yaml'), BULKHEAD_SERVER: server, BULKHEAD_TIMEOUT_MS: '20000' };
    let r;
    if (editor === 'nvim') {
      const snippet = join(sb.dir, 'readme-snippet.lua');
      writeFileSync(snippet, readmeBlock('lua').split(SERVER_PLACEHOLDER).join(server));
      r = await run(tools.BULKHEAD_E2E_NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '--cmd', 'filetype on', '--cmd', `luafile ${snippet}`, '-c', `luafile ${join(ROOT, 'test', 'e2e', 'nvim', 'readme_check.lua')}`, join(dir, 'Dockerfile')], { env, cwd: dir, timeoutMs: 60_000 });
    } else {
      const line = join(sb.dir, 'readme-line.el');
      writeFileSync(line, readmeBlock('elisp').split(SERVER_PLACEHOLDER).join(server));
      r = await run(tools.BULKHEAD_E2E_EMACS, ['--batch', '-Q', '-l', join(ROOT, 'test', 'e2e', 'emacs', 'readme-check.el'), line, join(dir, 'Dockerfile')], { env, cwd: dir, timeoutMs: 60_000 });
    }
    const logPath = saveText(`${editor}-readme.log`, `exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\n${r.out}`);
    if (r.code !== 0 || !/^PASS$/m.test(r.out)) throw new StepError(editor, 'README snippet', (/^FAIL (.*)$/m.exec(r.out)?.[1] ?? r.out.trim().split('\n').slice(-3).join(' | ')), logPath);
    results.pass(name, Date.now() - t0);
  } catch (e) {
    results.fail(name, e instanceof StepError ? e : new StepError(editor, 'README snippet', String(e?.message ?? e)), Date.now() - t0);
  } finally {
    sb.remove();
  }
}
