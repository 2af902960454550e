/**
 * Restricted Mode (an untrusted workspace in VS Code). Bulkhead never runs anything from the
 * workspace, so it keeps analysing there; but a repository you do not trust must not be able
 * to hide findings from you through its own `.bulkhead.yaml`. In Restricted Mode a
 * `.bulkhead.yaml` may make Bulkhead stricter, never quieter:
 *
 * - `rules`: an entry is applied only when it is `error`, or when it switches on a strict-only
 *   rule that the preset and the editor settings leave off (at any severity but `off`);
 *   `off`, `info` and `warning` entries are ignored (they could switch a rule off or lower a
 *   finding's severity).
 * - `preset`: applied only when it is stricter than the editor settings' preset.
 * - `ignore`, `nonRootImages`, `trustedRegistries`, `compose.target`: ignored (they leave files
 *   out, declare images non-root, allow registries, or turn stack-only severities down).
 * - `defaultUser`, `defaultLimits`: applied (they only shape the text of a fix you choose to apply).
 *
 * The editor's own restricted settings (package.json `restrictedConfigurations`) are handled by
 * VS Code: it does not hand the server workspace values of those settings in Restricted Mode.
 */
import type { ConfigLayer } from '../core/config';
import type { RuleSetting } from '../core/types';

/** Presets from the quietest to the strictest (a name not listed counts as the quietest). */
const PRESET_ORDER = ['baseline', 'recommended', 'strict'];
const rank = (preset: string | undefined): number => Math.max(0, PRESET_ORDER.indexOf(preset ?? 'recommended'));

export class TrustState {
  /** False in an untrusted workspace (VS Code's Restricted Mode); editors that say nothing are trusted. */
  trusted = true;

  /** Reads `initializationOptions.trusted` (only an explicit `false` restricts). */
  initialize(init: unknown): void {
    this.trusted = (init as { trusted?: unknown } | undefined)?.trusted !== false;
  }

  /** The part of a `.bulkhead.yaml` layer that applies; the whole layer when trusted. */
  apply(file: ConfigLayer | undefined, settings: ConfigLayer, strictOnly: (id: string) => boolean): ConfigLayer | undefined {
    if (this.trusted || !file) return file;
    return restrictLayer(file, settings, strictOnly).layer;
  }
}

/** What Restricted Mode keeps of a `.bulkhead.yaml` layer, and the keys it ignores (`rules.<id>`, `preset`, ...). */
export function restrictLayer(file: ConfigLayer, settings: ConfigLayer, strictOnly: (id: string) => boolean): { layer: ConfigLayer; ignored: string[] } {
  const layer: ConfigLayer = {};
  const ignored: string[] = [];
  const settingsPreset = settings.preset ?? 'recommended';
  if (file.preset !== undefined) {
    if (rank(file.preset) > rank(settingsPreset)) layer.preset = file.preset;
    else if (file.preset !== settingsPreset) ignored.push('preset');
  }
  const effectivePreset = layer.preset ?? settingsPreset;
  if (file.rules) {
    const rules: Record<string, RuleSetting> = {};
    for (const [id, setting] of Object.entries(file.rules)) {
      const offOtherwise = strictOnly(id) && effectivePreset !== 'strict' && settings.rules?.[id] === undefined;
      if (setting === 'error' || (setting !== 'off' && offOtherwise)) rules[id] = setting;
      else ignored.push(`rules.${id}`);
    }
    layer.rules = rules;
  }
  for (const key of ['ignore', 'nonRootImages', 'trustedRegistries'] as const) {
    if (file[key]?.length) ignored.push(key);
  }
  if (file.compose?.target !== undefined && file.compose.target !== (settings.compose?.target ?? 'compose')) ignored.push('compose.target');
  if (file.defaultUser !== undefined) layer.defaultUser = file.defaultUser;
  if (file.defaultLimits !== undefined) layer.defaultLimits = file.defaultLimits;
  return { layer, ignored };
}
