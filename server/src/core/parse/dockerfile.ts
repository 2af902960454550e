import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { TextIndex, type Span } from '../text';

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
}

const KNOWN = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

type AstRange = { start: { line: number; character: number }; end: { line: number; character: number } };

export function parseDockerfile(text: string): ParsedDockerfile {
  const index = new TextIndex(text);
  const ast: Dockerfile = DockerfileParser.parse(text);
  const span = (r: AstRange): Span => index.spanOf(r);
  const problems: ParsedDockerfile['problems'] = [];

  const directives = ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), span: span(d.getRange()) }));
  const lastDirective = directives.length ? index.positionAt(directives[directives.length - 1].span.end).line : -1;
  const afterDirectives = lastDirective < 0 ? 0 : (lastDirective + 1 < index.lineCount ? index.lineStart(lastDirective + 1) : text.length);

  const globalArgs: DockerInstruction[] = [];
  const stages: DockerStage[] = [];
  for (const node of ast.getInstructions()) {
    const ins = toInstruction(node, span);
    if (!KNOWN.has(ins.keyword)) {
      problems.push({ span: ins.keywordSpan, message: `Unknown instruction '${node.getInstruction()}'` });
      continue;
    }
    if (ins.keyword === 'FROM') {
      const from = node as unknown as { getImage(): string | null; getImageRange(): AstRange | null; getBuildStage(): string | null };
      const imageRange = from.getImageRange();
      const image = from.getImage();
      if (!image) problems.push({ span: ins.span, message: 'FROM needs an image' });
      stages.push({
        index: stages.length,
        from: ins,
        image,
        imageSpan: imageRange ? span(imageRange) : null,
        name: from.getBuildStage()?.toLowerCase() ?? null,
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') globalArgs.push(ins);
      else problems.push({ span: ins.keywordSpan, message: `${ins.keyword} before the first FROM: only ARG may come before FROM` });
    } else {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  if (stages.length === 0 && ast.getInstructions().length > 0 && problems.length === 0) {
    problems.push({ span: { start: 0, end: index.lineEnd(0) }, message: 'No FROM instruction: a Dockerfile must start a stage with FROM' });
  }
  const comments = ast.getComments().map((c) => {
    const s = span(c.getRange());
    return { text: text.slice(s.start, s.end), span: s, line: index.positionAt(s.start).line };
  });
  return { text, index, directives, afterDirectives, escape: ast.getEscapeCharacter(), globalArgs, stages, comments, problems };
}

function toInstruction(node: Instruction, span: (r: AstRange) => Span): DockerInstruction {
  const props = (node as unknown as { getProperties?: () => { getName(): string; getNameRange(): AstRange; getValue(): string | null; getValueRange(): AstRange | null }[] }).getProperties;
  const flagsOf = (node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null; getRange(): AstRange }[] }).getFlags;
  const s = span(node.getRange());
  return {
    keyword: node.getKeyword().toUpperCase(),
    span: s,
    keywordSpan: span(node.getInstructionRange()),
    args: node.getArguments().map((a) => ({ value: a.getValue(), span: span(a.getRange()) })),
    properties: typeof props === 'function'
      ? props.call(node).map((p) => {
        const vr = p.getValueRange();
        return { name: p.getName(), nameSpan: span(p.getNameRange()), value: p.getValue(), valueSpan: vr ? span(vr) : null };
      })
      : [],
    flags: typeof flagsOf === 'function'
      ? flagsOf.call(node).map((f) => ({ name: f.getName(), value: f.getValue(), span: span(f.getRange()) }))
      : [],
    line: node.getRange().start.line,
    node,
  };
}
