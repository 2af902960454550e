/**
 * The shapes of Bulkhead's own LSP messages, beyond the standard protocol. Types only, no
 * imports and no code: the client imports them as types (erased from its bundle), so the
 * client and the server agree on one declaration (CONTRACT.md, "Language server").
 */

/** `bulkhead/status` request parameters: the document the editor shows. */
export interface StatusParams {
  uri: string;
}

/** `bulkhead/status` answer: what the editor's language status items show for one document. */
export interface StatusResult {
  version: string;
  /** `config`: the document is a .bulkhead.yaml; `ignored`: its `ignore` globs leave it out; `closed`: not open in the server. */
  state: 'analysed' | 'config' | 'ignored' | 'closed';
  findings: { error: number; warning: number; info: number };
  preset: string;
  /** File system path of the .bulkhead.yaml in use, or null (editor settings only). */
  configFile: string | null;
  /** Its problems (at most 5 messages; `configProblemCount` is the total): an invalid config. */
  configProblems: string[];
  configProblemCount: number;
  trusted: boolean;
  /** Keys of the .bulkhead.yaml that Restricted Mode does not apply (`rules.<id>`, `ignore`, ...). */
  ignoredByTrust: string[];
  /** The number of rules in this version. */
  rules: number;
}
