/** Progress on stderr: only on a terminal, only for scans of more than PROGRESS_MIN_FILES files. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { Progress, PROGRESS_MIN_FILES } from '../../../server/src/cli/progress';
import { runCli } from '../../../server/src/cli/main';

function sink(isTTY: boolean): { isTTY: boolean; text: string; write(s: string): boolean } {
  return { isTTY, text: '', write(s: string) { this.text += s; return true; } };
}

describe('Progress', () => {
  test('a terminal and more than the threshold: one line per percent, erased at the end', () => {
    const s = sink(true);
    const p = new Progress(s, 400);
    for (let i = 0; i < 8; i++) p.tick();
    p.clear();
    assert.equal(s.text, '\r\x1b[Kbulkhead: scanning 1/400 files (0%)\r\x1b[Kbulkhead: scanning 4/400 files (1%)\r\x1b[Kbulkhead: scanning 8/400 files (2%)\r\x1b[K');
  });

  test('not a terminal, or a small scan: nothing at all', () => {
    for (const [tty, total] of [[false, 5000], [true, PROGRESS_MIN_FILES]] as const) {
      const s = sink(tty);
      const p = new Progress(s, total);
      for (let i = 0; i < total; i++) p.tick();
      p.clear();
      assert.equal(s.text, '', `tty ${tty}, ${total} files`);
    }
  });
});

describe('runCli: progress of a big scan', () => {
  const many = PROGRESS_MIN_FILES + 1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-progress-'));
  for (let i = 0; i < many; i++) {
    fs.mkdirSync(path.join(dir, `s${i}`));
    fs.writeFileSync(path.join(dir, `s${i}`, 'Dockerfile'), 'FROM node:20\nUSER 1000\n');
  }

  async function scan(tty: boolean): Promise<{ code: number; err: string; out: string }> {
    const err = sink(tty);
    const out = sink(false);
    const code = await runCli([], { cwd: dir, stdout: out as unknown as NodeJS.WritableStream, stderr: err as unknown as NodeJS.WritableStream, stdin: new PassThrough() });
    return { code, err: err.text, out: out.text };
  }

  test('on a terminal: progress lines, ending erased, the report untouched on stdout', async (t) => {
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const r = await scan(true);
    assert.equal(r.code, 0);
    const updates = r.err.split('\r\x1b[K').filter(Boolean);
    assert.equal(updates[0], `bulkhead: scanning 1/${many} files (0%)`);
    assert.equal(updates[updates.length - 1], `bulkhead: scanning ${many}/${many} files (100%)`);
    assert.equal(updates.length, 101, 'one line per percent');
    assert.ok(r.err.endsWith('\r\x1b[K'), 'the line is erased at the end');
    assert.equal(r.out, `No findings in ${many} files\n`);
    const piped = await scan(false);
    assert.equal(piped.err, '', 'never in a pipe or a log');
    assert.equal(piped.out, r.out);
  });
});
