import { Attached } from '../attach';
import type { DockerInstruction, ParsedDockerfile } from '../parse/dockerfile';
import type { TextEdit } from '../types';

/** The leading whitespace of the line an offset is on. */
function indentAt(df: ParsedDockerfile, offset: number): string {
  const line = df.index.positionAt(offset).line;
  return /^[ \t]*/.exec(df.index.lineText(line))?.[0] ?? '';
}

const commentLinesOf = new Attached<ParsedDockerfile, Set<number>>('commentLines');

/** The lines that hold a comment, once per parse (fixes for many RUNs ask for each). */
function commentLines(df: ParsedDockerfile): Set<number> {
  let lines = commentLinesOf.get(df);
  if (!lines) commentLinesOf.set(df, (lines = new Set(df.comments.map((c) => c.line))));
  return lines;
}

/**
 * Inserts a whole line before an instruction, above the comment block that sits directly
 * on it (a comment describes the instruction below it), never above parser directives.
 */
export function insertLineBefore(df: ParsedDockerfile, ins: DockerInstruction, line: string): TextEdit {
  let target = df.index.positionAt(ins.span.start).line;
  const comments = commentLines(df);
  const firstAllowed = df.index.positionAt(df.afterDirectives).line + (df.afterDirectives >= df.text.length && df.directives.length ? 1 : 0);
  while (target - 1 >= firstAllowed && comments.has(target - 1)) target--;
  const at = df.index.lineStart(target);
  return { start: at, end: at, text: indentAt(df, ins.span.start) + line + df.index.eol };
}

/** Inserts a whole line after an instruction (after its continuation lines and heredocs). */
export function insertLineAfter(df: ParsedDockerfile, ins: DockerInstruction, line: string): TextEdit {
  const lastLine = df.index.positionAt(ins.span.end).line;
  const end = df.index.lineEnd(lastLine);
  return { start: end, end, text: df.index.eol + indentAt(df, ins.span.start) + line };
}

/** Appends a line at the end of the file, adding the missing final line break first. */
export function appendLine(df: ParsedDockerfile, line: string): TextEdit {
  const t = df.text;
  const eol = df.index.eol;
  const needsBreak = t.length > 0 && !t.endsWith('\n') && !t.endsWith('\r');
  return { start: t.length, end: t.length, text: (needsBreak ? eol : '') + line + eol };
}

/** Replaces all arguments of an instruction (e.g. the user of USER). */
export function replaceArguments(ins: DockerInstruction, text: string): TextEdit | null {
  if (ins.args.length === 0) return null;
  return { start: ins.args[0].span.start, end: ins.args[ins.args.length - 1].span.end, text };
}

/** Replaces an instruction's keyword, written in the same case as the original (`add` -> `copy`). */
export function replaceKeyword(ins: DockerInstruction, keyword: string): TextEdit {
  const written = ins.node.getInstruction();
  const text = written === written.toLowerCase() ? keyword.toLowerCase() : keyword.toUpperCase();
  return { start: ins.keywordSpan.start, end: ins.keywordSpan.end, text };
}

/** Puts one line before an instruction and one after it (e.g. `USER root` … `USER app`). */
export function wrapInstruction(df: ParsedDockerfile, ins: DockerInstruction, before: string, after: string): TextEdit[] {
  return [insertLineBefore(df, ins, before), insertLineAfter(df, ins, after)];
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** The last instruction of the file (a FROM when its stage is empty). */
function lastInstruction(df: ParsedDockerfile): DockerInstruction | null {
  const stage = df.stages[df.stages.length - 1];
  if (stage) return stage.instructions[stage.instructions.length - 1] ?? stage.from;
  return df.globalArgs[df.globalArgs.length - 1] ?? null;
}

/**
 * True when a line appended to the file would become part of its last instruction: a
 * heredoc it opens is not closed, or its last line (blank and comment lines aside) ends in
 * a line continuation. Both happen while a Dockerfile is being typed, and an appended
 * `USER` would land inside the heredoc or become an argument.
 */
export function endsInsideInstruction(df: ParsedDockerfile): boolean {
  const ins = lastInstruction(df);
  if (!ins) return false;
  const { index } = df;
  const first = index.positionAt(ins.span.start).line;
  const continued = (t: string) => t.replace(/[ \t]+$/, '').endsWith(df.escape);
  // heredoc markers are on the instruction's first logical line (continuation lines included)
  let line = first;
  let head = '';
  for (; line < index.lineCount; line++) {
    const t = index.lineText(line);
    // blank and comment lines inside a continued instruction are skipped by the builder
    if (line > first && (t.trim() === '' || t.trimStart().startsWith('#'))) continue;
    head += `${t}\n`;
    if (!continued(t)) break;
  }
  if (line >= index.lineCount) return true; // the file ends on a continued line
  if (ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    let n = line + 1;
    let markers = 0;
    HEREDOC.lastIndex = 0;
    for (let m = HEREDOC.exec(head); m; m = HEREDOC.exec(head)) {
      markers++;
      const strip = m[1] === '-';
      while (n < index.lineCount && (strip ? index.lineText(n).replace(/^\t+/, '') : index.lineText(n)) !== m[3]) n++;
      if (n >= index.lineCount) return true; // never closed
      n++;
    }
    if (markers) return false;
  }
  return false;
}
