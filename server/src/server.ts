import { appendFileSync } from 'node:fs';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { connectionStrategy, startServer } from './lsp';
import { keepStdoutForProtocol, OneWriteStream } from './lsp/stdioWriter';

// BULKHEAD_SERVER_TRACE_FILE: append one line per LSP message (method and id only, never
// content) over the IPC transport; the real-editor tests set it to find slow starts.
const traceFile = process.env.BULKHEAD_SERVER_TRACE_FILE;
if (traceFile) {
  const note = (line: string) => {
    try {
      appendFileSync(traceFile, `${new Date().toISOString()} ${process.pid} ${line}\n`);
    } catch {
      // tracing must never break the server
    }
  };
  note(`start ${process.argv.slice(2).join(' ')}`);
  const brief = (m: unknown) => {
    const o = (m ?? {}) as { method?: string; id?: unknown };
    return `${o.method ?? 'response'}${o.id !== undefined ? ` #${String(o.id)}` : ''}`;
  };
  process.on('message', (m) => note(`in  ${brief(m)}`));
  const send = process.send?.bind(process);
  if (send) process.send = ((m: unknown, ...rest: unknown[]) => (note(`out ${brief(m)}`), (send as (...a: unknown[]) => boolean)(m, ...rest))) as typeof process.send;
  process.on('exit', (code) => note(`exit ${code}`));
}

// The transport (--stdio, --node-ipc, --socket=N, --pipe=NAME) comes from the command line.
// Over stdio each message leaves in one write (lsp/stdioWriter.ts); the library sets up the others.
const stdio = process.argv.slice(2).find((a) => ['--stdio', '--node-ipc', '--socket', '--pipe'].includes(a.split('=')[0])) === '--stdio';
if (stdio) keepStdoutForProtocol();
startServer(
  stdio
    ? createConnection(ProposedFeatures.all, process.stdin, new OneWriteStream(process.stdout), connectionStrategy)
    : createConnection(ProposedFeatures.all, connectionStrategy),
);
