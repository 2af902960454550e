import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { connectionStrategy, startServer } from './lsp';

// The transport (--stdio, --node-ipc, --socket=N, --pipe=NAME) comes from the command line.
startServer(createConnection(ProposedFeatures.all, connectionStrategy));
