/**
 * Passwords on command lines, read from the words of each command (core/parse/shell):
 * `curl -u user:pass`, `docker login -p`, `--password=`, `mysql -pSECRET`, `sshpass -p`,
 * `keytool -storepass`, `openssl -passin pass:`, `htpasswd -b`, `echo 'u:p' | chpasswd`,
 * `echo x | docker login --password-stdin`, `-e NAME=value`, leading `NAME=value`, SQL
 * `IDENTIFIED BY '...'`. Hits are file offsets (each word keeps its characters' offsets).
 */
import { baseName, forEachIn, programIndex, type Command, type Mapped, type Word } from '../core/parse/shell';
import { credentialHit, dedupe, nameHit, pairHits, strongHits, type SecretHit } from './detect';
import { secretName } from './names';
import { isPlaceholder, overlaps, valueParts } from './values';

const CLI_KIND = 'Password';

function wordSpan(w: Word, from: number, to: number): { start: number; end: number } | null {
  const c = w.chars;
  if (from >= to || from < 0 || to > c.text.length) return null;
  return { start: c.starts[from], end: c.ends[to - 1] };
}

/** A literal password in `w.value[from..]`: not empty, not a reference, not a placeholder. */
function literalAt(w: Word, from: number, name: string, kind = CLI_KIND, to = w.value.length): SecretHit | null {
  const v = w.value.slice(from, to);
  if (!v || isPlaceholder(v) || v.startsWith('-')) return null;
  const refs = valueParts(v).refs;
  if (overlaps({ start: 0, end: v.length }, refs)) return null;
  const span = wordSpan(w, from, to);
  return span ? credentialHit(span, kind, 'cli', v, name) : null;
}

/**
 * The word as the detectors should read it: a `$` or backquote written inside single
 * quotes is literal text (`-p'Dk7$x!'` is a password, not `$x`), so it is made inert.
 */
function inert(w: Word): Word {
  if (!w.single || !/[$`]/.test(w.value)) return w;
  const chars = [...w.value];
  for (const i of w.single) if (chars[i] === '$' || chars[i] === '`') chars[i] = '\u00a4';
  const value = chars.join('');
  return { ...w, value, chars: { ...w.chars, text: value } };
}

function inertCommand(cmd: Command): Command {
  return { ...cmd, assignments: cmd.assignments.map(inert), words: cmd.words.map(inert), pipedFrom: cmd.pipedFrom && inertCommand(cmd.pipedFrom) };
}

const WRITERS = new Set(['echo', 'printf']);

/**
 * Credentials written into files: `echo "machine h login u password p" > ~/.netrc`,
 * `echo "//host/:_authToken=..." >> .npmrc`, `printf '...password = p\n' > ~/.pypirc`,
 * `cat > ~/.netrc <<EOF`: the written text read as a file of `key=value`/`key: value` pairs.
 */
function writtenHits(cmd: Command, prog: string, args: Word[]): SecretHit[] {
  const out: SecretHit[] = [];
  const toFile = cmd.redirects.some((r) => r.op === '>' || r.op === '>>' || r.op === '>|');
  if (WRITERS.has(prog) && (toFile || cmd.pipedFrom === null)) {
    for (const a of args) {
      if (a.value.startsWith('-') || !/[=:\s]|\\n/.test(a.value)) continue;
      for (const h of pairHits(a.value, true)) {
        const span = wordSpan(a, h.start, h.end);
        if (span) out.push({ ...h, ...span });
      }
    }
  }
  for (const r of cmd.redirects) {
    const body = r.heredoc;
    if (!body || !/[=:]|passw/.test(body.text)) continue;
    for (const h of pairHits(body.text, true)) if (h.end > h.start) out.push({ ...h, start: body.starts[h.start], end: body.ends[h.end - 1] });
  }
  return out;
}

/** `NAME=value` words judged by the name heuristic; `a=1,b=2` lists (helm --set) split. */
function assignmentHits(w: Word): SecretHit[] {
  const out: SecretHit[] = [];
  const v = w.value;
  if (!/^[A-Za-z_][A-Za-z0-9_.\-[\]]*=/.test(v)) return out;
  const parts = /^[^=,]+=[^,]*(?:,[^=,]+=[^,]*)+$/.test(v) ? v.split(',') : [v];
  let at = 0;
  for (const p of parts) {
    const eq = p.indexOf('=');
    const hit = eq > 0 ? nameHit(p.slice(0, eq), p.slice(eq + 1)) : null;
    if (hit) {
      const span = wordSpan(w, at + eq + 1 + hit.start, at + eq + 1 + hit.end);
      if (span) out.push({ ...hit, ...span });
    }
    at += p.length + 1;
  }
  return out;
}

const LOGIN_TOOLS = new Set(['docker', 'podman', 'nerdctl', 'buildah', 'skopeo', 'helm', 'oras', 'crane', 'regctl', 'cosign', 'az', 'finch', 'notation']);
const MYSQL_TOOLS = /^(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mariadb|mariadb-dump|mariadb-admin|mariadb-import)$/;
const MONGO_TOOLS = /^(?:mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop|mongofiles)$/;
const HTTP_USER_FLAGS = new Set(['-u', '--user', '-U', '--proxy-user']);
const KEYTOOL_FLAGS = new Set(['-storepass', '-keypass', '-srcstorepass', '-deststorepass', '-srckeypass', '-destkeypass', '-new', '-password']);

/** The literal an `echo`/`printf` piped into this command writes, as its word. */
function pipedLiteral(cmd: Command): Word | null {
  const from = cmd.pipedFrom;
  if (!from || from.words.length < 2) return null;
  const p = baseName(from.words[0].value);
  if (p !== 'echo' && p !== 'printf') return null;
  const args = from.words.slice(1).filter((w) => !/^-[neE]+$/.test(w.value));
  if (p === 'printf' && args.length >= 2 && /^%s(\\n)?$/.test(args[0].value)) return args[1];
  return args.length === 1 ? args[0] : null;
}

function argvHits(written: Command): SecretHit[] {
  const cmd = inertCommand(written);
  const out: SecretHit[] = [];
  const push = (h: SecretHit | null) => {
    if (h) out.push(h);
  };
  for (const a of cmd.assignments) out.push(...assignmentHits(a));
  const at = programIndex(cmd, true);
  if (at < 0) return out;
  const w = cmd.words;
  // arguments without a program (Kubernetes `args:`, a Compose `command:` for the image's entrypoint)
  const bare = w[at].value.startsWith('-');
  const prog = bare ? '' : baseName(w[at].value);
  const args = w.slice(bare ? at : at + 1);
  const isLogin = LOGIN_TOOLS.has(prog) && args.some((x) => x.value === 'login');
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    const v = x.value;
    const next = args[i + 1];
    if (v.startsWith('--') && v.length > 2) {
      const eq = v.indexOf('=');
      const flag = eq > 0 ? v.slice(2, eq) : v.slice(2);
      const info = secretName(flag);
      if (eq > 0) {
        const value = v.slice(eq + 1);
        if (info && !/\b(?:id|src|source|type|env)=/.test(value)) {
          const hit = nameHit(flag, value, value, info);
          const span = hit && wordSpan(x, eq + 1 + hit.start, eq + 1 + hit.end);
          if (hit && span) out.push({ ...hit, ...span, name: `--${flag}` });
        } else out.push(...assignmentHits({ ...x, value, chars: sliceChars(x.chars, eq + 1) }));
      } else if (info?.strength === 'strong' && next && !next.value.startsWith('-') && !/\b(?:id|src|type)=/.test(next.value)) {
        const hit = nameHit(flag, next.value, next.value, info);
        const span = hit && wordSpan(next, hit.start, hit.end);
        if (hit && span) out.push({ ...hit, ...span, name: `--${flag}` });
        i++;
      } else if (HTTP_USER_FLAGS.has(v) && next) {
        push(userPass(next, 0, `${prog} ${v}`));
        i++;
      }
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      if (HTTP_USER_FLAGS.has(v) && next && (prog === 'curl' || prog === 'wget' || prog === 'http' || prog === 'https')) {
        push(userPass(next, 0, `${prog} ${v}`));
        i++;
      } else if (/^-u./.test(v) && prog === 'curl') push(userPass(x, 2, 'curl -u'));
      else if ((prog === 'http' || prog === 'https') && (v === '-a' || v === '--auth') && next) {
        push(userPass(next, 0, `${prog} ${v}`));
        i++;
      } else if (v === '-p' && next && (isLogin || prog === 'sshpass' || MONGO_TOOLS.test(prog))) {
        push(literalAt(next, 0, `${prog} -p`));
        i++;
      } else if (/^-p./.test(v) && (MYSQL_TOOLS.test(prog) || prog === 'sshpass' || isLogin)) push(literalAt(x, 2, `${prog} -p`));
      else if (v === '-a' && prog === 'redis-cli' && next) {
        push(literalAt(next, 0, 'redis-cli -a'));
        i++;
      } else if (prog === 'keytool' && KEYTOOL_FLAGS.has(v) && next) {
        push(literalAt(next, 0, `keytool ${v}`));
        i++;
      } else if (prog === 'openssl' && /^-pass(?:in|out)?$/.test(v) && next) {
        if (next.value.startsWith('pass:')) push(literalAt(next, 5, `openssl ${v}`));
        i++;
      } else if (!/^-[A-Za-z]$/.test(v)) {
        // -Dkey=value (Java system properties)
        if (v.startsWith('-D')) out.push(...assignmentHits({ ...x, value: v.slice(2), chars: sliceChars(x.chars, 2) }));
      }
      continue;
    }
    out.push(...assignmentHits(x));
  }
  if (prog === 'htpasswd') {
    const flags = args.filter((x) => /^-[a-zA-Z]+$/.test(x.value)).map((x) => x.value).join('');
    if (flags.includes('b')) {
      const pos = args.filter((x) => !x.value.startsWith('-'));
      const pw = pos[flags.includes('n') ? 1 : 2];
      if (pw) push(literalAt(pw, 0, 'htpasswd -b'));
    }
  }
  if ((prog === 'npm' || prog === 'yarn' || prog === 'pnpm') && args[0]?.value === 'config' && args[1]?.value === 'set' && args.length >= 4) {
    const key = /[A-Za-z_][A-Za-z0-9_.-]*$/.exec(args[2].value)?.[0];
    const hit = key ? nameHit(key, args[3].value) : null;
    const span = hit && wordSpan(args[3], hit.start, hit.end);
    if (hit && span) out.push({ ...hit, ...span, name: key });
  }
  if (prog === 'composer' && args.some((x) => x.value === 'config')) {
    const ci = args.findIndex((x) => /^(?:http-basic|bearer|github-oauth|gitlab-token|gitlab-oauth|bitbucket-oauth)\./.test(x.value));
    if (ci >= 0) {
      const kind = args[ci].value.startsWith('http-basic') ? 2 : 1;
      const pw = args[ci + kind];
      if (pw) push(literalAt(pw, 0, 'composer config', args[ci].value.startsWith('http-basic') ? CLI_KIND : 'Token'));
    }
  }
  out.push(...writtenHits(cmd, prog, args));
  const piped = pipedLiteral(cmd);
  if (piped) {
    if (prog === 'chpasswd') {
      const colon = piped.value.indexOf(':');
      if (colon > 0) push(literalAt(piped, colon + 1, 'chpasswd'));
    } else if (args.some((x) => x.value === '--password-stdin' || x.value === '--stdin')) push(literalAt(piped, 0, `${prog} --password-stdin`));
  }
  return out;
}

function sliceChars(m: Mapped, from: number): Mapped {
  return { text: m.text.slice(from), starts: m.starts.slice(from), ends: m.ends.slice(from) };
}

/** `user:pass` (the password part), for `curl -u` and the like. */
function userPass(w: Word, from: number, name: string): SecretHit | null {
  const colon = w.value.indexOf(':', from);
  if (colon < 0) return null;
  return literalAt(w, colon + 1, name);
}

const SQL_PASSWORD = /\b(?:identified\s+(?:with\s+\S+\s+)?by|(?:encrypted\s+)?password)\s+'([^'\n]{1,200})'/gi;

/**
 * Every detector over the commands of a script: strong ones over the text as written
 * (`body`), argv rules over the words of each command and of the scripts it runs.
 */
export function commandHits(body: Mapped, commands: Command[]): SecretHit[] {
  const hits: SecretHit[] = [];
  const map = (r: { start: number; end: number }) => (r.end > r.start ? { start: body.starts[r.start], end: body.ends[r.end - 1] } : null);
  for (const h of strongHits(body.text)) {
    const span = map(h);
    if (span) hits.push({ ...h, ...span });
  }
  if (/identified|password/i.test(body.text)) {
    SQL_PASSWORD.lastIndex = 0;
    for (let m = SQL_PASSWORD.exec(body.text); m; m = SQL_PASSWORD.exec(body.text)) {
      const start = m.index + m[0].length - 1 - m[1].length;
      const v = m[1];
      if (isPlaceholder(v) || overlaps({ start: 0, end: v.length }, valueParts(v).refs)) continue;
      const span = map({ start, end: start + v.length });
      if (span) hits.push(credentialHit(span, 'Password', 'cli', v, 'SQL'));
    }
  }
  forEachIn(commands, (cmd) => hits.push(...argvHits(cmd)));
  return dedupe(hits);
}
