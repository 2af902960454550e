/**
 * What the editor does with a .bulkhead.yaml, the same as the CLI (docs/configuration.md):
 * warnings (unknown keys and rule ids) leave the rest of the file in force; an error makes
 * the whole file unusable. The CLI then stops with exit code 2; the editor keeps checking
 * with its own settings and puts one `invalid-config` error at the top of every file under
 * that configuration, so no one reads its findings as the configured ones.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver';
import { configErrors, type ConfigLayer, type ConfigProblem } from '../core/config';
import { TextIndex } from '../core/text';

/** Broken configuration files by URI: the first error and its 1-based line. */
export type BrokenConfigs = Map<string, { message: string; line: number }>;

/** The layer to use for a parsed configuration file: none of it when it has an error. */
export function usableLayer(fileUri: string, parsed: { layer: ConfigLayer; problems: ConfigProblem[] }, text: string, broken: BrokenConfigs): ConfigLayer {
  const errors = configErrors(parsed.problems);
  if (!errors.length) {
    broken.delete(fileUri);
    return parsed.layer;
  }
  const first = errors[0];
  const line = first.span ? new TextIndex(text).positionAt(first.span.start).line + 1 : 1;
  broken.set(fileUri, { message: first.message, line });
  return {};
}

/** The notice for a document whose nearest configuration file is broken (else none). */
export function brokenConfigNotice(configUri: string, docUri: string, broken: BrokenConfigs, docs: (rule: string) => string | undefined): Diagnostic[] {
  const b = configUri ? broken.get(configUri) : undefined;
  if (!b) return [];
  const doc = URI.parse(docUri).fsPath;
  const rel = path.relative(path.dirname(doc), URI.parse(configUri).fsPath).split(path.sep).join('/');
  const href = docs('invalid-config');
  return [{
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 1,
    code: 'invalid-config',
    ...(href ? { codeDescription: { href } } : {}),
    source: 'bulkhead',
    message: `${rel} is not used: it has an error (line ${b.line}: ${b.message}). These findings use the editor settings; the CLI stops on this file until it is fixed`,
  }];
}
