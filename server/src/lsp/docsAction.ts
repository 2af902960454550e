/**
 * "Show documentation for <rule>": a code action per finding that runs the client's
 * `bulkhead.showDocumentation` command with [ruleId] (the VS Code extension opens the page
 * installed with it, rendered in the Markdown preview). Offered only when that page is there.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { docsFile } from '../node/docs';

export const SHOW_DOCUMENTATION_COMMAND = 'bulkhead.showDocumentation';

export function showDocumentationAction(rule: string, diagnostic: Diagnostic): CodeAction[] {
  if (!docsFile(rule)) return [];
  const title = `Show documentation for ${rule}`;
  return [{ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SHOW_DOCUMENTATION_COMMAND, arguments: [rule] } }];
}
