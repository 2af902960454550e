/**
 * Hover on a finding (CONTRACT.md): the message, why it matters (core/summaries.ts), what
 * its fixes do and whether fix-all applies them, and the documentation page. Several
 * findings under the cursor: one section each, in position order.
 */
import { URI } from 'vscode-uri';
import { MarkupKind, type Connection, type Hover, type Position, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { nameHint } from '../core/classify';
import { configErrors, parseConfigFile } from '../core/config';
import type { AnalysisResult } from '../core/engine';
import { SUMMARIES } from '../core/summaries';
import { TextIndex } from '../core/text';
import type { Finding, Severity } from '../core/types';
import { ClientPositions } from './convert';

/** Backslash-escapes what Markdown would read as markup (messages quote file text). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

export interface HoverFinding {
  rule: string;
  severity: Severity;
  message: string;
  fixes: { title: string; preferred: boolean }[];
}

/** The Markdown for one finding. */
export function findingMarkdown(f: HoverFinding, docs: (rule: string) => string | undefined): string {
  const parts = [`**${f.rule}** (${f.severity}) — Bulkhead`, escapeMarkdown(f.message)];
  const s = SUMMARIES[f.rule];
  if (s) {
    parts.push(`**Why it matters:** ${escapeMarkdown(s.why)}`);
    parts.push(`**The fix:** ${escapeMarkdown(s.fix)}`);
  }
  if (f.fixes.length) {
    parts.push(f.fixes.map((x) => `- Quick fix: ${escapeMarkdown(x.title)} — ${x.preferred ? 'safe: fix-all and --fix apply it' : 'offered only: fix-all and --fix leave it to you'}`).join('\n'));
  }
  const href = docs(f.rule);
  if (href) parts.push(`[Documentation for ${f.rule}](${href})`);
  return parts.join('\n\n');
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** The hover at a position of an analysed document, or null when no finding is there. */
export function hoverAt(result: AnalysisResult, clientText: string, position: Position, docs: (rule: string) => string | undefined): Hover | null {
  const pos = new ClientPositions(result, clientText);
  const hits: { f: Finding; range: ReturnType<ClientPositions['range']> }[] = [];
  for (const f of result.findings) {
    const range = pos.range(f);
    // an empty range (a finding about the whole file, at its start) is hovered anywhere on its line
    const empty = range.start.line === range.end.line && range.start.character === range.end.character;
    if (empty ? position.line === range.start.line : before(range.start, position) && before(position, range.end)) hits.push({ f, range });
  }
  if (!hits.length) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: hits.map((h) => findingMarkdown(h.f, docs)).join('\n\n---\n\n') },
    range: hits[0].range,
  };
}

/** The hover on a .bulkhead.yaml: its problems (invalid-config) under the cursor. */
export function configHoverAt(text: string, position: Position, docs: (rule: string) => string | undefined): Hover | null {
  const { problems } = parseConfigFile(text);
  const index = new TextIndex(text);
  const errors = new Set(configErrors(problems));
  const hits = problems
    .map((p) => ({ p, range: index.rangeOf(p.span ?? { start: 0, end: 0 }) }))
    .filter(({ range }) => before(range.start, position) && before(position, range.end));
  if (!hits.length) return null;
  const value = hits
    .map(({ p }) => findingMarkdown({ rule: 'invalid-config', severity: errors.has(p) ? 'error' : 'warning', message: p.message, fixes: [] }, docs))
    .join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: hits[0].range };
}

export interface HoverDeps {
  documents: TextDocuments<TextDocument>;
  analyse(doc: TextDocument): Promise<AnalysisResult>;
  docs(rule: string): string | undefined;
  /** Left out by the nearest .bulkhead.yaml's `ignore` globs. */
  ignored(uri: string): boolean;
}

export function registerHover(connection: Connection, deps: HoverDeps): void {
  connection.onHover(async (params) => {
    const doc = deps.documents.get(params.textDocument.uri);
    if (!doc) return null;
    if (nameHint(URI.parse(doc.uri).path) === 'config') return configHoverAt(doc.getText(), params.position, deps.docs);
    if (deps.ignored(doc.uri)) return null;
    const result = await deps.analyse(doc);
    return hoverAt(result, doc.getText(), params.position, deps.docs);
  });
}
