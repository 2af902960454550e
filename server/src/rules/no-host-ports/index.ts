import type { ContainerSpec, PortFact } from '../../core/model/container';
import { planned } from '../../core/model/facts';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

const portText = (p: PortFact) => (p.hostPort !== null && p.hostPort !== undefined ? `host port ${p.hostPort}` : 'a host port');

export const messages = {
  hostPort: (cs: ContainerSpec[], p: PortFact) =>
    `${cs.length > 1 ? `Containers ${cs.map((c) => `'${c.name}'`).join(', ')} bind` : `Container '${cs[0].name}' binds`} ${portText(p)} (hostPort): it is reachable on the node's address, past network policies, and the pod can only run where the port is free`,
  fixTitle: 'Remove hostPort (reach the container through a Service instead)',
};

export const rule: Rule = {
  meta: {
    id: 'no-host-ports',
    title: 'A container binds a port on the node (hostPort)',
    severity: 'warning',
    platforms: ['kubernetes'],
    fixable: true,
    pss: 'baseline',
    peers: {
      trivy: ['KSV024'],
      checkov: ['CKV_K8S_26'],
      kics: ['2b1836f1-dcce-416e-8e16-da8c71920633'],
    },
  },
  check({ file, report }) {
    // a port list shared through an alias is one finding naming every container
    const bySpan = new Map<string, { p: PortFact; cs: ContainerSpec[] }>();
    for (const c of file.containers) {
      for (const p of c.ports) {
        // hostPort 0 is the API's "not set"
        if (!p.hostPortSpan || p.hostPort === 0) continue;
        const key = `${p.hostPortSpan.start}:${p.hostPortSpan.end}`;
        const hit = bySpan.get(key) ?? { p, cs: [] };
        hit.cs.push(c);
        bySpan.set(key, hit);
      }
    }
    for (const { p, cs } of bySpan.values()) {
      const fixes = (): PlannedFix[] => {
        const plan = cs.length === 1 ? p.removeHostPort?.() : null;
        return plan ? [planned(plan, messages.fixTitle, false)] : [];
      };
      report({ start: p.hostPortSpan!.start, end: p.hostPortSpan!.end, message: messages.hostPort(cs, p), fixes });
    }
  },
};
