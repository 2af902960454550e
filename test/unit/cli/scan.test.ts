/**
 * What one CLI run reads once (node/scanFiles.ts, the ConfigCache) and the analysis pool
 * (cli/pool.ts): the same answers as the plain reads, with fewer look-ups; the pool's results
 * equal the main thread's whichever thread ran them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScanFiles } from '../../../server/src/node/scanFiles';
import { readRegularFile, diskWorkspace } from '../../../server/src/node/files';
import { ConfigCache, findConfigFile } from '../../../server/src/node/config';
import { walk } from '../../../server/src/cli/walk';
import { AnalysisPool, PARALLEL_MIN_FILES, threadCount, wireFinding, type Job } from '../../../server/src/cli/pool';
import { engine } from '../../../server/src/rules';
import { mergeConfig } from '../../../server/src/core/config';

function scratch(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-scan-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const MANIFEST = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n';

describe('ScanFiles', () => {
  test('a run that writes nothing: a file beside another is read from the disk once; one the walk did not list, never', (t) => {
    const dir = scratch(t, { 'k8s/a.yaml': MANIFEST, 'k8s/b.yaml': MANIFEST, 'k8s/kustomization.yaml': 'resources:\n  - a.yaml\n' });
    const files = new ScanFiles(true);
    walk(dir, () => null, (d, names) => files.noteListing(d, names));
    const plain = diskWorkspace(path.join(dir, 'k8s/a.yaml'), dir);
    for (const name of ['a.yaml', 'b.yaml']) {
      const ws = files.workspace(path.join(dir, 'k8s', name), dir);
      for (const rel of ['kustomization.yaml', 'kustomization.yml', 'Kustomization', '../k8s/a.yaml', 'missing/x.yaml']) {
        assert.equal(ws.read(rel), plain.read(rel), rel);
        assert.equal(ws.exists!(rel), plain.exists!(rel), `exists ${rel}`);
      }
    }
    // 5 paths, asked for by 2 files: the disk answers each path once (and a path in a folder
    // the walk listed, missing from the listing, not at all)
    assert.deepEqual(files.stats, { diskReads: 5, cachedReads: 5, listedMissing: 2, walkedReads: 0 });
  });

  test('a run that writes: every read goes to the disk and sees what was written meanwhile', (t) => {
    const dir = scratch(t, { 'a.yaml': MANIFEST });
    const files = new ScanFiles(false);
    walk(dir, () => null, (d, names) => files.noteListing(d, names));
    const ws = files.workspace(path.join(dir, 'a.yaml'), dir);
    assert.equal(ws.read('.env'), undefined);
    assert.equal(ws.exists!('.env'), false);
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    assert.equal(ws.read('.env'), 'A=1\n');
    assert.equal(ws.exists!('.env'), true);
    assert.deepEqual(files.stats, { diskReads: 2, cachedReads: 0, listedMissing: 0, walkedReads: 0 });
  });

  test('a file the walk found is read without looking where it leads again; one replaced by a link since is refused as before', (t) => {
    const outside = scratch(t, { 'secret.yaml': MANIFEST });
    const dir = scratch(t, { 'a.yaml': MANIFEST, 'b.yaml': MANIFEST, 'sub/c.yaml': MANIFEST });
    const files = new ScanFiles(true);
    const found = walk(dir, () => null, (d, names) => files.noteListing(d, names));
    files.noteWalk(dir, dir, found);
    fs.rmSync(path.join(dir, 'b.yaml'));
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'b.yaml'));
    const results = found.map((f) => files.read(f, { root: dir }));
    assert.deepEqual(results.map((r) => (r.ok ? r.text === MANIFEST : r.reason)), [true, 'outside-root', true]);
    assert.deepEqual(found.map((f) => readRegularFile(f, { root: dir })).map((r) => (r.ok ? r.text === MANIFEST : r.reason)), [true, 'outside-root', true]);
    assert.equal(files.stats.walkedReads, 2);
  });

  test('a walked folder that is a link out of the root: its files are refused, as readRegularFile refuses them', (t) => {
    const outside = scratch(t, { 'x.yaml': MANIFEST });
    const dir = scratch(t, {});
    fs.symlinkSync(outside, path.join(dir, 'linked'));
    const files = new ScanFiles(true);
    const start = path.join(dir, 'linked');
    const found = walk(start, () => null, (d, names) => files.noteListing(d, names));
    files.noteWalk(start, dir, found);
    assert.deepEqual(found, [path.join(start, 'x.yaml')]);
    assert.deepEqual(files.read(found[0], { root: dir }), { ok: false, reason: 'outside-root' });
    assert.equal(files.stats.walkedReads, 0);
  });
});

describe('ConfigCache', () => {
  test('the nearest configuration of every folder, as findConfigFile finds it, each folder looked at once', (t) => {
    const dir = scratch(t, { '.bulkhead.yaml': 'preset: strict\n', 'a/b/c/x': '', 'a/b/d/x': '', 'e/.bulkhead.yml': 'preset: baseline\n', 'e/f/x': '' });
    const asked: string[] = [];
    const cache = new ConfigCache((f) => {
      asked.push(f);
      return true;
    });
    const dirs = ['a/b/c', 'a/b/d', 'a/b', 'a', '.', 'e/f', 'e'].map((d) => path.join(dir, d));
    for (const d of dirs) assert.equal(cache.nearestFile(d), findConfigFile(d), d);
    // .bulkhead.yaml then .bulkhead.yml, once per folder until one is found
    const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
    assert.deepEqual(asked.map(rel), [
      'a/b/c/.bulkhead.yaml', 'a/b/c/.bulkhead.yml', 'a/b/.bulkhead.yaml', 'a/b/.bulkhead.yml', 'a/.bulkhead.yaml', 'a/.bulkhead.yml', '.bulkhead.yaml',
      'a/b/d/.bulkhead.yaml', 'a/b/d/.bulkhead.yml',
      'e/f/.bulkhead.yaml', 'e/f/.bulkhead.yml', 'e/.bulkhead.yaml', 'e/.bulkhead.yml',
    ]);
    assert.equal(cache.nearest(path.join(dir, 'a/b/c')), cache.nearest(path.join(dir, 'a')), 'one loaded file, one object');
  });

  test('a folder listing without a configuration file name: no look-up there', (t) => {
    const dir = scratch(t, { '.bulkhead.yaml': 'preset: strict\n', 'a/b/x': '' });
    const files = new ScanFiles(true);
    walk(dir, () => null, (d, names) => files.noteListing(d, names));
    const looked: string[] = [];
    const cache = new ConfigCache((f) => {
      const may = files.mayExist(f);
      if (may) looked.push(path.relative(dir, f));
      return may;
    });
    assert.equal(cache.nearestFile(path.join(dir, 'a/b')), path.join(dir, '.bulkhead.yaml'));
    assert.deepEqual(looked, ['.bulkhead.yaml']);
  });
});

describe('threadCount', () => {
  test('one analysing thread per 2 CPUs, from PARALLEL_MIN_FILES files; BULKHEAD_THREADS decides when set', () => {
    const cases: [files: number, env: NodeJS.ProcessEnv, cpus: number, threads: number][] = [
      [5000, {}, 1, 1],
      [5000, {}, 2, 1],
      [5000, {}, 3, 1],
      [5000, {}, 4, 2],
      [5000, {}, 8, 4],
      [5000, {}, 64, 4],
      [PARALLEL_MIN_FILES - 1, {}, 8, 1],
      [PARALLEL_MIN_FILES, {}, 8, 4],
      [3, { BULKHEAD_THREADS: '3' }, 2, 3],
      [5000, { BULKHEAD_THREADS: '1' }, 8, 1],
      [5000, { BULKHEAD_THREADS: '0' }, 8, 1],
      [5000, { BULKHEAD_THREADS: 'many' }, 8, 4],
    ];
    for (const [files, env, cpus, threads] of cases) assert.equal(threadCount(files, env, cpus), threads, JSON.stringify({ files, env, cpus }));
  });
});

describe('AnalysisPool', () => {
  /** The compiled CLI entry: in a worker thread it serves the pool. */
  const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'cli.js');
  const config = mergeConfig();
  const texts: [string, string][] = [
    ['Dockerfile', 'FROM node:20\nUSER root\n'],
    ['compose.yaml', 'services:\n  app:\n    image: nginx:1.27\n    privileged: true\n'],
    ['pod.yaml', MANIFEST],
    ['notes.yaml', 'a: 1\n'],
    ['bom.Dockerfile', '\uFEFFFROM alpine:3.20\r\nRUN curl https://x.example/i.sh | sh\r\n'],
  ];

  async function runPool(t: { after: (fn: () => void) => void }, script: string, fixes: 'none' | 'titles') {
    const dir = scratch(t, {});
    const jobs: Job[] = texts.map(([name, text]) => ({ text, path: path.join(dir, name), root: dir, config }));
    const local = (j: Job) => engine.analyze({ text: j.text, path: j.path, workspace: diskWorkspace(j.path, j.root) }, j.config);
    const pool = new AnalysisPool(local, fixes, script, 1);
    await pool.whenReady();
    const results = jobs.map((j) => pool.submit(j));
    await pool.drain();
    const expected = jobs.map((j) => {
      const r = local(j);
      return { kind: r.kind, findings: r.findings.map((f) => wireFinding(f, fixes)) };
    });
    const got = (await Promise.all(results)).map((r) => ({ kind: r.kind, findings: r.findings.map((f) => wireFinding(f, fixes)) }));
    return { pool, got, expected };
  }

  test('results in the order submitted, equal to the main thread analysing each file, a worker having done some', async (t) => {
    for (const fixes of ['titles', 'none'] as const) {
      const { pool, got, expected } = await runPool(t, SCRIPT, fixes);
      assert.deepEqual(got, expected, fixes);
      assert.ok(expected.some((r) => r.findings.length > 0), 'the files have findings');
      if (fixes === 'titles') assert.ok(expected.some((r) => r.findings.some((f) => f.fixes.length > 0)), 'and fixes');
      assert.ok(pool.stats.workers >= 1, `a worker analysed ${pool.stats.workers} files`);
      assert.equal(pool.stats.main + pool.stats.workers, texts.length);
      assert.equal(pool.stats.failedWorkers, 0);
    }
  });

  test('a worker that fails: the main thread does its jobs, and the results are the same', async (t) => {
    const dir = scratch(t, { 'broken.js': "throw new Error('broken worker');\n" });
    const { pool, got, expected } = await runPool(t, path.join(dir, 'broken.js'), 'titles');
    assert.deepEqual(got, expected);
    assert.equal(pool.stats.failedWorkers, 1);
    assert.equal(pool.stats.workers, 0);
    assert.equal(pool.stats.main, texts.length);
  });
});
