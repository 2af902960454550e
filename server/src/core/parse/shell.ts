/**
 * A small POSIX-shell reader for RUN instructions: words, commands, pipelines, redirections,
 * heredocs, and the scripts nested in `$(...)`, backticks, `<(...)` and `sh -c '...'`.
 * Every character keeps its offsets in the analysed file, so findings point at what is
 * written and fixes can remove exactly it. Hand-written because the libraries that parse
 * shell (shell-quote, bash-parser) give no source offsets. It reads, it never evaluates:
 * variables stay as written.
 */
import type { Span } from '../text';

/** Text taken from the analysed file, each character with its [start, end) offsets there. */
export interface Mapped {
  text: string;
  starts: number[];
  ends: number[];
}

export function mapText(text: string, offset: number): Mapped {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    starts.push(offset + i);
    ends.push(offset + i + 1);
  }
  return { text, starts, ends };
}

export function concatMapped(parts: Mapped[]): Mapped {
  if (parts.length === 1) return parts[0];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const p of parts) {
    for (let i = 0; i < p.starts.length; i++) {
      starts.push(p.starts[i]);
      ends.push(p.ends[i]);
    }
  }
  return { text: parts.map((p) => p.text).join(''), starts, ends };
}

export function sliceMapped(m: Mapped, from: number, to = m.text.length): Mapped {
  return { text: m.text.slice(from, to), starts: m.starts.slice(from, to), ends: m.ends.slice(from, to) };
}

/** The file span of characters [from, to) of a mapped text (empty: where `from` is). */
export function spanOfMapped(m: Mapped, from = 0, to = m.text.length): Span {
  if (m.text.length === 0) return { start: 0, end: 0 };
  if (from >= to) {
    const at = from < m.text.length ? m.starts[from] : m.ends[m.text.length - 1];
    return { start: at, end: at };
  }
  return { start: m.starts[from], end: m.ends[to - 1] };
}

export interface Word {
  /** Quotes and escapes removed; `$VAR` and `$(...)` left as written. */
  value: string;
  /** The characters of `value`, mapped to the file (a `-c` script is read from these). */
  chars: Mapped;
  /** The word as written, quotes included. */
  span: Span;
  /** Scripts inside the word: `$(...)`, backticks, `<(...)`, `>(...)`. */
  nested: Mapped[];
  /** Indexes into `value` of characters written inside single quotes (a `$` there is literal); absent when none. */
  single?: number[];
}

export interface Redirect {
  op: string;
  target: Word | null;
  /** The body of a `<<` heredoc. */
  heredoc?: Mapped;
}

export interface Command {
  /** Leading `NAME=value` words. */
  assignments: Word[];
  words: Word[];
  redirects: Redirect[];
  /** The command whose output is piped into this one (`a | b`: b.pipedFrom is a). */
  pipedFrom: Command | null;
  span: Span;
}

const REDIRECT = /^(<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)/;
const RESERVED_LEAD = new Set(['!', '{', '}', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'fi', 'done', 'esac']);

/** Reads a shell script into its simple commands, in order (nested scripts are not expanded here). */
export function parseShell(src: Mapped): Command[] {
  const t = src.text;
  const out: Command[] = [];
  let cmd = newCommand();
  let pipeFrom: Command | null = null;
  let word: WordBuilder | null = null;
  let pendingRedirect: Redirect | null = null;
  let heredocs: { delim: string; strip: boolean; redirect: Redirect }[] = [];

  const flushWord = () => {
    if (!word) return;
    const w = finishWord(word);
    word = null;
    touch(w.span);
    if (pendingRedirect) {
      pendingRedirect.target = w;
      pendingRedirect = null;
    } else if (cmd.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w.value)) {
      cmd.assignments.push(w);
    } else cmd.words.push(w);
  };
  const touch = (s: Span) => {
    if (cmd.span.end === -1) cmd.span = { start: s.start, end: s.end };
    else cmd.span.end = Math.max(cmd.span.end, s.end);
  };
  const endCommand = (pipe: boolean) => {
    flushWord();
    pendingRedirect = null;
    while (cmd.words.length && cmd.assignments.length === 0 && RESERVED_LEAD.has(cmd.words[0].value)) {
      cmd.words.shift();
      if (cmd.words.length) cmd.span.start = cmd.words[0].span.start;
    }
    const has = cmd.words.length || cmd.assignments.length || cmd.redirects.length;
    if (has) {
      cmd.pipedFrom = pipeFrom;
      out.push(cmd);
    }
    pipeFrom = pipe && has ? cmd : null;
    cmd = newCommand();
  };
  const readHeredocs = (from: number): number => {
    // bodies start on the line after the operator; `from` is just after that line's break
    let i = from;
    for (const h of heredocs) {
      const bodyStart = i;
      let bodyEnd = t.length;
      let next = t.length;
      while (i < t.length) {
        let e = t.indexOf('\n', i);
        if (e < 0) e = t.length;
        let line = t.slice(i, e).replace(/\r$/, '');
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) {
          bodyEnd = i;
          next = Math.min(e + 1, t.length);
          break;
        }
        i = e + 1;
      }
      if (i >= t.length) {
        bodyEnd = t.length;
        next = t.length;
      }
      h.redirect.heredoc = sliceMapped(src, bodyStart, bodyEnd);
      i = next;
    }
    heredocs = [];
    return i;
  };

  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c !== '\n' && /\s/.test(c)) {
      flushWord();
      i++;
    } else if (c === '\n') {
      endCommand(false);
      i = heredocs.length ? readHeredocs(i + 1) : i + 1;
    } else if (c === '#' && !word) {
      while (i < t.length && t[i] !== '\n') i++;
    } else if (c === ';') {
      endCommand(false);
      i++;
    } else if (c === '&' && t[i + 1] !== '>') {
      endCommand(false);
      i += t[i + 1] === '&' ? 2 : 1;
    } else if (c === '|') {
      if (t[i + 1] === '|') {
        endCommand(false);
        i += 2;
      } else {
        endCommand(true);
        i += t[i + 1] === '&' ? 2 : 1;
      }
    } else if (c === '(' || c === ')') {
      endCommand(false);
      i++;
    } else if ((c === '<' || c === '>' || c === '&') && t[i + 1] !== '(') {
      // `2>` : a number right before the operator is a file descriptor, not a word
      if (word && /^\d+$/.test(word.value) && word.raw === word.value) word = null;
      else flushWord();
      const op = REDIRECT.exec(t.slice(i, i + 3))![1];
      const start = i;
      i += op.length;
      const r: Redirect = { op, target: null };
      cmd.redirects.push(r);
      touch(spanOfMapped(src, start, i));
      if (op === '<<' || op === '<<-') {
        while (t[i] === ' ' || t[i] === '\t') i++;
        const b = newWord(i, src);
        i = readWordChars(src, i, b);
        const delim = b.value;
        if (b.value) {
          r.target = finishWord(b);
          touch(r.target.span);
        }
        heredocs.push({ delim, strip: op === '<<-', redirect: r });
      } else pendingRedirect = r;
    } else {
      if (!word) word = newWord(i, src);
      i = readWordChars(src, i, word);
    }
  }
  endCommand(false);
  return out;
}

function newCommand(): Command {
  return { assignments: [], words: [], redirects: [], pipedFrom: null, span: { start: -1, end: -1 } };
}

interface WordBuilder {
  src: Mapped;
  value: string;
  /** the written characters, to tell `2>` from `"2">` */
  raw: string;
  starts: number[];
  ends: number[];
  nested: Mapped[];
  single: number[];
  first: number;
  last: number;
}

function newWord(i: number, src: Mapped): WordBuilder {
  return { src, value: '', raw: '', starts: [], ends: [], nested: [], single: [], first: i, last: i };
}

function finishWord(b: WordBuilder): Word {
  const span = b.last > b.first ? spanOfMapped(b.src, b.first, b.last) : spanOfMapped(b.src, b.first, b.first);
  const w: Word = { value: b.value, chars: { text: b.value, starts: b.starts, ends: b.ends }, span, nested: b.nested };
  if (b.single.length) w.single = b.single;
  return w;
}

const WORD_END = /[\s;&|()<>]/;

/** Reads word characters from `i` into `b` until a word boundary (blank or operator). */
function readWordChars(src: Mapped, i: number, b: WordBuilder): number {
  const t = src.text;
  const add = (k: number, ch = t[k]) => {
    b.value += ch;
    b.starts.push(src.starts[k]);
    b.ends.push(src.ends[k]);
  };
  const addRaw = (from: number, to: number) => {
    for (let k = from; k < to; k++) add(k);
  };
  /** `$(…)`, `<(…)` or a backquoted command starting at `open` (its body at `bodyStart`): read as nested commands. Returns the offset after it. */
  const substitution = (open: number, bodyStart: number, close: number): number => {
    b.nested.push(sliceMapped(src, bodyStart, close));
    addRaw(open, Math.min(close + 1, t.length));
    return close + 1;
  };
  while (i < t.length) {
    const c = t[i];
    if (WORD_END.test(c) && !((c === '<' || c === '>') && t[i + 1] === '(')) break;
    const from = i;
    if (c === '\\') {
      if (t[i + 1] === '\n') i += 2;
      else if (t[i + 1] === '\r' && t[i + 2] === '\n') i += 3;
      else if (i + 1 < t.length) {
        add(i + 1);
        i += 2;
      } else i++;
    } else if (c === "'") {
      const close = t.indexOf("'", i + 1);
      const end = close < 0 ? t.length : close;
      for (let k = b.value.length; k < b.value.length + end - i - 1; k++) b.single.push(k);
      addRaw(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < t.length && t[i] !== '"') {
        if (t[i] === '\\' && i + 1 < t.length) {
          const n = t[i + 1];
          if (n === '\n') i += 2;
          else if ('$`"\\'.includes(n)) {
            add(i + 1);
            i += 2;
          } else {
            add(i);
            i++;
          }
        } else if (t[i] === '$' && t[i + 1] === '(' && t[i + 2] !== '(') {
          i = substitution(i, i + 2, matchParen(t, i + 2));
        } else if (t[i] === '`') {
          i = substitution(i, i + 1, matchBacktick(t, i + 1));
        } else {
          add(i);
          i++;
        }
      }
      i++;
    } else if (c === '$' && t[i + 1] === '(') {
      if (t[i + 2] === '(') {
        const close = matchParen(t, i + 2);
        const end = t[close + 1] === ')' ? close + 2 : close + 1;
        addRaw(i, Math.min(end, t.length));
        i = end;
      } else {
        i = substitution(i, i + 2, matchParen(t, i + 2));
      }
    } else if (c === '$' && t[i + 1] === '{') {
      let close = t.indexOf('}', i + 2);
      if (close < 0) close = t.length - 1;
      addRaw(i, close + 1);
      i = close + 1;
    } else if ((c === '<' || c === '>') && t[i + 1] === '(') {
      i = substitution(i, i + 2, matchParen(t, i + 2));
    } else if (c === '`') {
      i = substitution(i, i + 1, matchBacktick(t, i + 1));
    } else {
      add(i);
      i++;
    }
    b.raw += t.slice(from, i);
    b.last = Math.min(i, t.length);
  }
  return i;
}

/** The index of the `)` closing a `(` just before `from`, skipping quotes and nested parens. */
function matchParen(t: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < t.length) {
    const c = t[i];
    if (c === '\\') i += 2;
    else if (c === "'") {
      const e = t.indexOf("'", i + 1);
      i = e < 0 ? t.length : e + 1;
    } else if (c === '"') {
      i++;
      while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i;
      i++;
    } else i++;
  }
  return t.length;
}

function matchBacktick(t: string, from: number): number {
  let i = from;
  while (i < t.length && t[i] !== '`') i += t[i] === '\\' ? 2 : 1;
  return Math.min(i, t.length);
}

/** Reads an exec-form (JSON array of strings) argument list, or null when it is not one. */
export function parseJsonArray(src: Mapped): Word[] | null {
  const t = src.text;
  let i = 0;
  const ws = () => {
    while (i < t.length && /\s/.test(t[i])) i++;
  };
  ws();
  if (t[i] !== '[') return null;
  i++;
  const out: Word[] = [];
  ws();
  if (t[i] === ']') {
    i++;
    ws();
    return i === t.length ? out : null;
  }
  for (;;) {
    ws();
    if (t[i] !== '"') return null;
    const first = i;
    i++;
    let value = '';
    const starts: number[] = [];
    const ends: number[] = [];
    while (i < t.length && t[i] !== '"') {
      const from = i;
      let ch = t[i];
      if (ch === '\\') {
        const n = t[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (n in simple) {
          ch = simple[n];
          i += 2;
        } else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          ch = String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else return null;
      } else i++;
      value += ch;
      starts.push(src.starts[from]);
      ends.push(src.ends[i - 1]);
    }
    if (t[i] !== '"') return null;
    i++;
    out.push({ value, chars: { text: value, starts, ends }, span: spanOfMapped(src, first, i), nested: [] });
    ws();
    if (t[i] === ',') {
      i++;
      continue;
    }
    if (t[i] !== ']') return null;
    i++;
    ws();
    return i === t.length ? out : null;
  }
}

// ---------------------------------------------------------------------------------------
// What a command runs

export function baseName(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'fish']);
export const INTERPRETERS = /^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*)$/;

/** Options that take a separate argument, for the wrappers a command may go through. */
const WRAPPERS: Record<string, Set<string>> = {
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  exec: new Set(['-a']),
  command: new Set([]),
  nice: new Set(['-n', '--adjustment']),
  nohup: new Set([]),
  time: new Set(['-f', '--format', '-o', '--output']),
  xargs: new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs']),
  stdbuf: new Set(['-i', '-o', '-e']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
};
export const SUDO_ARG_OPTIONS = new Set(['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout', '-R', '--chroot']);

/** Index of the first word after `from` that is not an option (or `--`) of the command. */
export function skipOptions(words: Word[], from: number, takesArg: Set<string>): number {
  let i = from;
  while (i < words.length) {
    const v = words[i].value;
    if (v === '--') return i + 1;
    if (!v.startsWith('-') || v === '-') return i;
    i += takesArg.has(v) ? 2 : 1;
  }
  return i;
}

/**
 * The index of the word that names the program actually run, looking through wrappers such
 * as `env`, `exec`, `nice`, `xargs` (and `sudo` when `throughSudo`). -1 when there is none.
 */
export function programIndex(cmd: Command, throughSudo = false): number {
  const w = cmd.words;
  let i = 0;
  for (let guard = 0; guard < 8 && i < w.length; guard++) {
    const name = baseName(w[i].value);
    if (name === 'sudo' && throughSudo) {
      i = skipOptions(w, i + 1, SUDO_ARG_OPTIONS);
    } else if (name in WRAPPERS) {
      i = skipOptions(w, i + 1, WRAPPERS[name]);
      if (name === 'env') while (i < w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[i].value)) i++;
      if (name === 'timeout' && i < w.length) i++; // the duration
    } else if (name === 'busybox' && i + 1 < w.length) {
      i++;
    } else return i;
  }
  return i < w.length ? i : -1;
}

export function programName(cmd: Command, throughSudo = false): string | null {
  const i = programIndex(cmd, throughSudo);
  return i < 0 ? null : baseName(cmd.words[i].value);
}

export interface ShellInvocation {
  /** The `-c` script. */
  script?: Word;
  /** The script file argument (`sh install.sh`, `sh <(curl ...)`). */
  file?: Word;
  /** Reads its script from standard input (no -c and no file, or `-s`/`-`). */
  stdin: boolean;
}

/** How a shell or an interpreter (python, perl, node ...) gets its program. */
export function invocation(cmd: Command, at: number): ShellInvocation {
  const w = cmd.words;
  const name = baseName(w[at].value);
  const shell = SHELLS.has(name);
  let i = at + 1;
  let c = false;
  let s = false;
  while (i < w.length) {
    const v = w[i].value;
    if (v === '--') {
      i++;
      break;
    }
    if (v === '-' || !/^[-+]/.test(v)) break;
    if (shell) {
      if (/^[-+][oO]$/.test(v) || v === '--rcfile' || v === '--init-file') {
        i += 2;
        continue;
      }
      if (/^-[a-zA-Z]+$/.test(v) && v.includes('c')) c = true;
      if (/^-[a-zA-Z]+$/.test(v) && v.includes('s')) s = true;
    } else {
      if (/^-[a-zA-Z]*[cemrpnE]/.test(v) || v === '--eval' || v === '--print') c = true;
      if (/^-[WXIx]$/.test(v)) {
        i += 2;
        continue;
      }
    }
    i++;
  }
  if (c) return { script: w[i], stdin: false };
  if (s || i >= w.length || w[i].value === '-') return { stdin: true };
  return { file: w[i], stdin: false };
}

/**
 * The scripts a command runs besides itself: substitutions in its words, the `-c` string
 * of a shell, a heredoc fed to a shell, and the bodies of a bare `<<EOF` (how BuildKit runs
 * `RUN <<EOF`).
 */
export function executedScripts(cmd: Command): Mapped[] {
  const out: Mapped[] = [];
  for (const w of [...cmd.assignments, ...cmd.words]) out.push(...w.nested);
  for (const r of cmd.redirects) if (r.target) out.push(...r.target.nested);
  const heredocs = cmd.redirects.filter((r) => r.heredoc).map((r) => r.heredoc!);
  if (cmd.words.length === 0) {
    out.push(...heredocs.filter(isShellScript));
    return out;
  }
  const at = programIndex(cmd, true);
  if (at >= 0 && SHELLS.has(baseName(cmd.words[at].value))) {
    const inv = invocation(cmd, at);
    if (inv.script) {
      // the script is read again as a whole, substitutions included
      for (const n of inv.script.nested) out.splice(out.indexOf(n), 1);
      out.push(inv.script.chars);
    } else if (inv.stdin) out.push(...heredocs);
  }
  return out;
}

/** A heredoc script without a shebang, or with one naming a POSIX shell. */
function isShellScript(m: Mapped): boolean {
  const first = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(m.text);
  if (!first) return true;
  const prog = baseName(first[1]) === 'env' ? first[2] ?? '' : baseName(first[1]);
  return SHELLS.has(prog);
}

/** Visits every command of a script and of the scripts it runs, depth first. */
export function forEachCommand(src: Mapped, visit: (cmd: Command) => void): void {
  forEachIn(parseShell(src), visit, 0);
}

/** The same for commands already read (a RUN's top level). */
export function forEachIn(commands: Command[], visit: (cmd: Command) => void, depth = 0): void {
  if (depth > 6) return;
  for (const cmd of commands) {
    visit(cmd);
    for (const inner of executedScripts(cmd)) forEachIn(parseShell(inner), visit, depth + 1);
  }
}
