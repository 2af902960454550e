// `npm run demo`: scans examples/ with the bundled CLI, then shows what --fix changes as a
// diff, on a copy (examples/ stays as it is). Secret values are never printed: every
// value a no-hardcoded-secrets finding points at is masked in all output.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const cli = join(here, '..', 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'bulkhead-demo-'));
const copy = join(work, 'examples');
cpSync(here, copy, { recursive: true, filter: (p) => !p.endsWith('.mjs') });

const run = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8' });

// Collect secret values from the JSON report so they can be masked everywhere.
const secrets = new Set();
const json = JSON.parse(run(['examples', '--format', 'json', '--fail-on', 'never']).stdout);
for (const f of json.files) {
  const lines = readFileSync(join(work, f.path), 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (const x of f.findings) {
    if (x.rule !== 'no-hardcoded-secrets') continue;
    // a range over several lines (a private key block): each line's part of it
    for (let l = x.range.start.line; l <= x.range.end.line; l++) {
      const from = l === x.range.start.line ? x.range.start.character : 0;
      const to = l === x.range.end.line ? x.range.end.character : undefined;
      const v = lines[l].slice(from, to).trim();
      if (v.length >= 4) secrets.add(v);
    }
  }
}
const mask = (s) => [...secrets].reduce((t, v) => t.split(v).join('*'.repeat(8)), s);
const say = (s) => process.stdout.write(mask(s));

say('\n=== bulkhead examples/ ===\n\n');
say(run(['examples', '--fail-on', 'never']).stdout);

const before = join(work, 'before');
cpSync(copy, before, { recursive: true });
say('\n=== bulkhead --fix examples/ (what remains) ===\n\n');
say(run(['examples', '--fix', '--fail-on', 'never']).stdout);

// The counts, added up. One fix can clear more than one finding: the USER --fix adds to a
// Dockerfile also clears no-root-user on a Compose service that builds from it (files are
// fixed in order, so that service's own fix is then not needed).
const again = join(work, 'again');
cpSync(before, join(again, 'examples'), { recursive: true });
const fixedJson = JSON.parse(spawnSync(process.execPath, [cli, 'examples', '--fix', '--format', 'json', '--fail-on', 'never'], { cwd: again, encoding: 'utf8' }).stdout);
const key = (f, x) => `${f.path}\0${x.rule}\0${x.message}`;
const remaining = new Set(fixedJson.files.flatMap((f) => f.findings.map((x) => key(f, x))));
const gone = json.files.flatMap((f) => f.findings.filter((x) => !remaining.has(key(f, x))).map((x) => ({ path: f.path, ...x })));
const fixable = json.files.reduce((n, f) => n + f.findings.filter((x) => x.fixes.some((fix) => fix.preferred)).length, 0);
say(`\n=== the counts ===\n\n${json.summary.findings} findings, ${fixable} fixable; --fix applied ${fixedJson.summary.fixed} fixes and ${gone.length} findings went: ${fixedJson.summary.findings} remain.\n`);
if (gone.length > fixedJson.summary.fixed) {
  for (const x of gone) {
    const dockerfile = /its Dockerfile \(([^)]+)\)/.exec(x.message)?.[1];
    if (x.rule === 'no-root-user' && dockerfile) {
      say(`One fix cleared two findings: the USER that --fix added to ${posix.join(posix.dirname(x.path), dockerfile)} also cleared no-root-user on ${x.path}:${x.range.start.line + 1}, whose service builds from it.\n`);
    }
  }
}

say('\n=== what --fix changed ===\n\n');
for (const name of readdirSync(copy).sort()) {
  const d = spawnSync('diff', ['-u', '--label', `a/examples/${name}`, '--label', `b/examples/${name}`, join(before, name), join(copy, name)], { encoding: 'utf8' });
  if (d.error) {
    say(`(diff is not installed; compare ${before} with ${copy})\n`);
    break;
  }
  if (d.stdout) say(d.stdout);
}
for (const name of readdirSync(copy).filter((n) => !readdirSync(before).includes(n))) say(`(new file: examples/${name})\n`);

// Fixes for explicit dangerous settings (privileged, added capabilities, host namespaces...)
// are offered in the editor but never applied by --fix: list what remains to decide by hand.
say('\n=== offered in the editor, never applied by --fix ===\n\n');
const after = JSON.parse(run(['examples', '--format', 'json', '--fail-on', 'never']).stdout);
for (const f of after.files) {
  for (const x of f.findings) {
    const offered = x.fixes.filter((fix) => !fix.preferred);
    if (!offered.length || x.fixes.some((fix) => fix.preferred)) continue;
    say(`${f.path}:${x.range.start.line + 1}  ${x.rule}: ${offered.map((fix) => fix.title).join(' | ')}\n`);
  }
}
rmSync(work, { recursive: true, force: true });
