/**
 * LSP diagnostics per YAML document (issue 16): a multi-document manifest's diagnostics are
 * kept per document of its text, and an edit converts only the findings of the documents
 * whose findings changed. A document whose text and findings (relative to its start) are
 * those of the last conversion reuses its diagnostics as they were, or moved by the lines
 * and characters the documents before it gained or lost. Everything else (Dockerfiles,
 * Compose files, single documents, a text with a BOM) is converted finding by finding.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { AnalysisResult } from '../core/engine';
import type { Finding, Severity } from '../core/types';
import { setRecent } from '../core/recent';
import { ClientPositions, toDiagnostic, type FindingData } from './convert';

/** A finding, offsets relative to the start of its document. */
interface Relative {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
}

interface Part {
  /** Where the document started, and its first line, when these diagnostics were made. */
  base: number;
  line: number;
  findings: Relative[];
  diagnostics: Diagnostic[];
}

export interface DiagnosticStats {
  /** Findings converted with their positions computed (toDiagnostic). */
  converted: number;
  /** Diagnostics reused as they were. */
  reused: number;
  /** Diagnostics reused, moved by lines or offsets. */
  shifted: number;
}

export class DiagnosticCache {
  readonly stats: DiagnosticStats = { converted: 0, reused: 0, shifted: 0 };
  private readonly byUri = new Map<string, Map<string, Part>>();

  constructor(private readonly maxDocuments = 64) {}

  /** The diagnostics of an analysis of `uri`, whose client text is `clientText` (with its BOM, if any). */
  of(uri: string, result: AnalysisResult, clientText: string, docs: (rule: string) => string | undefined): Diagnostic[] {
    const parts = result.parts;
    const findings = result.findings;
    let pos: ClientPositions | undefined;
    const convert = (f: Finding): Diagnostic => {
      pos ??= new ClientPositions(result, clientText);
      this.stats.converted++;
      return toDiagnostic(f, pos, docs);
    };
    // a BOM moves the first line's characters: not worth keeping
    if (!parts?.length || result.bom || parts[0].start !== 0) {
      this.byUri.delete(uri);
      return findings.map(convert);
    }
    const prev = this.byUri.get(uri);
    const next = new Map<string, Part>();
    const { index } = result;
    const out: Diagnostic[] = [];
    let i = 0;
    for (let j = 0; j < parts.length; j++) {
      const base = parts[j].start;
      const limit = j + 1 < parts.length ? parts[j + 1].start : result.text.length;
      // the findings that start in this document (findings are sorted by start); kept only
      // when they also end in it, and the document starts a line
      let k = i;
      let inside = true;
      for (; k < findings.length && (findings[k].start < limit || j + 1 === parts.length); k++) {
        if (findings[k].start < base || findings[k].end > limit) inside = false;
      }
      const line = index.positionAt(base).line;
      const keep = inside && index.lineStart(line) === base;
      let key = parts[j].key;
      if (next.has(key)) key = `${key}#${j}`; // the same text twice
      const old = prev?.get(key);
      if (keep && old && sameFindings(old.findings, findings, i, k, base)) {
        if (old.base === base && old.line === line) {
          for (const d of old.diagnostics) out.push(d);
          this.stats.reused += old.diagnostics.length;
          next.set(key, old);
        } else {
          const diagnostics = old.diagnostics.map((d) => moved(d, line - old.line, base - old.base));
          for (const d of diagnostics) out.push(d);
          this.stats.shifted += diagnostics.length;
          next.set(key, { base, line, findings: old.findings, diagnostics });
        }
      } else {
        const diagnostics: Diagnostic[] = [];
        const relative: Relative[] = [];
        for (let m = i; m < k; m++) {
          const f = findings[m];
          const d = convert(f);
          diagnostics.push(d);
          out.push(d);
          relative.push({ rule: f.rule, severity: f.severity, message: f.message, start: f.start - base, end: f.end - base });
        }
        if (keep) next.set(key, { base, line, findings: relative, diagnostics });
      }
      i = k;
    }
    setRecent(this.byUri, uri, next, this.maxDocuments);
    return out;
  }

  /** Drops what is kept for a document (closed), or for all. */
  forget(uri?: string): void {
    if (uri === undefined) this.byUri.clear();
    else this.byUri.delete(uri);
  }

  /** What is kept: documents and diagnostics (for tests). */
  size(): { documents: number; parts: number; diagnostics: number } {
    let parts = 0;
    let diagnostics = 0;
    for (const m of this.byUri.values()) {
      parts += m.size;
      for (const p of m.values()) diagnostics += p.diagnostics.length;
    }
    return { documents: this.byUri.size, parts, diagnostics };
  }
}

function sameFindings(old: Relative[], findings: Finding[], from: number, to: number, base: number): boolean {
  if (old.length !== to - from) return false;
  for (let m = from; m < to; m++) {
    const a = old[m - from];
    const f = findings[m];
    if (a.start !== f.start - base || a.end !== f.end - base || a.rule !== f.rule || a.severity !== f.severity || a.message !== f.message) return false;
  }
  return true;
}

/** A diagnostic of a document that now starts `lines` lines and `offset` characters later (never changed in place: it may still be on its way out). */
function moved(d: Diagnostic, lines: number, offset: number): Diagnostic {
  const data = d.data as FindingData;
  const { start, end } = d.range;
  return {
    ...d,
    range: lines === 0 ? d.range : { start: { line: start.line + lines, character: start.character }, end: { line: end.line + lines, character: end.character } },
    data: offset === 0 ? data : { rule: data.rule, start: data.start + offset, end: data.end + offset },
  };
}
