/**
 * CLI: a scan that reads what it needs once and analyses in worker threads (docs/cli.md,
 * "Big scans") reports exactly what a single thread reports: the same bytes in every format,
 * the same messages in the same order, the same exit code; each file's findings are those of
 * the file scanned alone; and a run that writes sees, file after file, what it wrote.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CLI, run, runJson, tmp, type JsonReport } from './helpers';
import { WORKER_MARK, type FromWorker, type ToWorker } from '../../server/src/cli/pool';
import { mergeConfig } from '../../server/src/core/config';

const ROOT_USER = 'FROM node:20\nUSER root\n';
const TREE = {
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.gitignore': 'ignored/\n',
  'ignored/Dockerfile': ROOT_USER,
  'Dockerfile': ROOT_USER,
  'bom/Dockerfile': '\uFEFFFROM alpine:3.20\r\nRUN curl -fsSL https://example.com/i.sh | sh\r\n',
  // the service's user comes from app/Dockerfile (a file read beside the one analysed)
  'app/Dockerfile': ROOT_USER,
  'app/compose.yaml': 'services:\n  web:\n    build: .\n    ports:\n      - "80:8080"\n',
  // deploy.yaml reads sa.yaml through the kustomization; patch.yaml is a patch it lists
  'k8s/kustomization.yaml': 'resources:\n  - sa.yaml\n  - deploy.yaml\npatches:\n  - patch.yaml\n',
  'k8s/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\nautomountServiceAccountToken: false\n',
  'k8s/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      serviceAccountName: app\n      containers:\n        - name: app\n          image: nginx:1.27\n',
  'k8s/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          securityContext:\n            privileged: true\n',
  'svc/.bulkhead.yaml': 'rules:\n  no-root-user: off\nignore:\n  - skip/**\nunknownKey: 1\n',
  'svc/Dockerfile': ROOT_USER,
  'svc/skip/Dockerfile': ROOT_USER,
  'notes.yaml': 'a: 1\n',
};
const WARNING = "bulkhead: warning: svc/.bulkhead.yaml:5:13: Unknown setting 'unknownKey' (ignored; invalid-config)\n";

const threads = (n: number) => ({ ...process.env, BULKHEAD_THREADS: String(n) });

describe('cli: a scan in worker threads', () => {
  test('the same bytes, messages and exit code with 1 and 3 threads, in every format', (t) => {
    const dir = tmp(t, TREE);
    const runs: [string[], number][] = [[['.'], 1], [['.', 'notes.yaml'], 1], [['app', 'k8s', 'Dockerfile'], 1], [['--fail-on', 'error', 'svc', 'bom'], 0]];
    for (const [args, status] of runs) {
      for (const format of ['text', 'json', 'sarif']) {
        const argv = [...args, '--format', format];
        const one = run(argv, { cwd: dir, env: threads(1) });
        const three = run(argv, { cwd: dir, env: threads(3) });
        assert.equal(one.status, status, `${argv.join(' ')}: ${one.stderr}`);
        assert.deepEqual(three, one, argv.join(' '));
        // the configuration's warning once, whichever thread analysed svc/Dockerfile
        if (args.includes('.') || args.includes('svc')) assert.equal(one.stderr, WARNING, argv.join(' '));
      }
    }
  });

  test('what was scanned, and what files beside a file told its analysis', (t) => {
    const dir = tmp(t, TREE);
    const r = runJson<JsonReport>(['--format', 'json', '.', 'notes.yaml'], { cwd: dir, env: threads(3) });
    assert.deepEqual(r.json.files.map((f) => [f.path, f.kind]), [
      ['Dockerfile', 'dockerfile'], ['app/Dockerfile', 'dockerfile'], ['app/compose.yaml', 'compose'], ['bom/Dockerfile', 'dockerfile'],
      ['k8s/deploy.yaml', 'kubernetes'], ['k8s/patch.yaml', 'kubernetes'], ['k8s/sa.yaml', 'kubernetes'], ['notes.yaml', 'unknown'], ['svc/Dockerfile', 'dockerfile'],
    ]);
    // notes.yaml is named (and found by the walk): listed once, as not analysed; kustomization.yaml is not a container file
    assert.deepEqual(r.json.summary, { files: 9, findings: 15, fixed: 0, skipped: 1 });
    const messages = (p: string) => r.json.files.find((f) => f.path === p)!.findings.map((x) => `${x.rule}: ${x.message}`);
    assert.ok(messages('app/compose.yaml').includes("no-root-user: Service 'web' runs as root: its Dockerfile (Dockerfile) runs as root"));
    // the ServiceAccount in sa.yaml turns the token off: deploy.yaml has no finding about it
    assert.ok(!messages('k8s/deploy.yaml').some((m) => m.startsWith('no-service-account-token')));
    // a patch is a partial object: only what it sets is judged
    assert.deepEqual(messages('k8s/patch.yaml').map((m) => m.split(':')[0]), ['no-privileged']);
    assert.deepEqual(messages('svc/Dockerfile'), []);
  });

  test("each file's findings are those of the file scanned alone", (t) => {
    const dir = tmp(t, TREE);
    const all = runJson<JsonReport>(['--format', 'json'], { cwd: dir, env: threads(3) });
    assert.equal(all.json.files.length, 8);
    for (const f of all.json.files) {
      const alone = runJson<JsonReport>(['--format', 'json', f.path], { cwd: dir, env: threads(1) });
      assert.deepEqual(alone.json.files, [f], f.path);
    }
  });

  test('a run that writes sees what it wrote: the second file\'s secret does not reuse the first one\'s .env name', (t) => {
    const pw = (n: string) => 'FAKE' + '-not-a-real-' + `pw-${n}`;
    const compose = (secret: string) => `services:\n  app:\n    image: myorg/app:1.2\n    environment:\n      DB_PASSWORD: ${secret}\n    read_only: true\n`;
    const dir = tmp(t, { '.git/HEAD': 'ref: refs/heads/main\n', 'a.yaml': compose(pw('7f3a')), 'b.yaml': compose(pw('9b2c')) });
    const r = run(['--fix', '--unsafe-fixes'], { cwd: dir, env: threads(3) });
    assert.equal(r.status, 0, r.stderr);
    const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    assert.ok(env === `DB_PASSWORD='${pw('7f3a')}'\nAPP_DB_PASSWORD='${pw('9b2c')}'\n`, '.env holds both values, each under its own name');
    assert.ok(fs.readFileSync(path.join(dir, 'b.yaml'), 'utf8').includes('DB_PASSWORD: ${APP_DB_PASSWORD}\n'));
  });

  test('the bundled CLI serves as the pool\'s worker: plain findings, fix titles and safety only', async () => {
    const worker = new Worker(CLI, { workerData: { mark: WORKER_MARK }, argv: [WORKER_MARK], stdout: true, stderr: true });
    try {
      const messages: FromWorker[] = [];
      const answered = new Promise<void>((resolve, reject) => {
        worker.on('message', (m: FromWorker) => {
          messages.push(m);
          if (m.type === 'results') resolve();
        });
        worker.on('error', reject);
        // a worker that took itself for a CLI run would scan and end: fail, never hang
        worker.on('exit', (code) => reject(new Error(`the worker ended (exit ${code}) without answering`)));
      });
      const jobs: ToWorker = {
        type: 'jobs',
        configs: [[0, mergeConfig()]],
        fixes: 'titles',
        jobs: [
          { id: 7, text: ROOT_USER, path: path.join(path.sep, 'nowhere', 'Dockerfile'), root: path.join(path.sep, 'nowhere'), config: 0 },
          { id: 9, text: 'a: 1\n', path: path.join(path.sep, 'nowhere', 'notes.yaml'), root: path.join(path.sep, 'nowhere'), config: 0 },
        ],
      };
      worker.postMessage(jobs);
      await answered;
      assert.deepEqual(messages, [
        { type: 'ready' },
        {
          type: 'results',
          results: [
            {
              id: 7,
              kind: 'dockerfile',
              findings: [{ rule: 'no-root-user', severity: 'warning', message: 'The final stage runs as root (USER root)', start: 18, end: 22, fixes: [{ title: 'Run as USER 10001:10001 (files the app needs must be readable by uid 10001)', preferred: true, edits: [] }] }],
            },
            { id: 9, kind: 'unknown', findings: [] },
          ],
        },
      ]);
    } finally {
      await worker.terminate();
    }
  });
});
