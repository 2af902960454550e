import { format } from 'node:util';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

/**
 * Writes each LSP message to a stream (stdout under `--stdio`) in one `write`: header and
 * body together. The library's stream writer writes the header, waits for that write to
 * finish, then writes the body, so every message wakes the client twice and a slow reader
 * can see the header alone. The framing is the same (`Content-Length` in bytes of the UTF-8
 * JSON body, CRLF CRLF), and messages leave in the order they are written.
 */
export class OneWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (e: Error) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let frame: string;
    try {
      const body = JSON.stringify(msg);
      frame = `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    } catch (e) {
      this.fireError(e as Error);
      return Promise.reject(e as Error);
    }
    return new Promise((resolve, reject) => {
      this.out.write(frame, 'utf8', (e?: Error | null) => {
        if (!e) return resolve();
        this.errors++;
        this.fireError(e, msg, this.errors);
        reject(e);
      });
    });
  }

  end(): void {
    this.out.end();
  }
}

/**
 * Under `--stdio`, stdout carries the protocol: anything printed through `console` goes to
 * stderr instead, which clients show as the server's log (the library's own stdio setup
 * sends it to the client's log; this one is used when the server passes its own streams).
 */
export function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.dir = (o: unknown) => toStderr(o);
  console.table = (o: unknown) => toStderr(o);
  console.trace = (...args: unknown[]) => toStderr('Trace:', ...args, new Error().stack?.split('\n').slice(2).join('\n') ?? '');
}
