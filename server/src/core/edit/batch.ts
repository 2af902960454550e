import type { TextEdit } from '../types';

/**
 * The edits of one fix, made into one disjoint, sorted list.
 *
 * - Any refused part (`add(null)`) poisons the batch: a fix is all of its edits or nothing.
 * - Identical edits count once; two replacements that overlap are a conflict (no edits).
 * - Insertions at one offset are joined in the order they were added.
 * - An insertion of whole lines (its text starts with a line break) at the end of a line
 *   that a pure removal of whole lines takes away goes in that removal's place; several of
 *   them are joined in order, keeping each one's own line break, so text is never glued
 *   onto another line (also when the removed lines end the file without a line break).
 * - Any other insertion strictly inside a removed or replaced range is a conflict, and so
 *   are lines added right after a block collection another edit empties to `{}`/`[]`.
 */
export class EditBatch {
  private readonly list: TextEdit[] = [];
  private poisoned = false;
  private readonly eol: string;

  /** The whole file the edits' offsets point into: its text, or the editor's file (text and line index). */
  readonly text: string;

  constructor(file: string | { text: string; index?: { eol: string } }, eol?: string) {
    this.text = typeof file === 'string' ? file : file.text;
    this.eol = eol ?? (typeof file === 'string' ? undefined : file.index?.eol) ?? dominantEol(this.text);
  }

  /** Adds the edits of one operation; false (and the batch is poisoned) when it was refused. */
  add(edits: TextEdit[] | TextEdit | null | undefined): boolean {
    if (!edits) {
      this.poisoned = true;
      return false;
    }
    for (const e of Array.isArray(edits) ? edits : [edits]) {
      if (!(0 <= e.start && e.start <= e.end && e.end <= this.text.length)) {
        this.poisoned = true;
        return false;
      }
      this.list.push({ start: e.start, end: e.end, text: e.text });
    }
    return true;
  }

  /** False once a refused operation was added. */
  get ok(): boolean {
    return !this.poisoned;
  }

  /** True when nothing was added (a no-op fix). */
  get empty(): boolean {
    return this.list.length === 0;
  }

  /** The combined edits, or null when a part was refused or two parts conflict. */
  edits(): TextEdit[] | null {
    if (this.poisoned) return null;
    const seen = new Set<string>();
    const unique = this.list.filter((e) => {
      const id = `${e.start}:${e.end}:${e.text}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const ranges = unique.filter((e) => e.end > e.start).sort((a, b) => a.start - b.start);
    for (let i = 1; i < ranges.length; i++) if (ranges[i].start < ranges[i - 1].end) return null;
    const hosted = new Map<TextEdit, string[]>();
    const inserts: TextEdit[] = [];
    for (const e of unique) {
      if (e.end > e.start) continue;
      const host = ranges.find((r) => r.start < e.start && e.start <= r.end);
      if (host) {
        if (this.wholeLines(host) && (host.text === '' || /[\r\n]$/.test(host.text)) && /^\r?\n/.test(e.text)) {
          const list = hosted.get(host) ?? [];
          list.push(e.text);
          hosted.set(host, list);
          continue;
        }
        if (e.start < host.end) return null;
      }
      // lines added right after a block collection that another edit empties to `{}`/`[]`: they were meant inside it
      const emptied = ranges.find((r) => r.end === e.start && /^[^\r\n]*(\{\}|\[\])[ \t]*(#[^\r\n]*)?(\r?\n[ \t]*#[^\r\n]*)*$/.test(r.text) && /[\r\n]/.test(this.text.slice(r.start, r.end)));
      if (emptied && /^\r?\n/.test(e.text)) return null;
      const same = inserts.find((x) => x.start === e.start);
      if (same) same.text += (this.inEmptyFlow(e.start) && !/^\s*,/.test(e.text) && !/^\r?\n/.test(e.text) ? ', ' : '') + e.text;
      else inserts.push({ ...e });
    }
    const out = ranges.map((r) => {
      const texts = hosted.get(r);
      if (!texts) return { ...r };
      const endsLine = /[\r\n]$/.test(this.text.slice(r.start, r.end));
      return { ...r, text: r.text + texts.join('').replace(/^\r?\n/, '') + (endsLine ? this.eol : '') };
    });
    return [...out, ...inserts].sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** The offset is inside an empty flow collection (`{}`, `[ ]`): two entries inserted there need a comma. */
  private inEmptyFlow(offset: number): boolean {
    const before = /[{[]\s*$/.exec(this.text.slice(Math.max(0, offset - 200), offset));
    const after = /^\s*[}\]]/.exec(this.text.slice(offset, offset + 200));
    return Boolean(before && after);
  }

  /** The range starts at a line start and ends at a line start or the end of the text. */
  private wholeLines(r: TextEdit): boolean {
    const t = this.text;
    const startsLine = r.start === 0 || t[r.start - 1] === '\n' || t[r.start - 1] === '\r';
    const endsLine = r.end === t.length || t[r.end - 1] === '\n' || (t[r.end - 1] === '\r' && t[r.end] !== '\n');
    return startsLine && endsLine;
  }
}

function dominantEol(text: string): string {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}
