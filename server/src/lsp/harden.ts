/**
 * The "Harden <container>" code action: on any finding of a container, one edit with all of
 * that container's fixes that are safe for its image (core/harden.ts), its title naming what
 * it leaves; a follow-up message (the server's `bulkhead.server.hardenReport` command) says why.
 */
import type { CodeAction, Command, Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Config } from '../core/config';
import type { AnalysisResult, AnalyzeInput, Engine } from '../core/engine';
import { containerKey, describeLeft, findingsByContainer, hardenContainer, ownersOf, type HardenResult } from '../core/harden';
import type { ContainerSpec } from '../core/model/container';
import { fixAllAction, matchFinding, type ClientEditSupport } from './actions';
import { ClientPositions } from './convert';

export const HARDEN_KIND = 'quickfix.bulkhead.harden';
export const HARDEN_REPORT_COMMAND = 'bulkhead.server.hardenReport';

/** Harden results per analysis (a new document version is a new analysis) and container. */
const memo = new WeakMap<AnalysisResult, Map<string, HardenResult>>();

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The title: what it applies, and the rules it leaves for review. */
export function hardenTitle(c: ContainerSpec, h: HardenResult): string {
  const left = [...new Set(h.left.map((l) => l.rule))];
  return `Harden ${c.name}: ${plural(h.fixed.applied, 'safe fix', 'safe fixes')}${left.length ? `; left for review: ${left.join(', ')}` : ''}`;
}

/** The follow-up message: what was left, and why. */
export function hardenReport(c: ContainerSpec, h: HardenResult): string {
  return `Hardened ${c.name} (${plural(h.fixed.applied, 'fix', 'fixes')} applied). Left for review: ${describeLeft(h.left)}.`;
}

export function hardenActions(
  doc: TextDocument,
  result: AnalysisResult,
  diagnostics: Diagnostic[],
  support: ClientEditSupport,
  run: { engine: Engine; input: AnalyzeInput; config: Config },
): CodeAction[] {
  const pos = new ClientPositions(result, doc.getText());
  const containers: ContainerSpec[] = [];
  const about = new Map<ContainerSpec, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.source !== 'bulkhead') continue;
    const f = matchFinding(result, pos, d);
    if (!f) continue;
    for (const c of ownersOf(result, f)) {
      if (!about.has(c)) {
        containers.push(c);
        about.set(c, []);
      }
      about.get(c)!.push(d);
    }
  }
  let byKey = memo.get(result);
  if (!byKey) memo.set(result, (byKey = new Map()));
  const out: CodeAction[] = [];
  const all = findingsByContainer(result);
  for (const c of containers) {
    // a container with one finding has its quick fix: Harden would be the same edit again
    if ((all.get(c)?.length ?? 0) < 2) continue;
    const key = containerKey(result, c);
    let h = byKey.get(key);
    if (!h) byKey.set(key, (h = hardenContainer(run.engine, run.input, run.config, key, { skipFileFixes: true })));
    const action = fixAllAction(doc, result, h.fixed, support);
    if (!action) continue;
    const report: Command | undefined = h.left.length ? { title: 'What Harden left', command: HARDEN_REPORT_COMMAND, arguments: [hardenReport(c, h)] } : undefined;
    out.push({ title: hardenTitle(c, h), kind: HARDEN_KIND, diagnostics: about.get(c), edit: action.edit, ...(report ? { command: report } : {}) });
  }
  return out;
}
