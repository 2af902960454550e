#!/usr/bin/env node
// The LSP round-trip floor for `npm run bench`: a language server that does no work. It keeps
// the open documents (as every server does) and answers each open and change at once with an
// empty publishDiagnostics for that version. Started like Bulkhead's server (same Node flags,
// --stdio), its edit->diagnostics times are what the transport, the library and this machine
// cost before any analysis. Usage: node bench/echo-server.js --stdio
'use strict';
const { createConnection, TextDocuments } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: 2 } }));
documents.onDidChangeContent((e) => {
  void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: [] });
});
documents.listen(connection);
connection.listen();
