import { addSourceKind, shellAt } from '../../core/model/fromDockerfile';
import { expand, memoizedInScope, type Scope } from '../../core/model/dockerVars';
import { memoized, moveSpans } from '../../core/parse/dockerMemo';
import { instructionWords, runCommands, type DockerInstruction, type ParsedDockerfile } from '../../core/parse/dockerfile';
import {
  baseName, forEachCommand, forEachIn, INTERPRETERS, invocation, programIndex, SHELLS,
  type Command, type Mapped,
} from '../../core/parse/shell';
import type { Rule, RuleContext } from '../../core/rule';
import type { Report } from '../../core/types';

export const messages = {
  addUrl: (url: string) => `ADD downloads '${url}' without --checksum, so nothing verifies what the server sends`,
  addGit: (url: string) => `ADD fetches the git repository '${url}' at a branch or tag that can move: pin a full commit (#<40-hex>) or add --checksum`,
  pipe: (download: Download, shell: string) =>
    `RUN pipes ${target(download)} straight into ${shell}: nothing verifies what the server sent before it runs`,
  substitution: (download: Download) => `RUN executes ${target(download)} without verifying it`,
  powershell: () => 'RUN executes a script downloaded by PowerShell (Invoke-Expression) without verifying it',
};

interface Download {
  tool: string;
  url: string | null;
}

const target = (d: Download) => (d.url ? `'${d.url}' downloaded by ${d.tool}` : `a download from ${d.tool}`);

const DOWNLOADERS = new Set(['curl', 'wget']);
/** A git ref pinned to a commit: `#<sha>` (optionally `:subdir`), or `commit=`/`checksum=` in the query. */
const PINNED_GIT = /#[0-9a-f]{40}([0-9a-f]{24})?(:|$)|[?&](commit|checksum)=[0-9a-f]{40}/i;

export const rule: Rule = {
  meta: {
    id: 'verify-downloads',
    title: 'A download is used without verifying it',
    severity: 'warning',
    platforms: ['dockerfile'],
    fixable: false,
    peers: {},
  },
  check(ctx) {
    const model = ctx.file.dockerfile;
    if (!model) return;
    const df = model.parsed;
    // Every stage: what a builder stage downloads ends up in what it builds.
    for (const stage of df.stages) {
      for (const ins of stage.instructions) {
        // what an instruction shows depends on its text, the variables it names and the shell it runs in: kept across edits
        let found: Report[] | null = null;
        if (ins.keyword === 'ADD') found = memoizedInScope(df, stage, ins, 'verify-downloads', '', (scope, globals) => collect((c) => checkAdd(c, df, ins, scope, globals)), moveSpans);
        else if (ins.keyword === 'RUN') {
          const shell = shellAt(df, stage, ins);
          found = memoized(df, ins, 'verify-downloads', `${shell ? shell.join('\0') : '-'}\0${model.windows}`, () => collect((c) => checkRun(c, df, ins, shell, model.windows)), moveSpans);
        }
        if (found) for (const r of found) ctx.report(r);
      }
    }
  },
};

/** What a check reports, collected. */
function collect(check: (ctx: Pick<RuleContext, 'report'>) => void): Report[] {
  const out: Report[] = [];
  check({ report: (r) => out.push(r) });
  return out;
}

function checkAdd(ctx: Pick<RuleContext, 'report'>, df: ParsedDockerfile, ins: DockerInstruction, scope: Scope, globals: Scope): void {
  const checksum = ins.flags.find((f) => f.name.toLowerCase() === 'checksum' && (f.value ?? '').trim() !== '');
  const { words } = instructionWords(df, ins);
  for (const src of words.slice(0, -1)) {
    const x = expand(src.value, scope, globals, df.escape);
    if (x.unknown) continue;
    const kind = addSourceKind(x.value);
    if (checksum || kind === 'local') continue;
    if (kind === 'git' && PINNED_GIT.test(x.value)) continue;
    ctx.report({ start: src.span.start, end: src.span.end, message: kind === 'git' ? messages.addGit(src.value) : messages.addUrl(src.value) });
  }
}

function checkRun(ctx: Pick<RuleContext, 'report'>, df: ParsedDockerfile, ins: DockerInstruction, shell: string[] | null, windows: boolean): void {
  const run = runCommands(df, ins);
  const shellName = shell?.length ? baseName(shell[0].replace(/\\/g, '/')).toLowerCase().replace(/\.exe$/, '') : null;
  const powershell = shellName === 'powershell' || shellName === 'pwsh';
  if (powershell || /\b(powershell|pwsh)\b/i.test(run.body.text)) checkPowerShell(ctx, run.body);
  // Shell form runs through SHELL (cmd on Windows by default); exec form runs its program directly.
  const posix = run.exec !== null || (shellName === null ? !windows : SHELLS.has(shellName));
  if (!posix) return;
  forEachIn(run.commands, (cmd) => {
    const found = executesDownload(cmd);
    if (found) ctx.report({ start: found.span.start, end: found.span.end, message: found.message });
  });
}

/** The download a command runs as code, if it does: piped into a shell, or substituted where a script goes. */
function executesDownload(cmd: Command): { span: { start: number; end: number }; message: string } | null {
  const at = programIndex(cmd, true);
  if (at < 0) return null;
  const program = cmd.words[at];
  const inProgram = downloadIn(program.nested);
  if (inProgram) return { span: program.span, message: messages.substitution(inProgram) };
  const name = baseName(program.value);
  const args = cmd.words.slice(at + 1);
  if (name === 'eval') {
    const d = downloadIn(args.flatMap((w) => w.nested));
    return d ? { span: cmd.span, message: messages.substitution(d) } : null;
  }
  if (name === 'source' || name === '.') {
    const d = args.length ? downloadIn(args[0].nested) : null;
    return d ? { span: cmd.span, message: messages.substitution(d) } : null;
  }
  if (!SHELLS.has(name) && !INTERPRETERS.test(name)) return null;
  const inv = invocation(cmd, at);
  if (inv.file) {
    const d = downloadIn(inv.file.nested);
    return d ? { span: cmd.span, message: messages.substitution(d) } : null;
  }
  if (!inv.stdin || cmd.redirects.some((r) => r.heredoc)) return null;
  const input = cmd.redirects.find((r) => r.op === '<' || r.op === '<>');
  if (input) {
    const d = input.target ? downloadIn(input.target.nested) : null;
    return d ? { span: cmd.span, message: messages.substitution(d) } : null;
  }
  for (let from = cmd.pipedFrom; from; from = from.pipedFrom) {
    const d = asDownload(from);
    if (d) return { span: { start: from.span.start, end: cmd.span.end }, message: messages.pipe(d, name) };
  }
  return null;
}

function asDownload(cmd: Command): Download | null {
  const at = programIndex(cmd, true);
  if (at < 0) return null;
  const tool = baseName(cmd.words[at].value);
  if (!DOWNLOADERS.has(tool)) return null;
  const url = cmd.words.slice(at + 1).find((w) => /^[a-z][a-z0-9+.-]*:\/\//i.test(w.value) || /^\$\{?[A-Za-z_]*UR[LI]/.test(w.value));
  return { tool, url: url?.value ?? null };
}

/** The first download in some scripts (substitutions), if any. */
function downloadIn(scripts: Mapped[]): Download | null {
  let found: Download | null = null;
  for (const s of scripts) {
    forEachCommand(s, (c) => {
      found ??= asDownload(c);
    });
    if (found) return found;
  }
  return null;
}

/** `iex (New-Object Net.WebClient).DownloadString(...)`, `iwr … | iex` and the like, one statement at a time. */
function checkPowerShell(ctx: Pick<RuleContext, 'report'>, body: Mapped): void {
  const text = body.text;
  const re = /[^;\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const s = m[0];
    if (!/\b(iex|invoke-expression)\b/i.test(s)) continue;
    if (!/downloadstring|downloadfile|invoke-webrequest|invoke-restmethod|\b(iwr|irm|curl|wget)\b/i.test(s)) continue;
    const lead = s.length - s.trimStart().length;
    const from = m.index + lead;
    const to = m.index + s.trimEnd().length;
    ctx.report({ start: body.starts[from], end: body.ends[to - 1], message: messages.powershell() });
  }
}
