import type { ContainerSpec, MountFact } from '../../core/model/container';
import { combinePlans, planned, type Plan } from '../../core/model/facts';
import { SharedSites } from '../../core/model/sites';
import type { Rule } from '../../core/rule';
import type { PlannedFix, Severity } from '../../core/types';
import { harmlessReadOnly, hostPathOf, isHostMount, sensitivePath, socketMount } from '../no-docker-socket/paths';

const who = (cs: ContainerSpec[]) => {
  const noun = cs[0].platform === 'compose' ? 'Service' : 'Container';
  return cs.length > 1 ? `${noun}s ${cs.map((x) => `'${x.name}'`).join(', ')} mount` : `${noun} '${cs[0].name}' mounts`;
};
const what = (shown: string, folder: string) =>
  folder === '/' ? `the host's root filesystem (${shown})` : shown === folder ? `the host's ${folder}` : `the host's ${shown} (under ${folder})`;

export const messages = {
  sensitive: (cs: ContainerSpec[], shown: string, folder: string) =>
    `${who(cs)} ${what(shown, folder)} writable: a compromise of the container can change the host`,
  sensitiveReadOnly: (cs: ContainerSpec[], shown: string, folder: string) =>
    `${who(cs)} ${what(shown, folder)} read-only: the container can still read the host's files there`,
  hostPath: (cs: ContainerSpec[], shown: string | null) =>
    `${who(cs)} the node's ${shown ?? 'path'} (hostPath) writable: it can change the node's files and ties the pod to that node; prefer a PersistentVolumeClaim or an emptyDir`,
  hostPathReadOnly: (cs: ContainerSpec[], shown: string | null) =>
    `${who(cs)} the node's ${shown ?? 'path'} (hostPath) read-only: it sees the node's files and is tied to that node`,
  fixTitle: (summary: string | undefined) => `Mount it read-only (${summary ?? 'read-only'}; the container can no longer write there)`,
};

interface Hit {
  m: MountFact;
  mounts: MountFact[];
}

export const rule: Rule = {
  meta: {
    id: 'no-sensitive-host-mounts',
    title: 'A container mounts a sensitive host path',
    severity: 'warning',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    pss: 'baseline',
    peers: {
      trivy: ['KSV023'],
      kics: ['1c1325ff-831d-43a1-973e-839ae57dfcc0', '5308a7a8-06f8-45ac-bf10-791fe21de46e'],
      kubeLinter: ['sensitive-host-mounts'],
    },
  },
  check({ file, report }) {
    // one host path written once (a Kubernetes volume, an anchor's list) is one finding naming every container
    const sites = new SharedSites<Hit>();
    for (const c of file.containers) {
      for (const m of c.mounts) {
        if (!isHostMount(m) || m.kind === 'npipe' || socketMount(m)) continue;
        sites.add(m.sourceSpan ?? m.span, c, () => ({ m, mounts: [] }), String(m.readOnly)).site.mounts.push(m);
      }
    }
    for (const { site: { m, mounts }, containers: cs } of sites.values()) {
      const path = hostPathOf(m);
      if (path !== null && m.readOnly && harmlessReadOnly(path)) continue;
      const folder = path !== null ? sensitivePath(path) : null;
      const kube = m.kind === 'hostPath';
      if (!folder && !kube) continue;
      const shown = m.source;
      let severity: Severity;
      let message: string;
      if (folder) {
        severity = m.readOnly ? 'info' : kube ? 'error' : 'warning';
        message = (m.readOnly ? messages.sensitiveReadOnly : messages.sensitive)(cs, shown ?? folder, folder);
      } else {
        severity = m.readOnly ? 'info' : 'warning';
        message = (m.readOnly ? messages.hostPathReadOnly : messages.hostPath)(cs, shown);
      }
      const fixes = (): PlannedFix[] => {
        if (m.readOnly) return [];
        const plans = mounts.map((x) => x.setReadOnly());
        const p: Plan | null = plans.length === 1 ? plans[0] : combinePlans(plans, (changes) => ({ edits: changes.flatMap((ch) => ch.edits) }));
        return p ? [planned(p, messages.fixTitle(p.summary), false, true)] : [];
      };
      const span = m.sourceSpan ?? m.span;
      report({ start: span.start, end: span.end, message, severity, fixes });
    }
  },
};
