/**
 * CodeLens above each container (Compose service, Kubernetes container, a Dockerfile's final
 * stage): its hardening at a glance, from the analysis already cached for the document.
 * Clicking it lists the container's findings (the client's `bulkhead.showContainerFindings`).
 */
import type { CodeLens, Location, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Config } from '../core/config';
import type { AnalysisResult } from '../core/engine';
import { lensTitle, scoreContainers } from '../core/harden';
import type { Rule } from '../core/rule';
import { ClientPositions } from './convert';

/** The client command a lens runs: (uri, position, locations) — VS Code's references peek. */
export const SHOW_FINDINGS_COMMAND = 'bulkhead.showContainerFindings';

export function codeLenses(doc: TextDocument, result: AnalysisResult, rules: readonly Rule[], config: Config): CodeLens[] {
  const pos = new ClientPositions(result, doc.getText());
  const out: CodeLens[] = [];
  for (const s of scoreContainers(result, rules, config)) {
    if (s.total === 0) continue;
    const at = pos.range(s.container.anchor);
    const line: Position = { line: at.start.line, character: 0 };
    const range = { start: line, end: line };
    const locations: Location[] = s.findings.map((f) => ({ uri: doc.uri, range: pos.range(f) }));
    out.push({
      range,
      command: {
        title: lensTitle(s),
        // nothing to list: the lens is text only
        command: locations.length ? SHOW_FINDINGS_COMMAND : '',
        arguments: locations.length ? [doc.uri, at.start, locations] : undefined,
      },
    });
  }
  return out;
}
