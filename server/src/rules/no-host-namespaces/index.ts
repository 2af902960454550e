import type { ContainerSpec, NamespaceFacts } from '../../core/model/container';
import { planned, type Fact } from '../../core/model/facts';
import { SharedSites } from '../../core/model/sites';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

type Namespace = keyof NamespaceFacts;

/** Each namespace's name and what sharing it with the host gives the container, for messages. */
const WHAT: Record<Namespace, [string, string]> = {
  network: ['network', 'it sees every host interface and can bind any host port'],
  pid: ['PID', 'it sees and can signal every process on the host'],
  ipc: ['IPC', 'it can read the shared memory of host processes'],
  userns: ['user', "its root is the host's root even where the daemon remaps users"],
  uts: ['UTS', "it can change the host's name"],
};

/** The keys docker stack deploy ignores (RULES.md); `uts` is not among them. */
const STACK_IGNORES = new Set(['network_mode', 'pid', 'ipc', 'userns_mode']);

/** The setting as written: `pid: host`, `net: host`, `hostPID: true`, `networks: [host]`. */
function setting(c: ContainerSpec, ns: Namespace, f: Fact<string | null>): string {
  const key = f.path?.[0] ?? ns;
  if (c.platform === 'kubernetes') return `${key}: true`;
  if (key === 'networks') return `network '${f.raw ?? f.path?.[1] ?? ''}' is the external network host`;
  return `${key}: host`;
}

const who = (cs: ContainerSpec[]): string => {
  const c = cs[0];
  if (c.pod) return `${c.pod.object.kind}${c.pod.object.name !== null ? ` '${c.pod.object.name}'` : ''}`;
  if (cs.length > 1) return `Services ${cs.map((x) => `'${x.name}'`).join(', ')}`;
  return `Service '${c.name}'`;
};

export const messages = {
  shared: (cs: ContainerSpec[], ns: Namespace, f: Fact<string | null>) =>
    `${who(cs)} ${cs.length > 1 && !cs[0].pod ? 'share' : 'shares'} the host's ${WHAT[ns][0]} namespace (${setting(cs[0], ns, f)}): ${WHAT[ns][1]}`,
  stack: (cs: ContainerSpec[], ns: Namespace, f: Fact<string | null>) =>
    `${who(cs)} ${cs.length > 1 && !cs[0].pod ? 'set' : 'sets'} ${setting(cs[0], ns, f)}, which is ignored by docker stack deploy (the service does not share the host's namespace); remove it`,
  fixTitle: (c: ContainerSpec, ns: Namespace, f: Fact<string | null>) => {
    const what = setting(c, ns, f);
    if (ns !== 'network') return `Remove ${what}`;
    return c.platform === 'kubernetes'
      ? `Remove ${what} (reach the pod through a Service or containerPort instead)`
      : `Remove ${what} (publish the ports the service needs with ports: instead)`;
  },
};

export const rule: Rule = {
  meta: {
    id: 'no-host-namespaces',
    title: "A container shares the host's network, PID, IPC, user or UTS namespace",
    severity: 'error',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    pss: 'baseline',
    peers: {
      trivy: ['KSV008', 'KSV009', 'KSV010'],
      checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'],
      kics: [
        '4f31dd9f-2cc3-4751-9b53-67e4af83dac0',
        'baa3890f-bed7-46f5-ab8f-1da8fc91c729',
        '071a71ff-f868-47a4-ac0b-3c59e4ab5443',
        '8af7162d-6c98-482f-868e-0d33fb675ca8',
        'cd290efd-6c82-4e9d-a698-be12ae31d536',
        '6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a',
        '302736f4-b16c-41b8-befe-c0baffa0bd9d',
      ],
      kubeLinter: ['host-network', 'host-pid', 'host-ipc'],
    },
  },
  check({ file, report }) {
    const stack = file.compose?.stack ?? false;
    const namespaces: Namespace[] = ['network', 'pid', 'ipc', 'userns', 'uts'];
    // a setting written once (a pod-level key, an anchor) is one finding naming every container using it
    const sites = new SharedSites<Namespace>();
    for (const c of file.containers) {
      for (const ns of namespaces) {
        const f = c.namespaces[ns];
        if (f.value === 'host' && f.span) sites.add(f.span, c, () => ns);
      }
    }
    for (const { site: ns, containers: cs } of sites.values()) {
      const c = cs[0];
      const f = c.namespaces[ns];
      const span = f.span!;
      // one service, or one pod (its containers share the pod-level key); Windows HostProcess pods need hostNetwork
      const onePlace = cs.length === 1 || cs.every((x) => x.pod && x.pod === c.pod);
      const fixes = (): PlannedFix[] => {
        const p = onePlace && !c.windows ? f.remove() : null;
        return p ? [planned(p, messages.fixTitle(c, ns, f), false)] : [];
      };
      const ignored = c.platform === 'compose' && stack && STACK_IGNORES.has(f.path?.[0] === 'net' ? 'network_mode' : (f.path?.[0] ?? ''));
      if (ignored) report({ start: span.start, end: span.end, message: messages.stack(cs, ns, f), severity: 'info', fixes });
      else report({ start: span.start, end: span.end, message: messages.shared(cs, ns, f), fixes });
    }
  },
};
