/** CLI piped into a reader that stops early (`bulkhead | head`): no EPIPE crash, no stack trace (issue 11 item 9). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CLI, ROOT_USER, tmp, writeFiles } from './helpers';

/** Runs the CLI, closes its stdout after the first chunk, and resolves with its exit code and stderr. */
function runClosingEarly(args: string[], cwd: string, input = ''): Promise<{ code: number | null; signal: string | null; stderr: string; read: number }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr += s));
    child.stdout.once('data', (b: Buffer) => {
      read = b.length;
      child.stdout.destroy(); // as `head -c` does once it has enough
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, read }));
    child.stdin.end(input);
  });
}

describe('cli: a reader that closes the pipe early', () => {
  test('many files, JSON report larger than the pipe: exits with the findings exit code, quietly', async (t) => {
    const dir = tmp(t);
    const files: Record<string, string> = {};
    for (let i = 0; i < 800; i++) files[path.join(`svc${i}`, 'Dockerfile')] = ROOT_USER;
    writeFiles(dir, files);
    const r = await runClosingEarly(['--format', 'json'], dir);
    assert.ok(r.read > 0, 'something was read before closing');
    assert.deepEqual({ code: r.code, signal: r.signal, stderr: r.stderr }, { code: 1, signal: null, stderr: '' });
  });

  test('--stdin-filename --fix writing a large fixed text to stdout: exit 0, nothing on stderr but the report', async (t) => {
    const dir = tmp(t);
    const text = ROOT_USER + '# a long comment line that makes the fixed text larger than any pipe buffer\n'.repeat(20000);
    const r = await runClosingEarly(['--stdin-filename', 'Dockerfile', '--fix'], dir, text);
    assert.deepEqual({ code: r.code, signal: r.signal, stderr: r.stderr }, { code: 0, signal: null, stderr: 'No findings in 1 file\nFixed 1 finding\n' });
  });
});
