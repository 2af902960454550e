import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerContainerCommands } from './containers';

let client: LanguageClient | undefined;

const DOCKERFILE_PATTERN = '**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,*.dockerfile,*.Dockerfile,*.containerfile}';

/** Thin client: start the server over IPC and pass settings through; no analysis here. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const schemes = ['file', 'untitled'];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...schemes.map((scheme) => ({ scheme, language: 'dockerfile' })),
      ...schemes.map((scheme) => ({ scheme, language: 'dockercompose' })),
      ...schemes.map((scheme) => ({ scheme, language: 'yaml' })),
      { scheme: 'file', pattern: DOCKERFILE_PATTERN },
      { scheme: 'file', pattern: '**/*.{yaml,yml}' },
      { scheme: 'file', pattern: '**/.bulkhead.{yaml,yml}' },
    ],
    synchronize: { configurationSection: 'bulkhead' },
    initializationOptions: { settings: vscode.workspace.getConfiguration('bulkhead') },
  };
  client = new LanguageClient('bulkhead', 'Bulkhead', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('bulkhead.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('bulkhead.showOutput', () => client?.outputChannel.show()),
  );
  registerContainerCommands(context, () => client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
