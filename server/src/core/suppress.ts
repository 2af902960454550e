import type { TextIndex, Span } from './text';
import type { PeerIds } from './rule';

/**
 * Suppression comments. Ours: `# bulkhead-ignore <rule>[,<rule>] [-- reason]` on the line
 * above a finding or (YAML only: a Dockerfile has no end-of-line comments) at the end of its
 * line; `# bulkhead-ignore-file <rule>[,<rule>]`. Peers' comments are understood for
 * migration, matched through each rule's peer ids.
 */
export interface Suppression {
  /** Rule ids or peer ids named; '*' means every rule. */
  ids: string[];
  /** Our own comment (reported when unused), as opposed to a peer's. */
  own: boolean;
  file: boolean;
  /** The line the suppression applies to (for file-level: -1). */
  targetLine: number;
  span: Span;
  used: boolean;
}

const OWN = /#\s*bulkhead-ignore(-file)?(?:[ \t]+([A-Za-z0-9_,\- \t]*?))?(?:[ \t]+--.*)?[ \t]*$/;
const HADOLINT = /#\s*hadolint\s+ignore=([A-Za-z0-9_,\s]+)/i;
const CHECKOV = /#\s*checkov:skip=([A-Za-z0-9_]+)/i;
const KICS = /#\s*kics-scan\s+ignore-line\b/i;
const TRIVY = /#\s*trivy:ignore:([A-Za-z0-9\-_]+)/i;
const SECRET_ALLOW = /gitleaks:allow|pragma:\s*allowlist\s+secret/i;

/** Finds the `#` that starts a comment on a line, outside quotes; -1 if none. */
function commentStart(line: string, yaml: boolean): number {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#')) return line.length - trimmed.length;
  if (!yaml) return -1;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:\-[{,]/.test(line[i - 1])) quote = c;
    } else if (c === '#' && i > 0 && /\s/.test(line[i - 1])) return i;
  }
  return -1;
}

export function findSuppressions(index: TextIndex, yaml: boolean): Suppression[] {
  const out: Suppression[] = [];
  const n = index.lineCount;
  // Line kinds on demand (1 blank, 2 comment-only, 0 other): only lines near a `#` are looked at.
  const kinds: number[] = [];
  const kindOf = (l: number) => {
    let k = kinds[l];
    if (k === undefined) {
      const t = index.lineText(l).trim();
      kinds[l] = k = t === '' ? 1 : t.startsWith('#') ? 2 : 0;
    }
    return k;
  };
  const isCommentLine = { at: (l: number) => kindOf(l) === 2 };
  const isBlank = { at: (l: number) => kindOf(l) === 1 };
  const text = index.text;
  for (let hash = text.indexOf('#'); hash >= 0; ) {
    const l = index.positionAt(hash).line;
    hash = l + 1 < n ? text.indexOf('#', index.lineStart(l + 1)) : -1;
    const line = index.lineText(l);
    const at = commentStart(line, yaml);
    if (at < 0) continue;
    const comment = line.slice(at);
    const span = { start: index.lineStart(l) + at, end: index.lineStart(l) + line.length };
    let target = l;
    if (isCommentLine.at(l)) {
      target = l + 1;
      while (target < n && isCommentLine.at(target)) target++;
      if (target >= n || isBlank.at(target)) target = -2; // a comment above nothing applies to nothing
    }
    const add = (ids: string[], own: boolean, file = false) =>
      out.push({ ids, own, file, targetLine: file ? -1 : target, span, used: false });
    const m = OWN.exec(comment);
    if (m) {
      const ids = (m[2] ?? '').split(/[,\s]+/).filter(Boolean);
      add(ids.length ? ids : ['*'], true, Boolean(m[1]));
      continue;
    }
    const h = HADOLINT.exec(comment);
    if (h) add(h[1].split(/[,\s]+/).filter(Boolean), false);
    const c = CHECKOV.exec(comment);
    if (c) add([c[1]], false);
    if (KICS.test(comment)) add(['*'], false);
    const t = TRIVY.exec(comment);
    if (t) add([t[1]], false);
    if (SECRET_ALLOW.test(comment)) {
      // gitleaks:allow sits on the secret's own line
      out.push({ ids: ['no-hardcoded-secrets'], own: false, file: false, targetLine: isCommentLine.at(l) ? target : l, span, used: false });
    }
  }
  return out;
}

/** Trivy writes DS002 as AVD-DS-0002; KSV012 as AVD-KSV-0012. */
function trivyAliases(id: string): string[] {
  const m = /^([A-Z]+)(\d+)$/.exec(id);
  return m ? [id, `AVD-${m[1]}-${m[2].padStart(4, '0')}`] : [id];
}

export function idsFor(rule: string, peers: PeerIds | undefined): Set<string> {
  const ids = new Set([rule.toLowerCase()]);
  if (!peers) return ids;
  for (const list of Object.values(peers) as (string[] | undefined)[]) {
    for (const id of list ?? []) for (const a of trivyAliases(id)) ids.add(a.toLowerCase());
  }
  return ids;
}

/** Marks and returns the suppression that silences a finding, if any. */
export function suppressedBy(sups: Suppression[], rule: string, line: number, ids: Set<string>): Suppression | undefined {
  for (const s of sups) {
    if (!s.file && s.targetLine !== line) continue;
    if (s.ids.includes('*') || s.ids.some((x) => ids.has(x.toLowerCase()))) {
      if (s.ids.includes('*') && !s.own && rule === 'unused-suppression') continue;
      s.used = true;
      return s;
    }
  }
  return undefined;
}
