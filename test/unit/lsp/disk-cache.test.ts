// The diagnostics path reads other files through DiskCache (issue 16): after the first read a
// keystroke never touches the disk; a file-watch event (drop) or, for clients that cannot
// watch, the maximum age makes the next read fresh. Code actions read the disk directly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { DiskCache, workspaceView } from '../../../server/src/lsp/roots';

function folder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-disk-cache-'));
}

describe('DiskCache', () => {
  test('reads a file once, until it is dropped', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    const cache = new DiskCache();
    const ws = workspaceView(URI.file(path.join(dir, 'compose.yaml')), dir, () => undefined, cache);
    const seen: [string | undefined, boolean, boolean, number][] = [];
    for (let i = 0; i < 5; i++) seen.push([ws.read('.env'), ws.exists!('.env'), ws.exists!('.secrets/x'), cache.reads]);
    assert.deepEqual(seen, Array(5).fill(['A=1\n', true, false, 3]));
    fs.writeFileSync(path.join(dir, '.env'), 'A=2\n');
    assert.equal(ws.read('.env'), 'A=1\n'); // not yet told
    assert.equal(cache.drop([path.join(dir, '.env')]), true);
    assert.equal(cache.drop([path.join(dir, 'other.yaml')]), false); // never read: nothing to redo
    assert.equal(ws.read('.env'), 'A=2\n');
    assert.equal(cache.reads, 4);
    fs.rmSync(dir, { recursive: true });
  });

  test('without file events, an entry older than maxAgeMs is read again', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM a\n');
    const cache = new DiskCache();
    let now = 1000;
    cache.now = () => now;
    cache.maxAgeMs = 3000;
    const ws = workspaceView(URI.file(path.join(dir, 'compose.yaml')), dir, () => undefined, cache);
    assert.equal(ws.read('Dockerfile'), 'FROM a\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM b\n');
    now += 3000;
    assert.equal(ws.read('Dockerfile'), 'FROM a\n');
    now += 1;
    assert.equal(ws.read('Dockerfile'), 'FROM b\n');
    assert.equal(cache.reads, 2);
    fs.rmSync(dir, { recursive: true });
  });

  test('an open copy wins over the cache; nothing outside the root is read', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM disk\n');
    const cache = new DiskCache();
    const open = URI.file(path.join(dir, 'Dockerfile')).toString();
    const ws = workspaceView(URI.file(path.join(dir, 'compose.yaml')), dir, (u) => (u === open ? 'FROM open\n' : undefined), cache);
    assert.deepEqual([ws.read('Dockerfile'), ws.read('../../etc/passwd'), cache.reads, cache.size], ['FROM open\n', undefined, 0, 0]);
    fs.rmSync(dir, { recursive: true });
  });
});
