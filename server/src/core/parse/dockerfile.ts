import { Attached } from '../attach';
import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { TextIndex, type Span } from '../text';
import { concatMapped, mapText, parseJsonArray, parseShell, sliceMapped, type Command, type Mapped, type Word } from './shell';
import { memoized, moveSpan, type InstructionMemo, type InstructionRecord, type MemoDocument } from './dockerMemo';

/** One instruction, with every place given as offsets into the analysed text. */
export interface DockerInstruction {
  keyword: string;
  span: Span;
  keywordSpan: Span;
  /** Whitespace-separated arguments (continuations and heredoc bodies folded in). */
  args: { value: string; span: Span }[];
  /** ENV/ARG/LABEL name=value pairs. */
  properties: { name: string; nameSpan: Span; value: string | null; valueSpan: Span | null }[];
  /** Flags such as `--from=`, `--chown=`, `--mount=`. */
  flags: { name: string; value: string | null; span: Span }[];
  line: number;
  node: Instruction;
}

export interface DockerStage {
  index: number;
  from: DockerInstruction;
  /** The image text as written (`node:${V}`), or null for a FROM without one. */
  image: string | null;
  imageSpan: Span | null;
  name: string | null;
  instructions: DockerInstruction[];
}

export interface DockerDirective {
  name: string;
  value: string;
  span: Span;
}

export interface DockerComment {
  text: string;
  span: Span;
  line: number;
}

export interface ParsedDockerfile {
  text: string;
  index: TextIndex;
  directives: DockerDirective[];
  /** Offset where content may be inserted without going above a parser directive. */
  afterDirectives: number;
  escape: string;
  /** ARGs before the first FROM. */
  globalArgs: DockerInstruction[];
  stages: DockerStage[];
  comments: DockerComment[];
  /** Syntax the parser cannot read, as [span, message]. */
  problems: { span: Span; message: string }[];
  /** Results kept per instruction text across edits of one document (core/parse/dockerMemo.ts), when the caller keeps them. */
  memo?: InstructionMemo;
}

const KNOWN = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

type AstRange = { start: { line: number; character: number }; end: { line: number; character: number } };

/** `index`, when given, must be the text's (the engine's, so line starts are computed once per analysis). */
export function parseDockerfile(text: string, memo?: InstructionMemo, index = new TextIndex(text)): ParsedDockerfile {
  const doc: MemoDocument = { text, index, memo };
  const span = (r: AstRange): Span => index.spanOf(r);
  const kept = memo && reparse(memo.lastParse as ParseSource | undefined, text, index);
  const source = kept ?? wholeParse(text, index);
  if (memo) {
    memo.lastParse = source;
    memo.parses[kept ? 'lines' : 'whole']++;
  }
  memo?.escape(source.escape);
  const problems: ParsedDockerfile['problems'] = [];

  const directives = source.directives;
  const lastDirective = directives.length ? index.positionAt(directives[directives.length - 1].span.end).line : -1;
  const afterDirectives = lastDirective < 0 ? 0 : (lastDirective + 1 < index.lineCount ? index.lineStart(lastDirective + 1) : text.length);

  const globalArgs: DockerInstruction[] = [];
  const stages: DockerStage[] = [];
  for (const ref of source.nodes) {
    const { node } = ref;
    const nodeSpan = ref.lines === 0 ? span : (r: AstRange): Span => index.spanOf(moveLines(r, ref.lines));
    const ins = toInstruction(node, nodeSpan, doc, ref.lines);
    ref.span = ins.span;
    if (!KNOWN.has(ins.keyword)) {
      problems.push({ span: ins.keywordSpan, message: unknownInstruction(node.getInstruction()) });
      continue;
    }
    if (ins.keyword === 'FROM') {
      // each of these re-splits the FROM's arguments in dockerfile-ast: read once per instruction text
      const { image, imageSpan, name } = memoized(doc, ins, 'from', '', () => fromParts(node, nodeSpan), moveFrom);
      if (!image) problems.push({ span: ins.span, message: 'FROM needs an image' });
      stages.push({ index: stages.length, from: ins, image, imageSpan, name, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') globalArgs.push(ins);
      else problems.push({ span: ins.keywordSpan, message: `${ins.keyword} before the first FROM: only ARG may come before FROM` });
    } else {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  if (stages.length === 0 && source.nodes.length > 0 && problems.length === 0) {
    problems.push({ span: { start: 0, end: index.lineEnd(0) }, message: 'No FROM instruction: a Dockerfile must start a stage with FROM' });
  }
  const parsed: ParsedDockerfile = { text, index, directives, afterDirectives, escape: source.escape, globalArgs, stages, comments: source.comments, problems };
  if (memo) parsed.memo = memo;
  return parsed;
}

interface FromParts {
  image: string | null;
  imageSpan: Span | null;
  name: string | null;
}

function fromParts(node: Instruction, nodeSpan: (r: AstRange) => Span): FromParts {
  const from = node as unknown as { getImage(): string | null; getImageRange(): AstRange | null; getBuildStage(): string | null };
  const imageRange = from.getImageRange();
  return { image: from.getImage(), imageSpan: imageRange ? nodeSpan(imageRange) : null, name: from.getBuildStage()?.toLowerCase() ?? null };
}

const moveFrom = (f: FromParts, d: number): FromParts => ({ image: f.image, imageSpan: f.imageSpan && moveSpan(f.imageSpan, d), name: f.name });

/** A parser node and how many lines it moved since it was parsed (its ranges are in the lines of the text it was parsed from). */
interface NodeRef {
  node: Instruction;
  lines: number;
  /** Where the instruction is in the text of the parse (set when the instruction is made). */
  span: Span;
}

/** What a parse of a whole text gives, kept (latest text only) so the next text re-parses only the lines an edit touched. */
interface ParseSource {
  text: string;
  index: TextIndex;
  escape: string;
  directives: DockerDirective[];
  nodes: NodeRef[];
  comments: DockerComment[];
}

function moveLines(r: AstRange, lines: number): AstRange {
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

function wholeParse(text: string, index: TextIndex): ParseSource {
  const ast: Dockerfile = DockerfileParser.parse(text);
  const span = (r: AstRange): Span => index.spanOf(r);
  return {
    text,
    index,
    escape: ast.getEscapeCharacter(),
    directives: ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), span: span(d.getRange()) })),
    nodes: ast.getInstructions().map((node) => ({ node, lines: 0, span: span(node.getRange()) })),
    comments: ast.getComments().map((c) => commentAt(text, index, span(c.getRange()))),
  };
}

function commentAt(text: string, index: TextIndex, s: Span): DockerComment {
  return { text: ownString(text.slice(s.start, s.end)), span: s, line: index.positionAt(s.start).line };
}

/** A copy of `s` that does not keep the string it was sliced from alive. */
function ownString(s: string): string {
  return s.length < 16 ? s : (' ' + s).slice(1);
}

/**
 * The parse of `text` from the parse of the previous text of the same document: the
 * instructions before the edit and after it are the previous parser nodes (moved), and only
 * the lines from the instruction before the edit to the first instruction after it are
 * parsed again. Parsing is left to right, so the parser is in the same state at the start of
 * an instruction whose preceding text did not change; the parse of the window is accepted
 * when it, too, starts an instruction exactly where the first unchanged instruction after the
 * edit starts (no continuation or heredoc runs on into it). Null (parse the whole text) when
 * there is no previous parse, the edit touches the parser directives or the lines before the
 * first instruction, the escape character is not the default, or the window does not line up.
 */
function reparse(prev: ParseSource | undefined, text: string, index: TextIndex): ParseSource | null {
  if (!prev || prev.escape !== '\\' || prev.nodes.length === 0) return null;
  const old = prev.text;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  if (p === old.length && p === text.length) {
    return { ...prev, text, index };
  }
  let sfx = 0;
  while (sfx < max - p && old.charCodeAt(old.length - 1 - sfx) === text.charCodeAt(text.length - 1 - sfx)) sfx++;
  const delta = text.length - old.length;
  const lineDelta = index.lineCount - prev.index.lineCount;
  const oldIndex = prev.index;
  const changedLine = oldIndex.lineStart(oldIndex.positionAt(p).line);
  const lineStartOf = (ref: NodeRef) => oldIndex.lineStart(oldIndex.positionAt(ref.span.start).line);
  // a: the last instruction that starts on a line before the changed one
  let a = -1;
  for (let i = 0; i < prev.nodes.length && lineStartOf(prev.nodes[i]) < changedLine; i++) a = i;
  if (a < 0) return null;
  // b: the first instruction after a whose line, and the line break before it, are after the change
  const changedEnd = old.length - sfx;
  let b = -1;
  for (let i = a + 1; i < prev.nodes.length; i++) {
    if (lineStartOf(prev.nodes[i]) - 1 >= changedEnd) {
      b = i;
      break;
    }
  }
  const from = lineStartOf(prev.nodes[a]);
  const to = b < 0 ? text.length : index.lineEnd(index.positionAt(prev.nodes[b].span.end + delta).line);
  if (to < from) return null;
  const windowText = ownString(text.slice(from, to));
  const ast: Dockerfile = DockerfileParser.parse(windowText);
  if (ast.getDirectives().length > 0 || ast.getEscapeCharacter() !== '\\') return null;
  const base = index.positionAt(from).line;
  const win: NodeRef[] = ast.getInstructions().map((node) => ({ node, lines: base, span: index.spanOf(moveLines(node.getRange(), base)) }));
  if (b >= 0) {
    // the window's last instruction must be b, where and as it was
    const last = win[win.length - 1];
    const was = prev.nodes[b].span;
    if (!last || last.span.start !== was.start + delta || last.span.end !== was.end + delta) return null;
  }
  const after = b < 0 ? [] : prev.nodes.slice(b + 1).map((r) => ({ node: r.node, lines: r.lines + lineDelta, span: { start: r.span.start + delta, end: r.span.end + delta } }));
  const oldTo = to - delta;
  const comments: DockerComment[] = [];
  for (const c of prev.comments) if (c.span.end <= from) comments.push(c);
  for (const c of ast.getComments()) comments.push(commentAt(text, index, index.spanOf(moveLines(c.getRange(), base))));
  if (b >= 0) {
    for (const c of prev.comments) {
      if (c.span.start >= oldTo) comments.push({ text: c.text, span: { start: c.span.start + delta, end: c.span.end + delta }, line: c.line + lineDelta });
    }
  }
  return { text, index, escape: prev.escape, directives: prev.directives, nodes: [...prev.nodes.slice(0, a), ...win, ...after], comments };
}

/**
 * The message for a line that does not start with an instruction. It quotes the word only
 * when it looks like a misspelt keyword: while a heredoc is half-typed its lines (`KEY=value`,
 * a token) are read as instructions, and a message must not repeat them.
 */
function unknownInstruction(word: string): string {
  return /^[A-Za-z][A-Za-z-]{0,23}$/.test(word) ? `Unknown instruction '${word}'` : 'Unknown instruction: this line does not start with a Dockerfile instruction';
}

type AstProperty = { getName(): string; getNameRange(): AstRange; getValue(): string | null; getValueRange(): AstRange | null };
type AstFlag = { getName(): string; getValue(): string | null; getRange(): AstRange };

/**
 * An instruction whose arguments, properties and flags are read from the parser only when
 * a rule asks: most rules look at a few keywords, and dockerfile-ast's argument splitting
 * (which it redoes on every call) is the largest cost of an analysis. With a memo, they are
 * read once per instruction text and moved to where the instruction now is.
 */
class LazyInstruction implements DockerInstruction {
  readonly keyword: string;
  readonly span: Span;
  readonly keywordSpan: Span;
  readonly line: number;
  private argsCache: DockerInstruction['args'] | undefined = undefined;
  private propertiesCache: DockerInstruction['properties'] | undefined = undefined;
  private flagsCache: DockerInstruction['flags'] | undefined = undefined;
  /** Kept by core/parse/dockerMemo.ts. */
  memoRecord: InstructionRecord | undefined = undefined;

  constructor(readonly node: Instruction, private readonly toSpan: (r: AstRange) => Span, private readonly doc: MemoDocument, lines: number) {
    const range = node.getRange();
    this.keyword = node.getKeyword().toUpperCase();
    this.span = toSpan(range);
    this.keywordSpan = toSpan(node.getInstructionRange());
    this.line = range.start.line + lines;
  }

  get args(): DockerInstruction['args'] {
    this.argsCache ??= memoized(this.doc, this, 'args', '', () => this.node.getArguments().map((a) => ({ value: a.getValue(), span: this.toSpan(a.getRange()) })), moveArgs);
    return this.argsCache;
  }

  get properties(): DockerInstruction['properties'] {
    this.propertiesCache ??= memoized(this.doc, this, 'properties', '', () => {
      const props = (this.node as unknown as { getProperties?: () => AstProperty[] }).getProperties;
      return typeof props === 'function'
        ? props.call(this.node).map((p) => {
          const vr = p.getValueRange();
          return { name: p.getName(), nameSpan: this.toSpan(p.getNameRange()), value: p.getValue(), valueSpan: vr ? this.toSpan(vr) : null };
        })
        : [];
    }, moveProperties);
    return this.propertiesCache;
  }

  get flags(): DockerInstruction['flags'] {
    this.flagsCache ??= memoized(this.doc, this, 'flags', '', () => {
      const flagsOf = (this.node as unknown as { getFlags?: () => AstFlag[] }).getFlags;
      return typeof flagsOf === 'function'
        ? flagsOf.call(this.node).map((f) => ({ name: f.getName(), value: f.getValue(), span: this.toSpan(f.getRange()) }))
        : [];
    }, moveFlags);
    return this.flagsCache;
  }
}

const moveArgs = (list: DockerInstruction['args'], d: number) => list.map((a) => ({ value: a.value, span: moveSpan(a.span, d) }));
const moveFlags = (list: DockerInstruction['flags'], d: number) => list.map((f) => ({ name: f.name, value: f.value, span: moveSpan(f.span, d) }));
const moveProperties = (list: DockerInstruction['properties'], d: number) =>
  list.map((p) => ({ name: p.name, nameSpan: moveSpan(p.nameSpan, d), value: p.value, valueSpan: p.valueSpan && moveSpan(p.valueSpan, d) }));

function toInstruction(node: Instruction, span: (r: AstRange) => Span, doc: MemoDocument, lines: number): DockerInstruction {
  return new LazyInstruction(node, span, doc, lines);
}

/**
 * The text of an instruction after its keyword and flags, as the builder reads it: lines
 * continued with the escape character are joined (the escape and line break removed,
 * comment and blank lines inside dropped), then any heredoc lines follow as written.
 * Each character keeps its offset in the file.
 */
export function instructionBody(df: ParsedDockerfile, ins: DockerInstruction): Mapped {
  const { text, index } = df;
  let pos = Math.max(ins.keywordSpan.end, ...ins.flags.map((f) => f.span.end));
  let line = index.positionAt(pos).line;
  const parts: Mapped[] = [];
  let first = true;
  let lastLine = line;
  while (line < index.lineCount && pos <= ins.span.end) {
    const seg = text.slice(pos, index.lineEnd(line));
    lastLine = line;
    const trimmed = seg.replace(/[ \t]+$/, '');
    if (!first && (trimmed.trim() === '' || /^\s*#/.test(seg))) {
      // blank and comment lines inside a continued instruction are dropped
    } else if (trimmed.endsWith(df.escape)) {
      parts.push(mapText(trimmed.slice(0, -1), pos));
    } else {
      parts.push(mapText(seg, pos));
      break;
    }
    first = false;
    line++;
    if (line >= index.lineCount) break;
    pos = index.lineStart(line);
  }
  const logicalEnd = index.lineEnd(lastLine);
  if (ins.span.end > logicalEnd) parts.push(mapText(text.slice(logicalEnd, ins.span.end), logicalEnd));
  const body = concatMapped(parts);
  // flags the AST did not see (on a later continuation line) are still flags to the builder
  const flags = /^(?:\s*--[A-Za-z][\w-]*(?:=\S*)?(?=\s|$))+/.exec(body.text);
  return flags ? sliceMapped(body, flags[0].length) : body;
}

/** The first logical line of an instruction's body (no heredoc lines). */
function firstLogicalLine(body: Mapped): Mapped {
  const nl = body.text.indexOf('\n');
  if (nl < 0) return body;
  return { text: body.text.slice(0, nl), starts: body.starts.slice(0, nl), ends: body.ends.slice(0, nl) };
}

export interface InstructionWords {
  /** Exec (JSON) form. */
  json: boolean;
  words: Word[];
}

/**
 * Arguments after the flags: the strings of a JSON array, or the blank-separated words of
 * the first logical line with quotes removed (variables are left as written).
 */
export function instructionWords(df: ParsedDockerfile, ins: DockerInstruction): InstructionWords {
  const line = firstLogicalLine(instructionBody(df, ins));
  const json = parseJsonArray(line);
  if (json) return { json: true, words: json };
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line.text); m; m = re.exec(line.text)) {
    const from = m.index;
    const to = from + m[0].length;
    let a = from;
    let b = to;
    const q = line.text[from];
    if ((q === '"' || q === "'") && to - from >= 2 && line.text[to - 1] === q) {
      a++;
      b--;
    }
    words.push({
      value: line.text.slice(a, b),
      chars: { text: line.text.slice(a, b), starts: line.starts.slice(a, b), ends: line.ends.slice(a, b) },
      span: { start: line.starts[from], end: line.ends[to - 1] },
      nested: [],
    });
  }
  return { json: false, words };
}

export interface RunCommands {
  /** The instruction body the commands were read from. */
  body: Mapped;
  /** Exec form: the argument list (the commands hold it as one command). */
  exec: Word[] | null;
  /** Top-level commands (exec form: one command, not run through a shell). */
  commands: Command[];
}

/**
 * Commands read per instruction object: several rules read the same RUN, and an
 * instruction belongs to one parse of one text, so the answer never changes.
 */
const commandsOf = new Attached<DockerInstruction, RunCommands>('commands');

/** The commands of a RUN (or CMD/ENTRYPOINT): exec form as one command, shell form read as POSIX shell. */
export function runCommands(df: ParsedDockerfile, ins: DockerInstruction): RunCommands {
  let known = commandsOf.get(ins);
  if (!known) {
    known = readCommands(df, ins);
    commandsOf.set(ins, known);
  }
  return known;
}

function readCommands(df: ParsedDockerfile, ins: DockerInstruction): RunCommands {
  const body = instructionBody(df, ins);
  const exec = parseJsonArray(firstLogicalLine(body));
  if (exec) {
    const span = exec.length ? { start: exec[0].span.start, end: exec[exec.length - 1].span.end } : { start: 0, end: 0 };
    return { body, exec, commands: exec.length ? [{ assignments: [], words: exec, redirects: [], pipedFrom: null, span }] : [] };
  }
  return { body, exec: null, commands: parseShell(body) };
}
