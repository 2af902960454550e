/**
 * `--fix --dry-run`: what the fixes would change, as a unified diff (`git apply -p1` and
 * `patch -p1` read it), computed without writing anything.
 */
import * as path from 'node:path';
import type { FileRequest, Finding } from '../core/types';
import { readRegularFile, sideFileProblem } from '../node/files';
import { scanText } from '../secrets/detect';

const MASK = '***';

/**
 * Masks secret values in diff lines (a diff quotes the file, and the CLI never prints a
 * secret): the values the secret findings point at, wherever they appear (the `.env` a fix
 * writes too), and whatever the secret detectors find in a line. A masked line no longer
 * applies as a patch; it is there to be read.
 */
export function secretMasker(text: string, findings: readonly Finding[]): (line: string) => string {
  const values = [...new Set(findings.filter((f) => f.rule === 'no-hardcoded-secrets').map((f) => text.slice(f.start, f.end)).filter((v) => v.length >= 4))];
  values.sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const v of values) out = out.split(v).join(MASK);
    const hits = scanText(out).sort((a, b) => a.start - b.start || b.end - a.end);
    if (!hits.length) return out;
    let masked = '';
    let last = 0;
    for (const h of hits) {
      if (h.end <= last) continue;
      masked += out.slice(last, Math.max(last, h.start)) + MASK;
      last = h.end;
    }
    return masked + out.slice(last);
  };
}

const CONTEXT = 3;

/** Lines with their line break kept apart (a CRLF file diffs as CRLF lines). */
function splitLines(text: string): { lines: string[]; lastHasEol: boolean } {
  if (text === '') return { lines: [], lastHasEol: true };
  const lines = text.split('\n');
  const lastHasEol = lines[lines.length - 1] === '';
  if (lastHasEol) lines.pop();
  return { lines, lastHasEol };
}

type Op = { kind: ' ' | '-' | '+'; a: number; b: number };

/** The edit script between two line lists (Myers' O(ND) algorithm, after trimming the common ends). */
function diffLines(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? 0) < (v.get(k + 1) ?? 0)) ? v.get(k + 1) ?? 0 : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) break outer;
    }
  }
  // walk back through the trace
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? 0) < (vd.get(k + 1) ?? 0)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) middle.push({ kind: ' ', a: pre + --x, b: pre + --y });
    if (d > 0) {
      if (x === prevX) middle.push({ kind: '+', a: pre + x, b: pre + --y });
      else middle.push({ kind: '-', a: pre + --x, b: pre + y });
    }
  }
  middle.reverse();
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: ' ', a: i, b: i });
  ops.push(...middle);
  for (let i = 0; i < suf; i++) ops.push({ kind: ' ', a: a.length - suf + i, b: b.length - suf + i });
  return ops;
}

/**
 * A unified diff of one file (`--- a/<path>` / `+++ b/<path>`, 3 lines of context); `before`
 * null: a new file (`--- /dev/null`). Empty when nothing changes.
 */
export function unifiedDiff(before: string | null, after: string, displayPath: string, mask: (line: string) => string = (l) => l): string {
  if (before === after) return '';
  const name = path.isAbsolute(displayPath) ? displayPath : null;
  const oldName = before === null ? '/dev/null' : name ?? `a/${displayPath}`;
  const newName = name ?? `b/${displayPath}`;
  const A = splitLines(before ?? '');
  const B = splitLines(after);
  // a last line without a line break differs from the same line with one
  const keys = (x: { lines: string[]; lastHasEol: boolean }) => x.lines.map((l, i) => (i === x.lines.length - 1 && !x.lastHasEol ? `${l}\n\\` : l));
  const ops = diffLines(keys(A), keys(B));
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let out = `--- ${oldName}\n+++ ${newName}\n`;
  let i = 0;
  while (i < changed.length) {
    // a hunk: changes closer than 2 * CONTEXT lines share one
    let last = i;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * CONTEXT) last++;
    const from = Math.max(0, changed[i] - CONTEXT);
    const to = Math.min(ops.length - 1, changed[last] + CONTEXT);
    const hunk = ops.slice(from, to + 1);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const aStart = aCount ? hunk.find((o) => o.kind !== '+')!.a + 1 : hunk[0].a;
    const bStart = bCount ? hunk.find((o) => o.kind !== '-')!.b + 1 : hunk[0].b;
    out += `@@ -${aStart}${aCount === 1 ? '' : `,${aCount}`} +${bStart}${bCount === 1 ? '' : `,${bCount}`} @@\n`;
    for (const o of hunk) {
      const src = o.kind === '+' ? B : A;
      const idx = o.kind === '+' ? o.b : o.a;
      out += `${o.kind}${mask(src.lines[idx])}\n`;
      if (idx === src.lines.length - 1 && !src.lastHasEol) out += '\\ No newline at end of file\n';
    }
    i = last + 1;
  }
  return out;
}

/**
 * What a fix's requests for other files would write, without writing: the same checks as
 * applyFileRequests (node/files.ts); refused and unchanged files are left out.
 */
export function previewFileRequests(baseDir: string, requests: FileRequest[], root: string = baseDir): { path: string; before: string | null; after: string }[] {
  const out = new Map<string, { path: string; before: string | null; after: string }>();
  for (const r of requests) {
    const target = path.resolve(baseDir, r.path);
    if (sideFileProblem(target, path.resolve(baseDir), root)) continue;
    const pending = out.get(target);
    let current: string | null;
    if (pending) current = pending.after;
    else {
      const read = readRegularFile(target, { root });
      if (!read.ok && read.reason !== 'missing') continue;
      if (read.ok && read.truncated) continue;
      current = read.ok ? read.text : null;
    }
    const before = pending ? pending.before : current;
    if (current === null) out.set(target, { path: target, before, after: r.text });
    else if (r.kind === 'create') continue;
    else if (r.unlessLine !== undefined && current.split(/\r?\n/).includes(r.unlessLine)) continue;
    else {
      const sep = current.length > 0 && !current.endsWith('\n') ? '\n' : '';
      out.set(target, { path: target, before, after: current + sep + r.text });
    }
  }
  return [...out.values()];
}
