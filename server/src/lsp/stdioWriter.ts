import { Console } from 'node:console';
import { Writable } from 'node:stream';

const HEADER = Buffer.from('Content-Length: ');
const END = Buffer.from('\r\n\r\n');

/**
 * The stream the server writes LSP messages to under `--stdio`: each message reaches stdout in
 * one `write`. The library's writer writes a message's header, waits for that write to finish,
 * then writes the body, so every message woke the client twice (and a slow reader could see
 * the header alone). This stream takes a chunk that is a header only (`Content-Length: …`
 * CRLF CRLF) as written at once, and writes it together with the next chunk, its body. Any
 * other chunk passes through as it is, in order; the bytes on stdout are the same.
 */
export class OneWriteStream extends Writable {
  private header: Buffer | null = null;

  constructor(private readonly out: NodeJS.WritableStream) {
    super({ decodeStrings: true });
    out.on('error', (e: Error) => this.destroy(e));
    out.on('close', () => this.destroy());
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.header === null && isHeader(chunk)) {
      this.header = chunk;
      done();
      return;
    }
    const data = this.header ? Buffer.concat([this.header, chunk]) : chunk;
    this.header = null;
    this.out.write(data, (e?: Error | null) => done(e));
  }

  override _final(done: (error?: Error | null) => void): void {
    const rest = this.header;
    this.header = null;
    if (rest) this.out.write(rest, (e?: Error | null) => done(e));
    else done();
  }
}

function isHeader(chunk: Buffer): boolean {
  return chunk.length <= 256 && chunk.subarray(0, HEADER.length).equals(HEADER) && chunk.subarray(chunk.length - END.length).equals(END);
}

/**
 * Under `--stdio`, stdout carries the protocol: every `console` method writes to stderr
 * instead, which clients show as the server's log (the library's own stdio setup sends it to
 * the client's log; this one is used when the server passes its own streams).
 */
export function keepStdoutForProtocol(): void {
  Object.assign(console, new Console({ stdout: process.stderr, stderr: process.stderr }));
}
