/**
 * Findings per container (a Compose service, a Kubernetes container, a Dockerfile's final
 * stage): which findings concern one container, its hardening checks and score (CodeLens,
 * workspace summary), and "Harden <container>": the engine's fix-all restricted to that
 * container's findings, plus what it leaves and why.
 */
import type { Config } from './config';
import type { AnalysisResult, AnalyzeInput, Engine, FixAllResult } from './engine';
import type { ContainerSpec } from './model/container';
import { BUILTIN_IDS, type Rule } from './rule';
import type { Span } from './text';
import type { Finding, Fix, Platform } from './types';

/** One hardening concept, as the lens shows it: passed when none of its rules reports on the container. */
export interface Check {
  label: string;
  rules: string[];
  platforms: Platform[];
  /** Always shown in the lens (the others only when they fail). */
  core?: boolean;
}

const CK: Platform[] = ['compose', 'kubernetes'];
const ALL: Platform[] = ['dockerfile', 'compose', 'kubernetes'];

export const CHECKS: Check[] = [
  { label: 'non-root', rules: ['no-root-user'], platforms: ALL, core: true },
  { label: 'read-only', rules: ['read-only-root-filesystem', 'tmpfs-for-writable-paths'], platforms: CK, core: true },
  { label: 'caps', rules: ['drop-capabilities', 'no-dangerous-capabilities'], platforms: CK, core: true },
  { label: 'no-new-privs', rules: ['no-privilege-escalation'], platforms: CK, core: true },
  { label: 'unprivileged', rules: ['no-privileged'], platforms: CK },
  { label: 'host', rules: ['no-host-namespaces', 'no-docker-socket', 'no-sensitive-host-mounts'], platforms: CK },
  { label: 'ports', rules: ['no-host-ports', 'no-privileged-ports'], platforms: ALL },
  { label: 'profiles', rules: ['no-unconfined-profiles'], platforms: CK },
  { label: 'limits', rules: ['resource-limits'], platforms: CK },
  { label: 'token', rules: ['no-service-account-token'], platforms: ['kubernetes'] },
  { label: 'secrets', rules: ['no-hardcoded-secrets', 'no-secrets-in-build-args', 'no-secret-files-in-image'], platforms: ALL, core: true },
  { label: 'image', rules: ['pin-image-version', 'pin-image-digest', 'trusted-registry'], platforms: ALL },
  { label: 'downloads', rules: ['verify-downloads', 'prefer-copy-over-add'], platforms: ['dockerfile'] },
  { label: 'sudo', rules: ['no-sudo'], platforms: ['dockerfile'] },
];

/** Rules whose finding at the pod's anchor (its first container's name) concerns the whole pod. */
const POD_WIDE = new Set(['no-service-account-token', 'no-unconfined-profiles']);

const inside = (s: Span, outer: Span) => outer.start <= s.start && s.end <= outer.end;
const size = (s: Span) => s.end - s.start;

/**
 * The containers a finding concerns: in a Dockerfile its one container; elsewhere the
 * container whose written extent holds it; in Kubernetes, a pod-level finding (outside every
 * container, inside the object) concerns every container of that pod. Builtin findings
 * (invalid-yaml, unused-suppression...) and findings outside every container (a network, a
 * shared anchor, a ConfigMap) concern none.
 */
export function ownersOf(result: AnalysisResult, f: Finding): ContainerSpec[] {
  const cs = result.containers ?? [];
  if (f.rule in BUILTIN_IDS || cs.length === 0) return [];
  if (result.kind === 'dockerfile') return cs;
  let best: ContainerSpec | null = null;
  for (const c of cs) if (c.extent && inside(f, c.extent) && (!best || size(c.extent) < size(best.extent!))) best = c;
  if (result.kind !== 'kubernetes') return best ? [best] : [];
  const podWide = best?.pod && POD_WIDE.has(f.rule) && f.start === best.pod.anchor.start && f.end === best.pod.anchor.end;
  if (best && !podWide) return [best];
  let pod: ContainerSpec['pod'] = undefined;
  for (const c of cs) if (c.pod?.extent && inside(f, c.pod.extent) && (!pod || size(c.pod.extent) < size(pod.extent!))) pod = c.pod;
  return pod ? cs.filter((c) => c.pod === pod) : best ? [best] : [];
}

/** Every container's findings, in the file's order. */
export function findingsByContainer(result: AnalysisResult): Map<ContainerSpec, Finding[]> {
  const out = new Map<ContainerSpec, Finding[]>();
  for (const c of result.containers ?? []) out.set(c, []);
  for (const f of result.findings) for (const c of ownersOf(result, f)) out.get(c)?.push(f);
  return out;
}

/** Whether a rule runs under this configuration (not off, not a strict-only rule outside strict). */
export function ruleRuns(rules: readonly Rule[], config: Config, id: string): boolean {
  const setting = config.rules[id];
  if (setting === 'off') return false;
  const meta = rules.find((r) => r.meta.id === id)?.meta;
  if (!meta) return false;
  return !(meta.strict && config.preset !== 'strict' && setting === undefined);
}

export interface CheckState {
  label: string;
  ok: boolean;
  core: boolean;
}

export interface ContainerScore {
  container: ContainerSpec;
  /** Checks passed, of `total` (the checks with a rule that runs on this platform). */
  passed: number;
  total: number;
  checks: CheckState[];
  findings: Finding[];
}

/** Each container's checks and score; checks whose rules are all off are left out. */
export function scoreContainers(result: AnalysisResult, rules: readonly Rule[], config: Config): ContainerScore[] {
  const out: ContainerScore[] = [];
  for (const [container, findings] of findingsByContainer(result)) {
    const failing = new Set(findings.map((f) => f.rule));
    const checks: CheckState[] = [];
    for (const k of CHECKS) {
      if (!k.platforms.includes(container.platform)) continue;
      const running = k.rules.filter((id) => ruleRuns(rules, config, id) && (rules.find((r) => r.meta.id === id)?.meta.platforms.includes(container.platform) ?? false));
      if (running.length === 0) continue;
      checks.push({ label: k.label, ok: !running.some((id) => failing.has(id)), core: k.core === true });
    }
    out.push({ container, passed: checks.filter((c) => c.ok).length, total: checks.length, checks, findings });
  }
  return out;
}

/**
 * The lens text: `🛡 4/11 · non-root ✗ · read-only ✓ · caps ✗ · ...`. The core checks are
 * always shown, the others when they fail; the passed ones left out are counted at the end.
 */
export function lensTitle(s: ContainerScore): string {
  const shown = s.checks.filter((c) => c.core || !c.ok);
  const hidden = s.checks.length - shown.length;
  const parts = [`🛡 ${s.passed}/${s.total}`, ...shown.map((c) => `${c.label} ${c.ok ? '✓' : '✗'}`)];
  if (hidden > 0) parts.push(`+${hidden} ✓`);
  return parts.join(' · ');
}

/**
 * A finding's fixes. The one place harden asks for them, so a change in how fixes are built
 * (on demand rather than during analysis) is one edit here.
 */
export function fixesOf(f: Finding): Fix[] {
  return f.fixes;
}

/** Names a container so it can be found again after edits: platform, pod object, name, and which of that name. */
export function containerKey(result: AnalysisResult, c: ContainerSpec): string {
  const cs = result.containers ?? [];
  const base = (x: ContainerSpec) => [x.platform, x.pod?.object.kind ?? '', x.pod?.object.name ?? '', x.name].join('\0');
  const same = cs.filter((x) => base(x) === base(c));
  return `${base(c)}\0${same.indexOf(c)}`;
}

export function containerByKey(result: AnalysisResult, key: string): ContainerSpec | undefined {
  return (result.containers ?? []).find((c) => containerKey(result, c) === key);
}

/** A finding the harden fix leaves, and why. */
export interface LeftFinding {
  rule: string;
  message: string;
  why: string;
}

export interface HardenResult {
  fixed: FixAllResult;
  /** The container's findings after the edit, with the reason each was left. */
  left: LeftFinding[];
}

/** Why a rule's fix is never applied blindly (RULES.md "Fixes"). */
const NEVER_BLIND: Record<string, string> = {
  'resource-limits': 'the right limits are yours to choose',
  'no-privileged': 'removing it may break what needs it: review it',
  'no-dangerous-capabilities': 'removing it may break what needs it: review it',
  'no-host-namespaces': 'removing it may break what needs it: review it',
  'no-host-ports': 'removing it may break what needs it: review it',
  'no-hardcoded-secrets': 'moving a secret needs your review (and rotate it: it is in your history)',
  'no-service-account-token': 'a pod that calls the Kubernetes API needs its own ServiceAccount first',
};

function whyLeft(f: Finding, skipFileFixes: boolean): string {
  const fixes = fixesOf(f);
  if (fixes.length === 0) return 'no automatic fix';
  const preferred = fixes.find((x) => x.preferred);
  if (preferred && skipFileFixes && preferred.files?.length) return 'it writes another file: apply its own quick fix';
  if (preferred) return 'its fix did not apply cleanly';
  return NEVER_BLIND[f.rule] ?? `not known to be safe for this image: ${fixes[0].title}`;
}

/**
 * Applies, in one edit, every fix of one container that is safe for its image (the preferred
 * fixes, in the engine's fix-all order and rounds), and lists what it left. `key` is
 * containerKey() of the container in the analysis of `input`.
 */
export function hardenContainer(engine: Engine, input: AnalyzeInput, config: Config, key: string, options: { skipFileFixes?: boolean } = {}): HardenResult {
  const mine = new WeakMap<AnalysisResult, ContainerSpec | null>();
  const target = (r: AnalysisResult) => {
    let c = mine.get(r);
    if (c === undefined) mine.set(r, (c = containerByKey(r, key) ?? null));
    return c;
  };
  const belongs = (f: Finding, r: AnalysisResult) => {
    const c = target(r);
    return c !== null && ownersOf(r, f).includes(c);
  };
  const fixed = engine.fixAll(input, config, { skipFileFixes: options.skipFileFixes, only: belongs });
  const seen = new Set<string>();
  const left: LeftFinding[] = [];
  for (const f of fixed.result.findings) {
    if (!belongs(f, fixed.result)) continue;
    const id = `${f.rule}\0${f.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    left.push({ rule: f.rule, message: f.message, why: whyLeft(f, options.skipFileFixes === true) });
  }
  return { fixed, left };
}

/** "no-root-user (why); resource-limits (why)" */
export function describeLeft(left: LeftFinding[]): string {
  return left.map((l) => `${l.rule} (${l.why})`).join('; ');
}

/** A container's name for titles: the service or container name ("final stage" for a Dockerfile). */
export function displayName(c: ContainerSpec): string {
  return c.name;
}
