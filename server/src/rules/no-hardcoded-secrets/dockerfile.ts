import { instructionBody, runCommands, type DockerInstruction, type DockerStage, type ParsedDockerfile } from '../../core/parse/dockerfile';
import { parseJsonArray, parseShell, sliceMapped, type Mapped } from '../../core/parse/shell';
import type { RuleContext } from '../../core/rule';
import { memoized } from '../../core/parse/dockerMemo';
import { buildSecretFix, commandHits, scanValue, strongHits, type SecretHit } from '../../secrets';
import { shown } from './messages';
import { Reporter, shift } from './report';

const ALLOW = /gitleaks:allow|pragma:\s*allowlist\s+secret/i;

/** ENV, ARG and LABEL values, RUN/CMD/ENTRYPOINT/HEALTHCHECK command lines, ADD/COPY sources, in every stage. */
export function checkDockerfile(ctx: RuleContext): void {
  const model = ctx.file.dockerfile;
  if (!model) return;
  const df = model.parsed;
  const out = new Reporter(ctx);
  for (const ins of df.globalArgs) checkInstruction(ctx, df, out, ins, null);
  for (const stage of df.stages) for (const ins of stage.instructions) checkInstruction(ctx, df, out, ins, stage);
}

function checkInstruction(ctx: RuleContext, df: ParsedDockerfile, out: Reporter, ins: DockerInstruction, stage: DockerStage | null): void {
  // what an instruction holds depends on its text alone: kept per text across edits
  const scans = memoized(df, ins, 'secrets', '', () => scanInstruction(df, ins), moveScans);
  for (const scan of scans) {
    const p = scan.prop === undefined ? undefined : ins.properties[scan.prop];
    const fixes = p === undefined || ins.keyword === 'LABEL' ? () => [] : () => buildSecretFix(ctx, df, { ins, prop: p, stage });
    out.hits(scan.hits, scan.where, scan.siteName, fixes);
  }
}

/** The hits of one instruction, in the order they are reported, with where they are (for the message). */
interface InstructionScan {
  hits: SecretHit[];
  where: string;
  siteName?: string;
  /** The ENV/ARG/LABEL property they are in, by index. */
  prop?: number;
}

const moveScans = (scans: InstructionScan[], d: number): InstructionScan[] => scans.map((s) => ({ ...s, hits: shift(s.hits, d) }));

function scanInstruction(df: ParsedDockerfile, ins: DockerInstruction): InstructionScan[] {
  const out: InstructionScan[] = [];
  switch (ins.keyword) {
    case 'ENV':
    case 'ARG':
    case 'LABEL':
      ins.properties.forEach((p, n) => {
        if (p.value === null || !p.valueSpan) return;
        const { raw, start } = unquoted(df.text, p.valueSpan);
        const where = ins.keyword === 'ARG' ? `build arg ${shown(p.name)}` : `${ins.keyword} ${shown(p.name)}`;
        out.push({ hits: shift(scanValue(p.name, raw, p.value), start), where, siteName: p.name, prop: n });
      });
      break;
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT': {
      const { body, commands } = runCommands(df, ins);
      out.push({ hits: allowed(df, commandHits(body, commands)), where: ins.keyword === 'RUN' ? 'RUN command line' : ins.keyword });
      break;
    }
    case 'HEALTHCHECK':
    case 'ONBUILD': {
      const body = innerCommand(instructionBody(df, ins), ins.keyword);
      if (body) out.push({ hits: allowed(df, commandHits(body.mapped, body.exec ? [] : parseShell(body.mapped))), where: ins.keyword });
      break;
    }
    case 'ADD':
    case 'COPY': {
      const body = instructionBody(df, ins);
      out.push({ hits: strongHits(body.text).map((h) => ({ ...h, start: body.starts[h.start], end: body.ends[h.end - 1] })), where: `${ins.keyword} source` });
      break;
    }
  }
  return out.filter((s) => s.hits.length > 0);
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
