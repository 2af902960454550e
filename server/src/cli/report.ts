import * as path from 'node:path';
import pc from 'picocolors';
import type { Rule } from '../core/rule';
import { BUILTIN_IDS } from '../core/rule';
import { SUMMARIES } from '../core/summaries';
import { docsPage } from '../node/docs';
import { printable } from '../core/mask';
import type { TextIndex } from '../core/text';
import type { FileKind, Finding, Severity } from '../core/types';

export interface FileReport {
  /** Relative to the working folder when inside it, else absolute; '/' separators. */
  path: string;
  kind: FileKind;
  index: TextIndex;
  findings: Finding[];
}

export interface RunReport {
  files: FileReport[];
  fixed: number;
  skipped: number;
  /** --fix --dry-run: `fixed` counts the fixes that would be applied. */
  dryRun?: boolean;
}

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  const p = rel && !outside ? rel : path.resolve(file);
  return p.split(path.sep).join('/');
}

function countFindings(r: RunReport): number {
  return r.files.reduce((n, f) => n + f.findings.length, 0);
}

export function toJson(r: RunReport, version: string): string {
  const out = {
    version: 1,
    tool: { name: 'bulkhead', version },
    files: r.files.map((f) => ({
      path: f.path,
      kind: f.kind,
      // a file named on the command line that is none of the three kinds: listed, and says so (CONTRACT.md)
      ...(f.kind === 'unknown' ? { analysed: false, note: NOT_ANALYSED } : {}),
      findings: f.findings.map((x) => ({
        rule: x.rule,
        severity: x.severity,
        message: x.message,
        range: f.index.rangeOf(x),
        fixes: x.fixes.map((fx) => ({ title: fx.title, preferred: fx.preferred })),
      })),
    })),
    summary: { files: r.files.length, findings: countFindings(r), fixed: r.fixed, skipped: r.skipped, ...(r.dryRun ? { dryRun: true } : {}) },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function toText(r: RunReport, color: boolean, quiet: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const lines: string[] = [];
  const sev: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;
  for (const f of r.files) {
    if (f.kind === 'unknown' && !f.findings.length) {
      lines.push(c.underline(printable(f.path)), `  ${c.dim('not analysed:')} ${NOT_ANALYSED}`, '');
      continue;
    }
    const shown = quiet ? f.findings.filter((x) => x.severity === 'error') : f.findings;
    if (!shown.length) continue;
    lines.push(c.underline(printable(f.path))); // a file name may hold escape sequences
    for (const x of shown) {
      const p = f.index.positionAt(x.start);
      const fix = x.fixes.some((fx) => fx.preferred) ? c.dim(' (fixable)') : '';
      lines.push(`  ${c.dim(`${p.line + 1}:${p.character + 1}`.padEnd(7))} ${sev[x.severity](x.severity.padEnd(7))}  ${x.message}  ${c.dim(x.rule)}${fix}`);
    }
    lines.push('');
  }
  for (const f of r.files) {
    for (const x of f.findings) {
      if (x.severity === 'error') errors++;
      else if (x.severity === 'warning') warnings++;
      else infos++;
      if (x.fixes.some((fx) => fx.preferred)) fixable++;
    }
  }
  const total = errors + warnings + infos;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const skipped = r.files.filter((f) => f.kind === 'unknown' && !f.findings.length).length;
  const analysed = r.files.length - skipped;
  const notAnalysed = skipped ? `${plural(skipped, 'file')} not analysed (${NOT_ANALYSED})` : '';
  const summary = total
    ? `${plural(total, 'finding')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info) in ${plural(r.files.filter((f) => f.findings.length).length, 'file')}${skipped ? `; ${notAnalysed}` : ''}`
    : analysed || !skipped
      ? `No findings in ${plural(analysed, 'file')}${skipped ? `; ${notAnalysed}` : ''}`
      : notAnalysed;
  lines.push((total ? c.bold : analysed || !skipped ? c.green : c.yellow)(summary));
  if (fixable) lines.push(c.dim(`${plural(fixable, 'finding')} can be fixed with --fix`));
  if (r.fixed) lines.push(c.green(r.dryRun ? `Would fix ${plural(r.fixed, 'finding')} (--dry-run: nothing written)` : `Fixed ${plural(r.fixed, 'finding')}`));
  return `${lines.join('\n')}\n`;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export function toSarif(r: RunReport, rules: readonly Rule[], version: string, cwd: string): string {
  const ruleIds = [
    ...rules.map((x) => ({ id: x.meta.id, title: x.meta.title, severity: x.meta.severity })),
    ...Object.entries(BUILTIN_IDS).map(([id, severity]) => ({ id, title: BUILTIN_TITLES[id] ?? id, severity })),
  ];
  const ruleIndex = new Map(ruleIds.map((x, i) => [x.id, i]));
  // loaded here, for SARIF only: the other formats need no hashing
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const results = [];
  for (const f of r.files) {
    const seen = new Map<string, number>();
    for (const x of f.findings) {
      const s = f.index.positionAt(x.start);
      const e = f.index.positionAt(x.end);
      // The fingerprint hashes what the user may see (never the source text, which may hold a secret).
      const key = `${x.rule}\0${f.path}\0${x.message}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      results.push({
        ruleId: x.rule,
        ruleIndex: ruleIndex.get(x.rule) ?? -1,
        level: LEVEL[x.severity],
        message: { text: x.message },
        locations: [{
          physicalLocation: {
            artifactLocation: path.isAbsolute(f.path) ? { uri: pathToFileUri(f.path) } : { uri: encodePath(f.path), uriBaseId: '%SRCROOT%' },
            region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
          },
        }],
        partialFingerprints: { 'bulkhead/v1': createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32) },
      });
    }
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'bulkhead',
          version,
          rules: ruleIds.map((x) => ({
            id: x.id,
            name: x.id.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
            shortDescription: { text: x.title },
            fullDescription: { text: SUMMARIES[x.id] ? `${x.title}. ${SUMMARIES[x.id].why}` : `${x.title}.` },
            ...(SUMMARIES[x.id] ? { help: { text: `${SUMMARIES[x.id].why} Fix: ${SUMMARIES[x.id].fix}` } } : {}),
            // the page installed with the CLI (offline, always there); no web copy to point at
            ...(docsPage(x.id) ? { helpUri: docsPage(x.id) } : {}),
            defaultConfiguration: { level: LEVEL[x.severity] },
            properties: { 'security-severity': SECURITY_SEVERITY[x.severity], tags: ['security', 'containers'] },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileUri(cwd)}/` } },
      results: results.map((x) => (x.ruleIndex < 0 ? { ...x, ruleIndex: undefined } : x)),
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Percent-encodes each segment of a '/'-separated path (so '#' and '?' stay part of it). */
function encodePath(p: string): string {
  return p.split('/').map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/');
}

function pathToFileUri(p: string): string {
  const abs = encodePath(path.resolve(p).split(path.sep).join('/'));
  return `file://${abs.startsWith('/') ? '' : '/'}${abs}`.replace(/\/$/, '');
}

/** What the CLI says of a file named on the command line that it did not analyse. */
export const NOT_ANALYSED = 'not a Dockerfile, Compose file or manifest';

export const BUILTIN_TITLES: Record<string, string> = {
  'invalid-dockerfile': 'The Dockerfile cannot be read',
  'invalid-yaml': 'The YAML cannot be read',
  'invalid-config': 'The Bulkhead configuration is not valid',
  'file-too-large': 'The file is too large to analyse',
  'legacy-compose-format': 'Current Compose refuses the legacy v1 Compose format',
  'unused-suppression': 'A bulkhead-ignore comment suppresses nothing',
  'internal-error': 'A rule failed on this file',
};
