import type { ContainerSpec, PodRef } from '../../core/model/container';
import type { Fact, Item } from '../../core/model/facts';
import type { Rule } from '../../core/rule';
import type { Fix } from '../../core/types';

type Opt = { key: string; value: string | null };
type Kind = 'seccomp' | 'apparmor' | 'selinux' | 'selinux-spc' | 'systempaths';

/** Which confinement a Compose security_opt entry turns off (RULES.md spellings), or null. */
function unconfined(o: Opt): Kind | null {
  if (o.key === 'seccomp' && o.value === 'unconfined') return 'seccomp';
  if (o.key === 'apparmor' && o.value === 'unconfined') return 'apparmor';
  if (o.key === 'label' && o.value === 'disable') return 'selinux';
  if (o.key === 'label' && o.value === 'type:spc_t') return 'selinux-spc';
  if (o.key === 'systempaths' && o.value === 'unconfined') return 'systempaths';
  return null;
}

const EFFECT: Record<Kind, string> = {
  seccomp: 'seccomp is off, so every system call reaches the host kernel',
  apparmor: 'AppArmor is off, so nothing limits what it does with files and mounts',
  selinux: 'SELinux labelling is off, so it is not confined from host files',
  'selinux-spc': 'spc_t is the SELinux type SELinux does not confine',
  systempaths: 'the /proc and /sys paths Docker masks are readable and writable',
};

/** Seccomp values that confine: the field's types and the legacy annotation's values. */
const CONFINED_SECCOMP = /^(RuntimeDefault|Localhost|runtime\/default|docker\/default|localhost\/.+)$/;

function objectName(pod: PodRef): string {
  return `${pod.object.kind}${pod.object.name !== null ? ` '${pod.object.name}'` : ''}`;
}

/** The service or container(s) a finding is about; a pod-level setting names the object. */
function who(cs: ContainerSpec[], podLevel: boolean): string {
  const c = cs[0];
  if (podLevel && c.pod) return `${objectName(c.pod)} (${cs.length > 1 ? 'containers' : 'container'} ${cs.map((x) => `'${x.name}'`).join(', ')})`;
  const noun = c.platform === 'compose' ? 'Service' : 'Container';
  return cs.length > 1 ? `${noun}s ${cs.map((x) => `'${x.name}'`).join(', ')}` : `${noun} '${c.name}'`;
}

const annotation = (f: Fact<unknown>) => f.path?.[0] === 'annotations';

export const messages = {
  composeOpt: (cs: ContainerSpec[], raw: string, kind: Kind) => `${who(cs, false)} ${cs.length > 1 ? 'set' : 'sets'} security_opt ${raw}: ${EFFECT[kind]}`,
  stack: (cs: ContainerSpec[], raw: string) =>
    `${who(cs, false)} ${cs.length > 1 ? 'set' : 'sets'} security_opt ${raw}, which is ignored by docker stack deploy (the service keeps its profiles); remove it`,
  seccomp: (cs: ContainerSpec[], podLevel: boolean, f: Fact<string | null>) =>
    `${who(cs, podLevel)} ${annotation(f) ? `has the seccomp annotation ${f.path?.[1] ?? ''}: unconfined` : 'sets seccompProfile type: Unconfined'}: seccomp is off, so every system call reaches the node's kernel`,
  apparmor: (cs: ContainerSpec[], podLevel: boolean, f: Fact<string | null>) =>
    `${who(cs, podLevel)} ${annotation(f) ? `has the AppArmor annotation ${f.path?.[1] ?? ''}: unconfined` : 'sets appArmorProfile type: Unconfined'}: AppArmor is off, so nothing limits what it does with files and mounts`,
  procMount: (cs: ContainerSpec[]) =>
    `${who(cs, false)} ${cs.length > 1 ? 'set' : 'sets'} procMount: Unmasked: /proc is not masked, exposing kernel settings of the node (the API accepts it only with hostUsers: false)`,
  noSeccomp: (pod: PodRef, some: ContainerSpec[] | null) =>
    some
      ? `${some.length > 1 ? 'Containers' : 'Container'} ${some.map((c) => `'${c.name}'`).join(', ')} of ${objectName(pod)} ${some.length > 1 ? 'set' : 'sets'} no seccomp profile: ${some.length > 1 ? 'they run' : 'it runs'} unconfined unless the kubelet turns on SeccompDefault; set seccompProfile type: RuntimeDefault on the pod`
      : `${objectName(pod)} sets no seccomp profile: its containers run unconfined unless the kubelet turns on SeccompDefault; set seccompProfile type: RuntimeDefault on the pod`,
  removeOpt: (raw: string) => `Remove ${raw} from security_opt`,
  seccompField: 'Set seccompProfile type: RuntimeDefault (the workload must work with the runtime\'s default syscall filter)',
  seccompAnnotation: 'Replace the annotation with seccompProfile type: RuntimeDefault (the workload must work with the runtime\'s default syscall filter)',
  apparmorField: 'Set appArmorProfile type: RuntimeDefault (the workload must work with the runtime\'s default AppArmor profile)',
  apparmorAnnotation: 'Remove the unconfined AppArmor annotation (the runtime\'s default profile applies)',
  removeProcMount: 'Remove procMount: Unmasked',
  podSeccomp: 'Set seccompProfile type: RuntimeDefault on the pod',
};

function group<T>(into: Map<string, { item: T; cs: ContainerSpec[] }>, span: { start: number; end: number }, item: T, c: ContainerSpec): void {
  const key = `${span.start}:${span.end}`;
  const hit = into.get(key) ?? { item, cs: [] };
  hit.cs.push(c);
  into.set(key, hit);
}

function fixOf(title: string, build: (() => ReturnType<NonNullable<ReturnType<Fact<unknown>['remove']>>['build']>) | null, preferred = false): () => Fix[] {
  return () => {
    const change = build?.();
    return change ? [{ title, preferred, edits: change.edits }] : [];
  };
}

export const rule: Rule = {
  meta: {
    id: 'no-unconfined-profiles',
    title: 'A container turns off seccomp, AppArmor, SELinux or /proc masking',
    severity: 'error',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    pss: 'baseline',
    peers: {
      trivy: ['KSV030', 'KSV104', 'KSV002'],
      checkov: ['CKV_K8S_31'],
      kics: ['404fde2c-bc4b-4371-9747-7054132ac953', 'f377b83e-bd07-4f48-a591-60c82b14a78b'],
      kubeLinter: ['unsafe-proc-mount'],
    },
  },
  check({ file, config, report }) {
    const stack = file.compose?.stack ?? false;
    const opts = new Map<string, { item: Item<Opt>; cs: ContainerSpec[] }>();
    const seccomp = new Map<string, { item: Fact<string | null>; cs: ContainerSpec[] }>();
    const apparmor = new Map<string, { item: Fact<string | null>; cs: ContainerSpec[] }>();
    const procMount = new Map<string, { item: Fact<string | null>; cs: ContainerSpec[] }>();
    const unset = new Map<PodRef, ContainerSpec[]>();
    const podSize = new Map<PodRef, number>();
    for (const c of file.containers) {
      if (c.platform === 'compose') {
        for (const it of c.security.securityOpt.items) if (unconfined(it.value)) group(opts, it.span, it, c);
        continue;
      }
      if (c.platform !== 'kubernetes') continue;
      const sc = c.security.seccomp;
      if (sc.span && (sc.value === 'Unconfined' || sc.value === 'unconfined')) group(seccomp, sc.span, sc, c);
      const aa = c.security.apparmor;
      if (aa.span && (aa.value === 'Unconfined' || aa.value === 'unconfined')) group(apparmor, aa.span, aa, c);
      const pm = c.security.systemPaths;
      if (pm.span && pm.value === 'Unmasked') group(procMount, pm.span, pm, c);
      if (c.pod && !c.partial) podSize.set(c.pod, (podSize.get(c.pod) ?? 0) + 1);
      if (config.preset === 'strict' && c.pod && !c.pod.partial && !c.partial && (sc.value === null || !CONFINED_SECCOMP.test(sc.value)) && sc.value !== 'Unconfined' && sc.value !== 'unconfined') {
        unset.set(c.pod, [...(unset.get(c.pod) ?? []), c]);
      }
    }
    for (const { item, cs } of opts.values()) {
      const kind = unconfined(item.value)!;
      const fixes = fixOf(messages.removeOpt(item.raw), cs.length === 1 ? (item.remove()?.build ?? null) : null);
      if (stack) report({ start: item.span.start, end: item.span.end, message: messages.stack(cs, item.raw), severity: 'info', fixes });
      else report({ start: item.span.start, end: item.span.end, message: messages.composeOpt(cs, item.raw, kind), fixes });
    }
    const onePlace = (cs: ContainerSpec[]) => cs.length === 1 || cs.every((x) => x.pod && x.pod === cs[0].pod);
    for (const { item: f, cs } of seccomp.values()) {
      const fixes = fixOf(annotation(f) ? messages.seccompAnnotation : messages.seccompField, onePlace(cs) ? (f.set('RuntimeDefault')?.build ?? null) : null);
      report({ start: f.span!.start, end: f.span!.end, message: messages.seccomp(cs, f.origin === 'pod', f), fixes });
    }
    for (const { item: f, cs } of apparmor.values()) {
      const plan = onePlace(cs) ? (annotation(f) ? f.remove() : f.set('RuntimeDefault')) : null;
      const fixes = fixOf(annotation(f) ? messages.apparmorAnnotation : messages.apparmorField, plan?.build ?? null);
      report({ start: f.span!.start, end: f.span!.end, message: messages.apparmor(cs, f.origin === 'pod', f), fixes });
    }
    for (const { item: f, cs } of procMount.values()) {
      const fixes = fixOf(messages.removeProcMount, cs.length === 1 ? (f.remove()?.build ?? null) : null);
      report({ start: f.span!.start, end: f.span!.end, message: messages.procMount(cs), severity: 'warning', fixes });
    }
    for (const [pod, cs] of unset) {
      // written on the pod (origin default: the setter's home is the pod's securityContext)
      const c = cs.find((x) => x.security.seccomp.origin === 'default') ?? cs[0];
      const fixes = fixOf(messages.podSeccomp, c.security.seccomp.origin === 'default' ? (c.security.seccomp.set('RuntimeDefault')?.build ?? null) : null, true);
      report({ start: pod.anchor.start, end: pod.anchor.end, message: messages.noSeccomp(pod, cs.length < (podSize.get(pod) ?? 0) ? cs : null), severity: 'info', fixes });
    }
  },
};
