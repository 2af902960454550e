// Test-only extension (see package.json): when the workspace has a .bulkhead-api-suite marker, runs
// suite.js (test/vscode/suite bundled by test/e2e/vscode.mjs) and writes the outcome to the file the
// marker names. The harness waits for that file.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

exports.activate = async function activate() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) return;
  const marker = path.join(folder.uri.fsPath, '.bulkhead-api-suite');
  if (!fs.existsSync(marker)) return;
  const resultFile = fs.readFileSync(marker, 'utf8').trim();
  const lines = [];
  let outcome;
  try {
    await require('./suite.js').runScenarios((line) => lines.push(line));
    outcome = { ok: true };
  } catch (e) {
    outcome = { ok: false, error: String((e && e.stack) || e) };
  }
  fs.writeFileSync(resultFile, JSON.stringify({ ...outcome, lines }, null, 2));
};

exports.deactivate = function deactivate() {};
