import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { BulkheadStatus } from './status';
import { showDocumentation } from './docs';
import { registerContainerCommands } from './containers';
import { SERVER_NODE_FLAGS, serverEnv } from './serverFlags';

let client: LanguageClient | undefined;

const DOCKERFILE_PATTERN = '**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,*.dockerfile,*.Dockerfile,*.containerfile}';

/** Thin client: start the server over IPC and pass settings through; no analysis here. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  // the client adds `env` to the extension host's environment (process.env) for the server
  const env = serverEnv(process.env);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'], env } },
  };
  const schemes = ['file', 'untitled'];
  const documentSelector = [
    ...schemes.map((scheme) => ({ scheme, language: 'dockerfile' })),
    ...schemes.map((scheme) => ({ scheme, language: 'dockercompose' })),
    ...schemes.map((scheme) => ({ scheme, language: 'yaml' })),
    { scheme: 'file', pattern: DOCKERFILE_PATTERN },
    { scheme: 'file', pattern: '**/*.{yaml,yml}' },
    { scheme: 'file', pattern: '**/.bulkhead.{yaml,yml}' },
  ];
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    synchronize: { configurationSection: 'bulkhead' },
    // trusted: false in Restricted Mode, where a workspace .bulkhead.yaml may only make the analysis stricter
    initializationOptions: { settings: vscode.workspace.getConfiguration('bulkhead'), trusted: vscode.workspace.isTrusted },
  };
  client = new LanguageClient('bulkhead', 'Bulkhead', serverOptions, clientOptions);
  const status = new BulkheadStatus(() => client, documentSelector);
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand('bulkhead.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('bulkhead.showOutput', () => client?.outputChannel.show()),
    vscode.commands.registerCommand('bulkhead.showDocumentation', (ruleId?: unknown) => showDocumentation(context, ruleId)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification('bulkhead/didGrantTrust');
      status.refresh();
    }),
  );
  registerContainerCommands(context, () => client);
  await client.start();
  status.refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
