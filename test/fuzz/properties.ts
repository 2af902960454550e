/**
 * The properties every analysed file must have, checked in-process against the engine:
 * - no-throw: analyze and fixAll return;
 * - no-hang: each analysis returns within a budget (inputs are bounded, so a slow one is a bug);
 * - range-inside / range-not-in-crlf: every finding range lies in the text and never starts
 *   or ends between `\r` and `\n`; fix-edits-well-formed: a fix's edits are in the text and
 *   do not overlap;
 * - no-secret-in-message: no planted secret (nor 12 characters of one) in a message or fix title;
 * - message-hygiene: messages are bounded and carry no control characters;
 * - no-internal-error: no rule crashed;
 * - fix-all-converges: a second fix-all applies nothing (and fix-all is what its rounds give);
 * - fix-no-new-invalid: fix-all adds no invalid-yaml/invalid-dockerfile finding;
 * - fix-parses-strictly (YAML): each round's text parses strictly with no new error (duplicate keys are errors);
 * - fix-keeps-comments: every comment of the input is still there;
 * - fix-changes-only-edited-nodes (YAML): every node no edit touches is still in place, meaning the same;
 * - fix-keeps-line-endings: a CRLF file stays CRLF.
 * A failure throws PropertyFailure: the property, a short detail (a rule id, an error code)
 * that classifies it, and a message without secret values.
 */
import { mergeConfig } from '../../server/src/core/config';
import { applyEdits, chooseFixes, type AnalysisResult, type AnalyzeInput } from '../../server/src/core/engine';
import type { Finding, Fix, TextEdit } from '../../server/src/core/types';
import { engine } from '../../server/src/rules';
import type { FuzzCase } from './cases';
import { heldBack } from './flags';
import { leakOf } from './secrets';
import { dockerfileComments, missingItems, movedLeaves, newStrictErrors, yamlComments } from './strict';

export class PropertyFailure extends Error {
  constructor(
    readonly property: string,
    readonly detail: string,
    message: string,
  ) {
    super(`[${property}${detail ? `: ${detail}` : ''}] ${message}`);
  }
  /** The failure class: one per property and detail. */
  get key(): string {
    return `${this.property}:${this.detail}`;
  }
}

function fail(property: string, detail: string, message: string): never {
  throw new PropertyFailure(property, detail, message);
}

export interface CheckOptions {
  /** Longest an analysis may take, in ms. */
  budgetMs: number;
}

export interface CaseStats {
  findings: Record<string, number>;
  applied: Record<string, number>;
  rounds: number;
}

const MAX_MESSAGE = 1000;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const isBroken = (f: Finding) => f.rule === 'invalid-yaml' || f.rule === 'invalid-dockerfile';
const isInternal = (f: Finding) => f.rule === 'internal-error' || f.message.startsWith('Internal error');

function where(result: AnalysisResult, f: Finding): string {
  const s = result.index.positionAt(f.start);
  const e = result.index.positionAt(f.end);
  return `${f.rule} [${s.line},${s.character}]-[${e.line},${e.character}]`;
}

/** How many fixes that fix-all does not apply (not preferred, or overlapping) are applied alone per case. */
const SINGLE_FIXES_PER_CASE = 1;

/** Runs the engine on one case and checks every property. */
export function checkCase(c: FuzzCase, opts: CheckOptions): CaseStats {
  const config = mergeConfig(c.config);
  const workspace = c.workspace ? { read: (rel: string) => c.workspace![rel.replace(/^\.\//, '')] } : undefined;
  const input: AnalyzeInput = { text: c.text, path: c.path, workspace };
  const stats: CaseStats = { findings: {}, applied: {}, rounds: 0 };

  /** Runs `f` under the CPU budget (CPU time, not wall time: it must not depend on the machine's load). */
  const timed = <T>(what: string, api: string, f: () => T): T => {
    const t0 = process.cpuUsage();
    let out: T;
    try {
      out = f();
    } catch (e) {
      fail('no-throw', api, `engine.${api} threw on the ${what}: ${(e as Error).stack?.split('\n').slice(0, 4).join(' | ')}`);
    }
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    if (ms > opts.budgetMs) fail('no-hang', api, `engine.${api} on the ${what} took ${ms.toFixed(0)} ms of CPU (budget ${opts.budgetMs} ms)`);
    return out;
  };
  const analyze = (text: string, what: string): AnalysisResult => {
    const result = timed(what, 'analyze', () => engine.analyze({ ...input, text }, config));
    checkFindings(result, c, what);
    return result;
  };

  let result = analyze(c.text, 'input');
  count(stats, result);
  checkSingleFixes(result, c.pick);
  // nothing for fix-all to do: engine.fixAll would return this analysis as it is
  if (chooseFixes(result.findings).length === 0) return stats;
  const first = result;

  // Fix-all, round by round (each preferred fix that does not overlap an earlier one), checking each round's edits.
  let text = result.text;
  for (let round = 0; round < 10; round++) {
    const chosen = chooseFixes(result.findings);
    if (chosen.length === 0) break;
    const edits = chosen.flatMap((f) => f.edits);
    const next = applyEdits(text, edits);
    if (next === text) break;
    stats.rounds++;
    for (const fix of chosen) {
      const rule = ruleOf(result, fix);
      stats.applied[rule] = (stats.applied[rule] ?? 0) + 1;
    }
    checkRound(result, text, next, edits, chosen);
    text = next;
    result = analyze(text, `text after fix-all round ${round + 1}`);
  }

  // engine.fixAll itself (it may also drop fixes that do not clear their finding): its text keeps
  // the same whole-text properties, and a second fix-all on it applies nothing.
  const all = timed('input', 'fixAll', () => engine.fixAll(input, config));
  checkFindings(all.result, c, 'text fix-all gave');
  if (all.text !== text) {
    const p = fixProblems(first.kind, '', first.text, all.text, [{ start: 0, end: first.text.length, text: all.text }]);
    if (p) fail(p[0], ['fix-all', p[1]].filter(Boolean).join(' '), `engine.fixAll: ${p[2]}`);
  }
  const second = timed('text fix-all gave', 'fixAll', () => engine.fixAll({ ...input, text: all.text }, config));
  if (second.applied !== 0 || second.text !== all.text) {
    const pending = chooseFixes(all.result.findings).map((fix) => ruleOf(all.result, fix));
    fail('fix-all-converges', [...new Set(pending)].sort().join(',') || 'unknown', `a second fix-all applied ${second.applied} more fixes (${pending.join(', ')})`);
  }

  const before = first.findings.filter(isBroken).length;
  const afterBroken = all.result.findings.filter(isBroken);
  if (afterBroken.length > before) {
    fail('fix-no-new-invalid', afterBroken[0].rule, `fix-all left ${afterBroken.length} invalid-* findings where the input had ${before}: ${afterBroken.map((f) => where(all.result, f)).join('; ')}`);
  }
  return stats;
}

function count(stats: CaseStats, result: AnalysisResult): void {
  for (const f of result.findings) stats.findings[f.rule] = (stats.findings[f.rule] ?? 0) + 1;
}

/**
 * Fixes fix-all does not take (not preferred: the user picks them) applied alone, a few per
 * case: the same text properties as a fix-all round.
 */
function checkSingleFixes(result: AnalysisResult, pick: number): void {
  const taken = new Set(chooseFixes(result.findings));
  const candidates: [Finding, Fix][] = [];
  for (const f of result.findings) for (const fix of f.fixes) if (!taken.has(fix) && fix.edits.length) candidates.push([f, fix]);
  for (let k = 0; k < Math.min(SINGLE_FIXES_PER_CASE, candidates.length); k++) {
    const [f, fix] = candidates[(pick + k) % candidates.length];
    const p = fixProblems(result.kind, f.rule, result.text, applyEdits(result.text, fix.edits), fix.edits);
    if (p) fail(p[0], ['alone', f.rule, p[1]].filter(Boolean).join(' '), `'${fix.title}' applied alone: ${p[2]}`);
  }
}

function ruleOf(result: AnalysisResult, fix: Fix): string {
  return result.findings.find((f) => f.fixes.includes(fix))?.rule ?? 'unknown';
}

function checkFindings(result: AnalysisResult, c: FuzzCase, what: string): void {
  const { text } = result;
  for (const f of result.findings) {
    if (isInternal(f)) fail('no-internal-error', /rule ([a-z-]+)/.exec(f.message)?.[1] ?? f.rule, `${where(result, f)} on the ${what}`);
    if (!(0 <= f.start && f.start <= f.end && f.end <= text.length)) fail('range-inside', f.rule, `range [${f.start}, ${f.end}) outside a ${text.length}-character text (${what})`);
    for (const at of [f.start, f.end]) {
      if (at > 0 && text[at - 1] === '\r' && text[at] === '\n') fail('range-not-in-crlf', f.rule, `${where(result, f)} has an end inside a CRLF (${what})`);
    }
    if (f.message.length > MAX_MESSAGE) fail('message-hygiene', f.rule, `a ${f.message.length}-character message (${what})`);
    if (CONTROL.test(f.message)) fail('message-hygiene', f.rule, `a message with a control character ${JSON.stringify(CONTROL.exec(f.message)![0])} (${what})`);
    // flagged: parse errors still quote source text (issue 11 item 2)
    const echoes = (f.rule === 'invalid-dockerfile' || f.rule === 'invalid-yaml') && heldBack('ISSUE11_ITEM2_PARSE_ERRORS_QUOTE_SOURCE');
    for (const s of echoes ? [] : c.secrets) {
      const leak = leakOf(s, f.message);
      if (leak) fail('no-secret-in-message', f.rule, `${where(result, f)} message holds ${leak} (${what})`);
    }
    for (const fix of f.fixes) {
      for (const s of c.secrets) {
        const leak = leakOf(s, fix.title);
        if (leak) fail('no-secret-in-message', `${f.rule} fix title`, `a fix title of ${where(result, f)} holds ${leak} (${what})`);
      }
      checkEdits(fix, text.length, f.rule);
    }
  }
}

function checkEdits(fix: Fix, length: number, rule: string): void {
  const edits = fix.edits;
  for (const e of edits) {
    if (!(0 <= e.start && e.start <= e.end && e.end <= length)) fail('fix-edits-well-formed', rule, `edit [${e.start}, ${e.end}) of '${fix.title}' is outside the text`);
  }
  for (let i = 0; i < edits.length; i++) {
    for (let k = i + 1; k < edits.length; k++) {
      const a = edits[i];
      const b = edits[k];
      if ((a.start < b.end && b.start < a.end) || a.start === b.start) fail('fix-edits-well-formed', rule, `edits of '${fix.title}' overlap`);
    }
  }
}

const onlyCrlf = (t: string) => t.includes('\r\n') && !/(^|[^\r])\n/.test(t);

/** What is wrong with `after` (= `text` with `edits` applied): [property, detail, message], or null. */
function fixProblems(kind: string, rule: string, text: string, after: string, edits: readonly TextEdit[]): [string, string, string] | null {
  const yaml = kind === 'compose' || kind === 'kubernetes';
  if (yaml) {
    const errs = newStrictErrors(text, after);
    if (errs.length) return ['fix-parses-strictly', errs[0].replace(/ x\d+$/, ''), `new strict parse errors: ${errs.join(', ')}`];
    const moved = movedLeaves(text, after, edits);
    if (moved.length) return ['fix-changes-only-edited-nodes', '', moved.slice(0, 3).join('; ')];
  }
  let lost = yaml ? missingItems(yamlComments(text), yamlComments(after)) : missingItems(dockerfileComments(text), dockerfileComments(after));
  // removing an unused bulkhead-ignore comment is that fix's job
  if (rule === 'unused-suppression') lost = lost.filter((l) => !l.includes('bulkhead-ignore'));
  if (lost.length) return ['fix-keeps-comments', '', `${lost.length} comment(s) lost`];
  if (onlyCrlf(text) && !onlyCrlf(after)) return ['fix-keeps-line-endings', '', 'a CRLF file got a bare LF'];
  return null;
}

/** One fix-all round: text -> next by `edits` (the chosen fixes). Blames one fix when it can. */
function checkRound(result: AnalysisResult, text: string, next: string, edits: TextEdit[], chosen: Fix[]): void {
  const whole = fixProblems(result.kind, '', text, next, edits);
  if (!whole) return;
  // Blame: the first chosen fix that breaks the property on its own, else the combination.
  for (const fix of chosen) {
    const p = fixProblems(result.kind, ruleOf(result, fix), text, applyEdits(text, fix.edits), fix.edits);
    if (p && p[0] === whole[0]) fail(p[0], [ruleOf(result, fix), p[1]].filter(Boolean).join(' '), `'${fix.title}': ${p[2]}`);
  }
  fail(whole[0], ['combined', whole[1]].filter(Boolean).join(' '), `${chosen.length} fixes together (${chosen.map((f) => `'${f.title}'`).join(', ')}): ${whole[2]}`);
}
