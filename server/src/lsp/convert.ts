import type { Diagnostic, Range as LspRange } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { AnalysisResult } from '../core/engine';
import { TextIndex, type Span } from '../core/text';
import type { Finding, Severity, TextEdit } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export interface FindingData {
  rule: string;
  start: number;
  end: number;
}

/**
 * Converts engine offsets (which index the text without a BOM) to positions in the
 * client's text, which keeps a BOM if the client sent one.
 */
export class ClientPositions {
  private readonly index: TextIndex;
  private readonly shift: number;

  constructor(result: AnalysisResult, clientText: string) {
    this.shift = result.bom ? 1 : 0;
    this.index = result.bom ? new TextIndex(clientText) : result.index;
  }

  range(span: Span): LspRange {
    return { start: this.index.positionAt(span.start + this.shift), end: this.index.positionAt(span.end + this.shift) };
  }

  edit(e: TextEdit): { range: LspRange; newText: string } {
    return { range: this.range(e), newText: e.text };
  }
}

export function toDiagnostic(f: Finding, pos: ClientPositions, docs: (rule: string) => string | undefined): Diagnostic {
  const href = docs(f.rule);
  const data: FindingData = { rule: f.rule, start: f.start, end: f.end };
  return {
    range: pos.range(f),
    severity: SEVERITY[f.severity],
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'bulkhead',
    message: f.message,
    data,
  };
}
