import type { DockerInstruction, ParsedDockerfile } from '../parse/dockerfile';
import type { TextEdit } from '../types';

/** The leading whitespace of the line an offset is on. */
function indentAt(df: ParsedDockerfile, offset: number): string {
  const line = df.index.positionAt(offset).line;
  return /^[ \t]*/.exec(df.index.lineText(line))?.[0] ?? '';
}

/**
 * Inserts a whole line before an instruction, above the comment block that sits directly
 * on it (a comment describes the instruction below it), never above parser directives.
 */
export function insertLineBefore(df: ParsedDockerfile, ins: DockerInstruction, line: string): TextEdit {
  let target = df.index.positionAt(ins.span.start).line;
  const commentLines = new Set(df.comments.map((c) => c.line));
  const firstAllowed = df.index.positionAt(df.afterDirectives).line + (df.afterDirectives >= df.text.length && df.directives.length ? 1 : 0);
  while (target - 1 >= firstAllowed && commentLines.has(target - 1)) target--;
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
