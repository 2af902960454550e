// OneWriteStream (lsp/stdioWriter.ts): under --stdio each LSP message reaches stdout in one
// write, with exactly the bytes the library's writer frames; console output goes to stderr.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { StreamMessageWriter, type Message } from 'vscode-languageserver/node';
import { OneWriteStream } from '../../../server/src/lsp/stdioWriter';

/** A stdout stand-in that keeps each write's bytes. */
function sink(): { stream: Writable; writes: Buffer[] } {
  const writes: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, writes };
}

const MESSAGES: Message[] = [
  { jsonrpc: '2.0', id: 1, result: { capabilities: {} } } as Message,
  { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///d/Dockerfile', diagnostics: [{ message: 'ünïcödé — 🐳 root' }] } } as Message,
  { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x'.repeat(70_000) } } as Message,
];

async function through(stream: NodeJS.WritableStream): Promise<void> {
  const writer = new StreamMessageWriter(stream);
  for (const m of MESSAGES) await writer.write(m);
}

describe('OneWriteStream', () => {
  test("each message of the library's writer is one write, byte for byte what the writer frames", async () => {
    const direct = sink();
    await through(direct.stream);
    // the library's own writer: header and body are separate writes
    assert.equal(direct.writes.length, 2 * MESSAGES.length);
    const joined = sink();
    await through(new OneWriteStream(joined.stream));
    assert.equal(joined.writes.length, MESSAGES.length);
    assert.deepEqual(Buffer.concat(joined.writes), Buffer.concat(direct.writes));
    for (const [i, w] of joined.writes.entries()) {
      const text = w.toString('utf8');
      const m = /^Content-Length: (\d+)\r\n\r\n/.exec(text);
      assert.ok(m, `write ${i} starts with its header`);
      const body = w.subarray(Buffer.byteLength(m[0]));
      assert.equal(body.length, Number(m[1]), 'Content-Length counts the body in bytes');
      assert.deepEqual(JSON.parse(body.toString('utf8')), MESSAGES[i]);
    }
  });

  test('a chunk that is not a header passes through at once, as it is', async () => {
    const out = sink();
    const s = new OneWriteStream(out.stream);
    await new Promise<void>((r) => s.write('not a header\r\n\r\n', () => r()));
    assert.deepEqual(out.writes.map(String), ['not a header\r\n\r\n']);
    await new Promise<void>((r) => s.write(Buffer.from('Content-Length: 2\r\n\r\n'), () => r()));
    assert.equal(out.writes.length, 1, 'a header waits for its body');
    await new Promise<void>((r) => s.write('{}', () => r()));
    assert.deepEqual(out.writes.map(String), ['not a header\r\n\r\n', 'Content-Length: 2\r\n\r\n{}']);
  });

  test('ending the stream writes a header still waiting for its body', async () => {
    const out = sink();
    const s = new OneWriteStream(out.stream);
    s.write('Content-Length: 9\r\n\r\n');
    await new Promise<void>((r) => s.end(() => r()));
    assert.deepEqual(out.writes.map(String), ['Content-Length: 9\r\n\r\n']);
  });

  test("an error on stdout is the stream's error", async () => {
    const out = new Writable({ write: (_c, _e, done) => done(new Error('EPIPE')) });
    out.on('error', () => {});
    const s = new OneWriteStream(out);
    const failed = new Promise<Error>((r) => s.on('error', r));
    s.write('{"jsonrpc":"2.0"}');
    assert.equal((await failed).message, 'EPIPE');
  });
});

describe('keepStdoutForProtocol', () => {
  test('console output goes to stderr, stdout stays empty for the protocol', () => {
    const mod = path.resolve(__dirname, '../../../server/src/lsp/stdioWriter.js');
    const script = `require(${JSON.stringify(mod)}).keepStdoutForProtocol(); console.log('log %d', 1); console.info({ a: 1 }); console.debug('debug'); console.dir([2]); console.table('t'); console.count(); console.group('g'); console.log('in'); console.groupEnd();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "log 1\n{ a: 1 }\ndebug\n[ 2 ]\nt\ndefault: 1\ng\n  in\n");
  });
});
