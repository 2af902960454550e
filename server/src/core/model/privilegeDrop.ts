import { instructionWords, type DockerInstruction, type DockerStage, type ParsedDockerfile } from '../parse/dockerfile';
import { memoizedValue } from '../parse/dockerMemo';

/**
 * Whether a Dockerfile's image starts as root and switches to another user by itself: its
 * CMD/ENTRYPOINT (or the entrypoint script it copies in) runs gosu, su-exec, setpriv,
 * runuser, `chroot --userspec` or su, or a build step installs one of them. A `USER` line
 * added to such an image breaks it (gosu and su-exec fail without root), so the USER fix is
 * never preferred there (RULES.md, "Fixes").
 */
export interface PrivilegeDrop {
  /** The tool, as written (`gosu`, `su-exec`, `chroot --userspec`...). */
  tool: string;
  /** `runtime`: the CMD/ENTRYPOINT or its script calls it; `installed`: only a build step names it. */
  where: 'runtime' | 'installed';
  /** The instruction that names it (or that names the script). */
  line: number;
  /** The entrypoint script it was found in, when it was. */
  script?: string;
}

/** A tool that switches user: the word must stand as a command or a path's last part. */
const DROP_TOOL = /(?:^|[\s;&|(`"'/=])(gosu|su-exec|setpriv|runuser|s6-setuidgid|su)(?=$|[\s;&|)`"',\]/])/m;
/** `chroot --userspec=u:g / cmd` (also in exec form: `"chroot", "--userspec=app"`). */
const CHROOT_USERSPEC = /(?:^|[\s;&|(`"'/=])chroot["',\s]+(?:[^\n;&|]*?\s)?["']?--userspec\b/m;

/** The first privilege-switching tool named in a text, or null. */
export function dropToolIn(text: string): string | null {
  const m = DROP_TOOL.exec(text);
  const c = CHROOT_USERSPEC.exec(text);
  if (c && (!m || c.index < m.index)) return 'chroot --userspec';
  return m ? m[1] : null;
}

/**
 * Looks for a privilege drop in the final stage's chain (final first). `read` reads a file of
 * the build context (the Dockerfile's folder); an entrypoint script it cannot read is returned
 * in `unchecked`.
 */
export function findPrivilegeDrop(
  df: ParsedDockerfile,
  chain: DockerStage[],
  read?: (relativePath: string) => string | undefined,
): { drop: PrivilegeDrop | null; unchecked: string | null } {
  const all = chainInstructions(chain);
  // the tool an instruction names, per instruction text: kept across edits
  const toolIn = (i: DockerInstruction) => memoizedValue(df, i, 'drop', '', () => dropToolIn(df.text.slice(i.span.start, i.span.end).slice(i.keyword.length)));
  // the CMD/ENTRYPOINT that take effect: the last of each in the chain
  const runtime = [lastIn(chain, 'ENTRYPOINT'), lastIn(chain, 'CMD')].filter((i): i is DockerInstruction => i !== undefined);
  for (const ins of runtime) {
    const tool = toolIn(ins);
    if (tool) return { drop: { tool, where: 'runtime', line: ins.line }, unchecked: null };
  }
  let unchecked: string | null = null;
  for (const ins of runtime) {
    for (const word of wordValues(df, ins)) {
      if (word.startsWith('-') || !/[./]/.test(word) || word.includes('$')) continue;
      const base = word.split('/').pop()!;
      if (!base || !/\.sh$|entrypoint|start|run|init|boot/i.test(base)) continue;
      const copied = copiedSource(df, all, word, base);
      if (!copied) continue;
      const script = read?.(copied.source);
      if (script === undefined) {
        unchecked ??= copied.source;
        continue;
      }
      const tool = dropToolIn(stripComments(script));
      if (tool) return { drop: { tool, where: 'runtime', line: ins.line, script: copied.source }, unchecked: null };
    }
  }
  for (const ins of all) {
    if (ins.keyword !== 'RUN' && ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    const tool = toolIn(ins);
    if (tool) return { drop: { tool, where: 'installed', line: ins.line }, unchecked };
  }
  return { drop: null, unchecked };
}

/** The instructions of a chain (final stage first) in file order: the stage it is built FROM first. */
function chainInstructions(chain: DockerStage[]): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  for (let s = chain.length - 1; s >= 0; s--) for (const i of chain[s].instructions) out.push(i);
  return out;
}

/** The last instruction with a keyword in a chain (final stage first): the one that takes effect. */
function lastIn(chain: DockerStage[], keyword: string): DockerInstruction | undefined {
  for (const stage of chain) {
    const ins = stage.instructions;
    for (let n = ins.length - 1; n >= 0; n--) if (ins[n].keyword === keyword) return ins[n];
  }
  return undefined;
}

/** An instruction's words (instructionWords), per instruction text: kept across edits. */
function wordValues(df: ParsedDockerfile, ins: DockerInstruction): string[] {
  return memoizedValue(df, ins, 'words', '', () => instructionWords(df, ins).words.map((w) => w.value));
}

function stripComments(script: string): string {
  return script.replace(/^\s*#.*$/gm, '');
}

/** The build-context source of a COPY/ADD that puts `target` (or a file named `base`) into the image. */
function copiedSource(df: ParsedDockerfile, all: DockerInstruction[], target: string, base: string): { source: string; line: number } | null {
  for (const ins of all) {
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    if (ins.flags.some((f) => f.name.toLowerCase() === 'from')) continue;
    const words = wordValues(df, ins);
    if (words.length < 2) continue;
    const dest = words[words.length - 1];
    for (const src of words.slice(0, -1)) {
      if (/^[a-z]+:\/\//i.test(src) || src.includes('$') || /[*?[]/.test(src)) continue;
      const srcBase = src.replace(/\/+$/, '').split('/').pop();
      const into = dest.endsWith('/') ? `${dest}${srcBase}` : dest;
      if (into === target || (srcBase === base && (dest.endsWith('/') || dest.split('/').pop() === base)) || into.split('/').pop() === base) {
        return { source: src.replace(/^\.\//, ''), line: ins.line };
      }
    }
  }
  return null;
}

/**
 * Development servers write into the app's own folder (the Angular and Vite caches, webpack's
 * node_modules/.cache, Django's SQLite file next to the code), which a COPY leaves owned by
 * root: as another uid they fail. Matched on the effective ENTRYPOINT + CMD words.
 */
const DEV_SERVER = /\bng serve\b|\b(?:npm|yarn|pnpm)(?: run)? (?:dev|serve|start:dev)\b|\bvue-cli-service serve\b|\breact-scripts start\b|\bnext dev\b|\bvite(?! build)\b|\bmanage\.py runserver\b|\bnodemon\b/;

/**
 * The development server the image's effective ENTRYPOINT/CMD starts, as matched, or null.
 * `npm start` / `yarn start` / `npm run <script>` are looked up in the build context's
 * package.json when `read` can read it (`"start": "react-scripts start"`).
 */
export function devServerIn(df: ParsedDockerfile, chain: DockerStage[], read?: (relativePath: string) => string | undefined): string | null {
  const line = [lastIn(chain, 'ENTRYPOINT'), lastIn(chain, 'CMD')].flatMap((i) => (i ? wordValues(df, i) : [])).join(' ');
  const m = DEV_SERVER.exec(line);
  if (m) return `'${m[0]}'`;
  const script = /\b(?:npm|yarn|pnpm)(?: run)? ([\w:.-]+)/.exec(line);
  const pkg = script && read?.('package.json');
  if (!script || pkg === undefined || pkg === null) return null;
  try {
    const scripts = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts;
    const body = scripts?.[script[1]];
    const d = typeof body === 'string' ? DEV_SERVER_SCRIPT.exec(body) : null;
    return d ? `'${script[0]}' (${d[0]})` : null;
  } catch {
    return null;
  }
}

/** The same servers as written inside a package.json script. */
const DEV_SERVER_SCRIPT = /\bng serve\b|\bvue-cli-service serve\b|\breact-scripts start\b|\bnext dev\b|\bvite(?! build)\b|\bnodemon\b|\bwebpack(?:-dev-server| serve)\b/;
