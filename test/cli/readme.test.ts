/**
 * The README's statements, tested as written: the demo's counts (and why one fix clears two
 * findings), the CI snippet (no `npx` of an unpublished name; the .vsix's CLI runs as shown),
 * links and images that exist, the editor snippets' shape (test/e2e/readme.mjs runs them in
 * Neovim and Emacs), no design documents outside the repository, and docs/ listing every rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CATALOG_IDS, BUILTIN_IDS } from '../../server/src/core/rule';
import { ROOT, run } from './helpers';

const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const README = read('README.md');
/** The README as one line of words (its sentences wrap). */
const flat = (s: string) => s.replace(/\s+/g, ' ');

function block(lang: string, mentioning: string): string {
  const blocks = [...README.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]).filter((b) => b.includes(mentioning));
  assert.equal(blocks.length, 1, `one \`\`\`${lang} block with ${mentioning}`);
  return blocks[0];
}

test('README: the demo counts add up, and the README says what the demo prints', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'examples', 'demo.mjs')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const total = /^(\d+) findings \((\d+) errors, (\d+) warnings, (\d+) info\) in (\d+) files$/m.exec(r.stdout);
  const counts = /^(\d+) findings, (\d+) fixable; --fix applied (\d+) fixes and (\d+) findings went: (\d+) remain\.$/m.exec(r.stdout);
  assert.ok(total && counts, r.stdout.slice(-3000));
  const [, all, errors, warnings, infos] = total.map(Number);
  const [, all2, fixable, applied, went, remain] = counts.map(Number);
  assert.equal(errors + warnings + infos, all);
  assert.equal(all2, all);
  assert.equal(all - went, remain);
  // every finding that went without a fix applied for it is explained, one line each
  const explained = [...r.stdout.matchAll(/^One fix cleared two findings: .*$/gm)];
  assert.equal(explained.length, went - applied, 'each finding cleared by another fix is explained');
  const text = flat(README);
  assert.ok(text.includes(`It reports ${all} findings (${errors} errors, ${warnings} warnings, ${infos} info) in the three example files, and ${fixable} of them have a fix that \`--fix\` applies.`), 'README: the first count');
  assert.ok(text.includes(`\`--fix\` applies ${applied} fixes and ${remain} findings remain: ${went} went,`), 'README: what --fix does');
  if (went > applied) {
    assert.ok(text.includes('because one fix cleared two findings — the `USER 10001:10001` it adds to `examples/Dockerfile` also clears no-root-user on the Compose service `api`'), 'README: why');
    assert.match(explained[0][0], /the USER that --fix added to examples\/Dockerfile also cleared no-root-user on examples\/compose\.yaml:\d+/);
  }
});

test('README: nothing is run with npx or installed by a package name that is not published', () => {
  for (const [i, line] of README.split('\n').entries()) {
    assert.doesNotMatch(line, /\bnpx\s+bulkhead\b|\bnpm\s+(?:i|install)\s+(?:-g\s+)?bulkhead\b/, `README line ${i + 1}: ${line}`);
  }
  const ci = block('yaml', 'sarif');
  assert.doesNotMatch(ci, /\bnpx\b/);
});

test('README: the CI snippet runs the CLI that the .vsix ships, with the options it shows', () => {
  const ci = block('yaml', 'sarif');
  const cmd = /node \.bulkhead\/extension\/(dist\/cli\.js) (.*)$/m.exec(ci);
  assert.ok(cmd, ci);
  // the .vsix holds extension/<file> for every file .vscodeignore brings back
  assert.ok(read('.vscodeignore').split('\n').includes(`!${cmd[1]}`), `.vscodeignore ships ${cmd[1]}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-readme-'));
  try {
    fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true, filter: (p) => !p.endsWith('.mjs') });
    const r = run(cmd[2].split(' '), { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'bulkhead.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('README: the editor snippets attach the buffer and name the modes they need', () => {
  const lua = block('lua', '/path/to/bulkhead/dist/server.js');
  assert.match(lua, /vim\.lsp\.buf_attach_client\(args\.buf, bulkhead\)/);
  assert.match(lua, /pattern = \{ 'dockerfile', 'yaml', 'yaml\.docker-compose' \}/);
  const elisp = block('elisp', '/path/to/bulkhead/dist/server.js');
  for (const mode of ['dockerfile-mode', 'dockerfile-ts-mode', 'yaml-mode', 'yaml-ts-mode']) assert.ok(elisp.includes(mode), mode);
  assert.ok(flat(README).includes('install `dockerfile-mode` and `yaml-mode` (or use Emacs 29\'s `dockerfile-ts-mode` and `yaml-ts-mode`)'));
});

test('README, CONTRIBUTING and docs/: every relative link and image exists; no design documents from outside the repository', () => {
  const pages = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const page of pages) {
    const text = read(page);
    assert.doesNotMatch(text, /\b(?:RULES|CONTRACT|DESIGN|STYLE|IMAGES|E2E)\.md\b/, page);
    assert.doesNotMatch(text, /design doc/i, page);
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(m[1])) continue;
      assert.ok(fs.existsSync(path.join(ROOT, path.dirname(page), m[1])), `${page} links ${m[1]}, which does not exist`);
    }
  }
});

test('docs/README.md and docs/rules.md list every rule and built-in finding', () => {
  const index = read('docs/README.md');
  const catalog = read('docs/rules.md');
  for (const id of [...CATALOG_IDS, ...Object.keys(BUILTIN_IDS)]) {
    assert.ok(index.includes(`](rules/${id}.md)`), `docs/README.md lacks ${id}`);
    assert.ok(catalog.includes(`](rules/${id}.md)`), `docs/rules.md lacks ${id}`);
  }
});
