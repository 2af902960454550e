/**
 * Presets (RULES.md): `baseline` has only explicit dangerous settings and secrets,
 * `recommended` (the default) adds the missing-hardening rules, `strict` adds the strict-only
 * rules and severities. Each rule belongs to the lowest preset it runs in; a finding can
 * belong to a higher one than its rule (`Report.preset`: no-root-user's "no user set").
 */
import type { RuleMeta } from './rule';
import type { Preset } from './types';

export const PRESETS: readonly Preset[] = ['baseline', 'recommended', 'strict'];

export const PRESET_ORDER: Record<Preset, number> = { baseline: 0, recommended: 1, strict: 2 };

/**
 * The rules of the `baseline` preset: explicit dangerous settings (privileged, dangerous
 * capabilities, host namespaces, the runtime socket, sensitive host mounts, unconfined
 * profiles, host ports), secrets, an explicit root user, and the Dockerfile rules at error or
 * warning (build-argument secrets, secret files, unverified downloads, sudo, port 22, an
 * untrusted registry when registries are configured).
 */
export const BASELINE_RULES: ReadonlySet<string> = new Set([
  'no-privileged',
  'no-dangerous-capabilities',
  'no-host-namespaces',
  'no-docker-socket',
  'no-sensitive-host-mounts',
  'no-unconfined-profiles',
  'no-host-ports',
  'no-hardcoded-secrets',
  'no-root-user',
  'no-secrets-in-build-args',
  'no-secret-files-in-image',
  'verify-downloads',
  'no-sudo',
  'no-privileged-ports',
  'trusted-registry',
]);

/** The lowest preset a rule runs in. */
export function presetOf(meta: Pick<RuleMeta, 'id' | 'strict'>): Preset {
  if (meta.strict) return 'strict';
  return BASELINE_RULES.has(meta.id) ? 'baseline' : 'recommended';
}

/** True when something of preset `needed` runs under the configured preset. */
export function inPreset(needed: Preset, configured: Preset): boolean {
  return PRESET_ORDER[needed] <= PRESET_ORDER[configured];
}
