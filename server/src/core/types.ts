import type { Span } from './text';

export type FileKind = 'dockerfile' | 'compose' | 'kubernetes' | 'unknown';
export type Platform = 'dockerfile' | 'compose' | 'kubernetes';
export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';
export type Preset = 'baseline' | 'recommended' | 'strict';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** One replacement in the analysed document: [start, end) offsets -> text. */
export interface TextEdit extends Span {
  text: string;
}

/**
 * A change to another file, by a path relative to the analysed document's folder.
 * `append` adds `text` at the end (creating the file); when `unlessLine` is given and the
 * file already has that exact line, nothing is written. `create` writes a new file and is
 * skipped if the file exists.
 */
export interface FileRequest {
  path: string;
  kind: 'create' | 'append';
  text: string;
  unlessLine?: string;
}

export interface Fix {
  title: string;
  /** Safe to apply without looking: used by quick-fix "preferred", fix-all and --fix. */
  preferred: boolean;
  edits: TextEdit[];
  files?: FileRequest[];
}

/**
 * A fix planned while analysing: its title and safety are known, its edits are made by
 * `build` when something reads the finding's fixes (a code action, fix-all, `--fix`). A build
 * that returns null (the edit turned out impossible) offers no fix. A report that lists
 * fixes (`--format json`) reads the title and safety only (engine `fixOffers`).
 */
export interface PlannedFix {
  title: string;
  preferred: boolean;
  build(): Change | null;
}

/** A change a fix makes: edits to the analysed document, and rarely side files. */
export interface Change {
  edits: TextEdit[];
  files?: FileRequest[];
}

/** What a report says of a fix: its title and whether it is safe. */
export type FixOffer = Pick<Fix, 'title' | 'preferred'>;

export interface Finding extends Span {
  rule: string;
  severity: Severity;
  message: string;
  fixes: Fix[];
}

/** What a rule reports; severity is resolved by the engine. */
export interface Report extends Span {
  message: string;
  /**
   * The finding's fixes, or a function that builds them: called only when something reads
   * the finding's fixes (a code action, fix-all, `--fix`, a report that lists them), never on
   * the diagnostics path. A builder must read only what it closes over (no later state).
   */
  fixes?: Fix[] | (() => (Fix | PlannedFix)[]);
  /** Overrides the rule's default severity for this finding (before config). */
  severity?: Severity;
  /** The lowest preset this finding is reported in, when higher than its rule's (core/presets.ts). */
  preset?: Preset;
}
