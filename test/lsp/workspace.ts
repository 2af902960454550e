/** Temporary folders on disk for LSP tests, with file URIs as the server spells them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { after, before } from 'node:test';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol/node';
import { TestClient, type StartOptions } from './client';

export class TempWorkspace {
  readonly dir: string;

  constructor(prefix = 'bulkhead-lsp-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  uri(name: string): string {
    return URI.file(this.path(name)).toString();
  }

  write(name: string, text: string): string {
    const p = this.path(name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return this.uri(name);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** A compact view of diagnostics for clear assertion failures. */
export function summary(ds: Diagnostic[]): { code: unknown; severity: unknown; range: Range }[] {
  return ds.map((d) => ({ code: d.code, severity: d.severity, range: d.range }));
}

export const ROOT_DOCKERFILE = 'FROM node:20\nUSER root\nCMD ["node"]\n';
export const FIXED_DOCKERFILE = 'FROM node:20\nUSER 10001:10001\nCMD ["node"]\n';
export const FIX_TITLE = 'Run as USER 10001:10001 (files the app needs must be readable by uid 10001)';
export const ROOT_MESSAGE = 'The final stage runs as root (USER root)';

/**
 * A language server and a temporary workspace for the tests of one `describe` block: started
 * before its first test (`options` may use the workspace, e.g. for `rootUri`), stopped and
 * removed after its last. `set` hands both to the block's variables.
 */
export function serverPerSuite(set: (client: TestClient, ws: TempWorkspace) => void, options: (ws: TempWorkspace) => StartOptions = () => ({})): void {
  let client: TestClient | undefined;
  let ws: TempWorkspace | undefined;
  before(async () => {
    ws = new TempWorkspace();
    client = await TestClient.start(options(ws));
    set(client, ws);
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });
}
