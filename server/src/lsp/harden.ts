/**
 * The "Harden <container>" code action: on any finding of a container, one edit with all of
 * that container's fixes that are safe for its image (core/harden.ts), its title naming what
 * it leaves; a follow-up message says why, sent when the document becomes the hardened text
 * (HardenReports). Not a command on the action: VS Code runs an action's command with
 * arguments through a cache the edit's own change can release first ("Actual command not
 * found"), and a client that runs no commands still gets the message.
 */
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { stripBom } from '../core/text';
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
  reports?: HardenReports,
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
  const offered: HardenOffer[] = [];
  const all = findingsByContainer(result);
  for (const c of containers) {
    // a container with one finding has its quick fix: Harden would be the same edit again
    if ((all.get(c)?.length ?? 0) < 2) continue;
    const key = containerKey(result, c);
    let h = byKey.get(key);
    if (!h) byKey.set(key, (h = hardenContainer(run.engine, run.input, run.config, key, { skipFileFixes: true })));
    const action = fixAllAction(doc, result, h.fixed, support);
    if (!action) continue;
    // the action's edit makes the analysed text (the document without a BOM) the fixed text
    if (h.left.length) offered.push({ text: h.fixed.text, message: hardenReport(c, h) });
    out.push({ title: hardenTitle(c, h), kind: HARDEN_KIND, diagnostics: about.get(c), edit: action.edit });
  }
  reports?.replace(doc.uri, offered);
  return out;
}

/** A Harden action's follow-up message, and the text (without a BOM) the document has once it is applied. */
interface HardenOffer {
  text: string;
  message: string;
}

/**
 * The follow-up messages of the Harden actions offered last, per document. When a change
 * makes the document the text an action leaves (the action was applied), its message is
 * shown, once. Each code action request replaces a document's offers; closing it drops them.
 */
export class HardenReports {
  private readonly offers = new Map<string, HardenOffer[]>();

  constructor(private readonly show: (message: string) => void) {}

  replace(uri: string, offers: HardenOffer[]): void {
    if (offers.length) this.offers.set(uri, offers);
    else this.offers.delete(uri);
  }

  /** A document changed: the message of the action whose text it now has, once. */
  changed(doc: TextDocument): void {
    const offers = this.offers.get(doc.uri);
    if (!offers) return;
    const { text } = stripBom(doc.getText());
    const hit = offers.find((o) => o.text === text);
    if (!hit) return;
    this.offers.delete(doc.uri);
    this.show(hit.message);
  }

  closed(uri: string): void {
    this.offers.delete(uri);
  }
}
