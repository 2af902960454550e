import * as path from 'node:path';
import { URI } from 'vscode-uri';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextDocumentEdit,
  type CreateFile,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, FixAllResult } from '../core/engine';
import type { FileRequest, Finding, Fix, TextEdit } from '../core/types';
import { readRegularFile, sideFileProblem } from '../node/files';
import { ClientPositions, type FindingData } from './convert';
import { showDocumentationAction } from './docsAction';

export const FIX_ALL_KIND = 'source.fixAll.bulkhead';

export interface ClientEditSupport {
  documentChanges: boolean;
  createFiles: boolean;
  /** The folder a document's side files must stay in (its workspace folder); default: its own folder. */
  rootOf?: (file: string) => string;
}

function docEdit(doc: TextDocument, edits: { range: TextDocumentEdit['edits'][number]['range']; newText: string }[], support: ClientEditSupport): WorkspaceEdit {
  if (support.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
  }
  return { changes: { [doc.uri]: edits } };
}

/**
 * Turns a fix's requests for other files into resource operations and edits; null (no such
 * fix) when one would leave the document's folder, go through a link out of the workspace,
 * or replace something that is not a regular file (a FIFO is never read, never waited on).
 */
function fileOperations(doc: TextDocument, files: FileRequest[], support: ClientEditSupport): (CreateFile | TextDocumentEdit)[] | null {
  const docUri = URI.parse(doc.uri);
  if (docUri.scheme !== 'file') return null;
  const dir = path.dirname(docUri.fsPath);
  const root = support.rootOf?.(docUri.fsPath) ?? dir;
  const ops: (CreateFile | TextDocumentEdit)[] = [];
  for (const r of files) {
    const target = path.resolve(dir, r.path);
    if (sideFileProblem(target, dir, root)) return null;
    const uri = URI.file(target).toString();
    const read = readRegularFile(target, { root });
    if (!read.ok && read.reason !== 'missing') return null;
    if (read.ok && read.truncated) return null;
    const current: string | null = read.ok ? read.text : null;
    if (current !== null && r.kind === 'create') continue;
    if (current !== null && r.unlessLine !== undefined && current.split(/\r?\n/).includes(r.unlessLine)) continue;
    if (current === null) {
      ops.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
      ops.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: r.text }] });
    } else {
      const lines = current.split(/\r\n|\r|\n/);
      const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const sep = current.length > 0 && !/[\r\n]$/.test(current) ? '\n' : '';
      ops.push({ textDocument: { uri, version: null }, edits: [{ range: { start: end, end }, newText: sep + r.text }] });
    }
  }
  return ops;
}

function fixEdit(doc: TextDocument, pos: ClientPositions, fix: Fix, support: ClientEditSupport): WorkspaceEdit | null {
  const edits = fix.edits.map((e) => pos.edit(e));
  if (fix.files?.length) {
    if (!support.createFiles || !support.documentChanges) return null;
    const ops = fileOperations(doc, fix.files, support);
    if (!ops) return null;
    return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }, ...ops] };
  }
  return docEdit(doc, edits, support);
}

/** The ignore comment for a finding: on the line above it, merged into one already there. */
export function ignoreLineEdit(result: AnalysisResult, f: Finding): TextEdit {
  const { index, text } = result;
  const line = index.positionAt(f.start).line;
  if (line > 0) {
    const above = index.lineText(line - 1);
    const m = /^(\s*#\s*bulkhead-ignore(?!-file)[ \t]+)([A-Za-z0-9_,\- \t]*?)([ \t]+--.*)?$/.exec(above);
    if (m) {
      const at = index.lineStart(line - 1) + m[1].length + m[2].length;
      return { start: at, end: at, text: `,${f.rule}` };
    }
  }
  const start = index.lineStart(line);
  const indent = /^[ \t]*/.exec(text.slice(start, index.lineEnd(line)))?.[0] ?? '';
  return { start, end: start, text: `${indent}# bulkhead-ignore ${f.rule}${index.eol}` };
}

export function ignoreFileEdit(result: AnalysisResult, f: Finding): TextEdit {
  let at = 0;
  if (result.kind === 'dockerfile') {
    // Never above parser directives: directly after them.
    const m = /^(?:[ \t]*#[ \t]*(?:syntax|escape|check)[ \t]*=[^\r\n]*(?:\r\n|\r|\n))+/i.exec(result.text);
    if (m) at = m[0].length;
  }
  return { start: at, end: at, text: `# bulkhead-ignore-file ${f.rule}${result.index.eol}` };
}

/**
 * The finding behind a diagnostic: by the offsets it carries, else (a client that dropped
 * `data`, or diagnostics from a moment before the latest edit) by rule and range, then by
 * rule and line.
 */
export function matchFinding(result: AnalysisResult, pos: ClientPositions, d: Diagnostic): Finding | undefined {
  const data = d.data as FindingData | undefined;
  const rule = data?.rule ?? d.code;
  const same = result.findings.filter((f) => f.rule === rule);
  if (data) {
    const exact = same.find((f) => f.start === data.start && f.end === data.end);
    if (exact) return exact;
  }
  const eq = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line === b.line && a.character === b.character;
  return (
    same.find((f) => {
      const r = pos.range(f);
      return eq(r.start, d.range.start) && eq(r.end, d.range.end);
    }) ?? same.find((f) => pos.range(f).start.line === d.range.start.line)
  );
}

export function codeActionsFor(
  doc: TextDocument,
  result: AnalysisResult,
  diagnostics: Diagnostic[],
  support: ClientEditSupport,
): CodeAction[] {
  const pos = new ClientPositions(result, doc.getText());
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'bulkhead') continue;
    const finding = matchFinding(result, pos, d);
    if (!finding) continue;
    for (const fix of finding.fixes) {
      const edit = fixEdit(doc, pos, fix, support);
      if (!edit) continue;
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred, edit });
    }
    if (finding.rule === 'unused-suppression' || finding.rule === 'invalid-config') {
      actions.push(...showDocumentationAction(finding.rule, d));
      continue;
    }
    actions.push({
      title: `Ignore ${finding.rule} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: docEdit(doc, [pos.edit(ignoreLineEdit(result, finding))], support),
    });
    actions.push({
      title: `Ignore ${finding.rule} in this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: docEdit(doc, [pos.edit(ignoreFileEdit(result, finding))], support),
    });
    actions.push(...showDocumentationAction(finding.rule, d));
  }
  return actions;
}

/** One edit that turns the document's text into the fixed text (the changed middle only). */
export function fixAllAction(doc: TextDocument, before: AnalysisResult, fixed: FixAllResult, support: ClientEditSupport): CodeAction | null {
  if (fixed.applied === 0 || fixed.text === before.text) return null;
  const a = before.text;
  const b = fixed.text;
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) s++;
  let ea = a.length;
  let eb = b.length;
  while (ea > s && eb > s && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  const pos = new ClientPositions(before, doc.getText());
  const edit: WorkspaceEdit = docEdit(doc, [pos.edit({ start: s, end: ea, text: b.slice(s, eb) })], support);
  return { title: 'Fix all Bulkhead problems', kind: FIX_ALL_KIND, edit };
}
