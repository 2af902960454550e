/**
 * The editor's `bulkhead` settings: pulled per document (workspace/configuration) or pushed
 * (didChangeConfiguration, initializationOptions). Problems are logged once per settings
 * change, never once per document or keystroke.
 */
import type { Connection } from 'vscode-languageserver';
import { validateConfig, type ConfigLayer } from '../core/config';

export interface Settings {
  layer: ConfigLayer;
  run: 'onType' | 'onSave';
  /** CodeLens above each container (`bulkhead.codeLens`, default on). */
  codeLens: boolean;
}

/** Most settings problems shown in one log message. */
const MAX_LOGGED_PROBLEMS = 20;

export class SettingsStore {
  /** The client answers workspace/configuration (else settings are pushed). */
  pulled = false;
  /** From initializationOptions.settings, until a push replaces them. */
  initial: unknown = undefined;
  private pushed: unknown = undefined;
  private readonly byUri = new Map<string, Promise<Settings>>();
  private logged = '';
  private lastRaw: unknown = undefined;
  private last: Settings | undefined;

  constructor(private readonly connection: Connection) {}

  for(uri: string): Promise<Settings> {
    if (!this.pulled) {
      const raw = (this.pushed as { bulkhead?: unknown } | undefined)?.bulkhead ?? this.initial;
      return Promise.resolve(this.read(raw));
    }
    let s = this.byUri.get(uri);
    if (!s) {
      s = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'bulkhead' }).then(
        (raw: unknown) => this.read(raw),
        () => this.read(undefined),
      );
      this.byUri.set(uri, s);
    }
    return s;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** A settings change: ask (or read) again, and log its problems once. */
  changed(pushed: unknown): void {
    this.pushed = pushed;
    this.byUri.clear();
    this.logged = '';
    this.last = undefined;
  }

  private read(raw: unknown): Settings {
    if (this.last && raw === this.lastRaw) return this.last;
    const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const { layer, problems } = validateConfig(obj);
    if (problems.length) {
      const shown = problems.slice(0, MAX_LOGGED_PROBLEMS).map((p) => p.message);
      if (problems.length > shown.length) shown.push(`and ${problems.length - shown.length} more`);
      const text = `bulkhead settings: ${shown.join('; ')}`;
      // every document asks for its settings: the same problems are logged once
      if (text !== this.logged) this.connection.console.warn(text);
      this.logged = text;
    }
    this.lastRaw = raw;
    this.last = { layer, run: obj.run === 'onSave' ? 'onSave' : 'onType', codeLens: obj.codeLens !== false };
    return this.last;
  }
}
