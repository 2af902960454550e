/**
 * Offsets <-> positions. The only place positions are computed.
 * Offsets index the text without its BOM; positions are 0-based lines and UTF-16
 * characters (LSP), with \r\n, \n and a lone \r each one line break.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open [start, end) span of offsets. */
export interface Span {
  start: number;
  end: number;
}

export const BOM = '\uFEFF';

export function stripBom(text: string): { text: string; bom: boolean } {
  return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** Offsets where a line starts after a line break (0 itself not included), pushed onto `starts`. */
export function lineBreaks(text: string, starts: number[] = []): number[] {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export class TextIndex {
  private starts: number[] | undefined;

  /** `lineStarts`, when given, must be exactly the text's (e.g. joined from its parts' own, each computed once). */
  constructor(
    readonly text: string,
    lineStarts?: number[],
  ) {
    this.starts = lineStarts;
  }

  /** Computed when first needed. */
  private get lineStarts(): number[] {
    return (this.starts ??= lineBreaks(this.text, [0]));
  }

  /** Uses line starts known from elsewhere (exactly the text's), unless they were computed already. */
  adopt(lineStarts: number[] | undefined): void {
    this.starts ??= lineStarts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const end = this.lineEnd(pos.line);
    return Math.max(start, Math.min(start + pos.character, end));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  spanOf(range: Range): Span {
    return { start: this.offsetAt(range.start), end: this.offsetAt(range.end) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset of the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 < this.lineStarts.length) {
      let end = this.lineStarts[line + 1];
      if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
      if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
      return end;
    }
    return this.text.length;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The file's dominant line break, used by edits that add lines. */
  get eol(): string {
    if (this.eolCache === undefined) {
      let crlf = 0;
      let lf = 0;
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) {
        if (i > 0 && this.text.charCodeAt(i - 1) === 13) crlf++;
        else lf++;
      }
      this.eolCache = crlf > lf ? '\r\n' : '\n';
    }
    return this.eolCache;
  }

  private eolCache: string | undefined;
}
