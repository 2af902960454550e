import { instructionBody, runCommands, type DockerInstruction, type DockerStage, type ParsedDockerfile } from '../../core/parse/dockerfile';
import { parseJsonArray, parseShell, sliceMapped, type Mapped } from '../../core/parse/shell';
import type { RuleContext } from '../../core/rule';
import { buildSecretFix, commandHits, scanValue, strongHits } from '../../secrets';
import { shown } from './messages';
import { Reporter, shift } from './report';

const ALLOW = /gitleaks:allow|pragma:\s*allowlist\s+secret/i;

/** ENV, ARG and LABEL values, RUN/CMD/ENTRYPOINT/HEALTHCHECK command lines, ADD/COPY sources, in every stage. */
export function checkDockerfile(ctx: RuleContext): void {
  const model = ctx.file.dockerfile;
  if (!model) return;
  const df = model.parsed;
  const out = new Reporter(ctx);
  const all: [DockerInstruction, DockerStage | null][] = [
    ...df.globalArgs.map((i) => [i, null] as [DockerInstruction, null]),
    ...df.stages.flatMap((s) => s.instructions.map((i) => [i, s] as [DockerInstruction, DockerStage])),
  ];
  for (const [ins, stage] of all) {
    switch (ins.keyword) {
      case 'ENV':
      case 'ARG':
      case 'LABEL':
        for (const p of ins.properties) {
          if (p.value === null || !p.valueSpan) continue;
          const { raw, start } = unquoted(df.text, p.valueSpan);
          const where = ins.keyword === 'ARG' ? `build arg ${shown(p.name)}` : `${ins.keyword} ${shown(p.name)}`;
          const fixes = ins.keyword === 'LABEL' ? () => [] : () => buildSecretFix(ctx, df, { ins, prop: p, stage });
          out.hits(shift(scanValue(p.name, raw, p.value), start), where, p.name, fixes);
        }
        break;
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT': {
        const { body, commands } = runCommands(df, ins);
        out.hits(allowed(df, commandHits(body, commands)), ins.keyword === 'RUN' ? 'RUN command line' : ins.keyword);
        break;
      }
      case 'HEALTHCHECK':
      case 'ONBUILD': {
        const body = innerCommand(instructionBody(df, ins), ins.keyword);
        if (body) out.hits(allowed(df, commandHits(body.mapped, body.exec ? [] : parseShell(body.mapped))), ins.keyword);
        break;
      }
      case 'ADD':
      case 'COPY': {
        const body = instructionBody(df, ins);
        out.hits(
          strongHits(body.text).map((h) => ({ ...h, start: body.starts[h.start], end: body.ends[h.end - 1] })),
          `${ins.keyword} source`,
        );
        break;
      }
    }
  }
}

function unquoted(text: string, span: { start: number; end: number }): { raw: string; start: number } {
  const w = text.slice(span.start, span.end);
  if (w.length >= 2 && (w[0] === '"' || w[0] === "'") && w[w.length - 1] === w[0]) return { raw: w.slice(1, -1), start: span.start + 1 };
  return { raw: w, start: span.start };
}

/** `gitleaks:allow` at the end of a RUN line (a shell comment) keeps that line's secrets quiet. */
function allowed<T extends { start: number }>(df: ParsedDockerfile, hits: T[]): T[] {
  const quiet = new Map<number, boolean>(); // per line: a long line with many hits is read once
  return hits.filter((h) => {
    const line = df.index.positionAt(h.start).line;
    let q = quiet.get(line);
    if (q === undefined) quiet.set(line, (q = ALLOW.test(df.index.lineText(line))));
    return !q;
  });
}

/** The command of `HEALTHCHECK [flags] CMD ...` or `ONBUILD RUN ...`. */
function innerCommand(body: Mapped, keyword: string): { mapped: Mapped; exec: boolean } | null {
  const m = (keyword === 'HEALTHCHECK' ? /^\s*(?:--\S+\s+)*CMD\s+/i : /^\s*(?:RUN|CMD|ENTRYPOINT)\s+/i).exec(body.text);
  if (!m) return null;
  const rest = sliceMapped(body, m[0].length);
  return { mapped: rest, exec: parseJsonArray(rest) !== null };
}
