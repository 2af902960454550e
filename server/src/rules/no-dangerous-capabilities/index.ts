import type { ContainerSpec } from '../../core/model/container';
import { planned, type Item } from '../../core/model/facts';
import { SharedSites } from '../../core/model/sites';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

/** Docker's default capability set (moby oci/caps/defaults.go). */
export const DOCKER_DEFAULT = new Set([
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP',
  'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
]);

/** The Pod Security Standards baseline set, compared as raw strings (no NET_RAW). */
export const PSS_BASELINE = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const where = (c: ContainerSpec) => (c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`);
const names = (cs: ContainerSpec[]) => cs.map((c) => `'${c.name}'`).join(', ');

export const messages = {
  compose: (cs: ContainerSpec[], cap: string) =>
    cap === 'ALL'
      ? `${cs.length > 1 ? `Services ${names(cs)} add` : `${where(cs[0])} adds`} every capability (cap_add: ALL): that is as strong as privileged mode`
      : `${cs.length > 1 ? `Services ${names(cs)} add` : `${where(cs[0])} adds`} ${cap}, which Docker does not grant by default: it widens what a compromise of the container can do to the host`,
  kube: (cs: ContainerSpec[], raw: string) => {
    const who = cs.length > 1 ? `Containers ${names(cs)} add` : `${where(cs[0])} adds`;
    if (raw === 'ALL') return `${who} every capability (capabilities.add: [ALL]): that is as strong as privileged mode`;
    const bare = raw.replace(/^CAP_/i, '').toUpperCase();
    if (raw !== bare && PSS_BASELINE.has(bare)) return `${who} '${raw}', which the Pod Security Standards baseline does not allow (names are compared exactly: write ${bare})`;
    return `${who} ${raw}, which the Pod Security Standards baseline does not allow: it widens what a compromise of the container can do to the host`;
  },
  fixTitle: (raw: string) => `Remove ${raw} from the added capabilities`,
};

export const rule: Rule = {
  meta: {
    id: 'no-dangerous-capabilities',
    title: 'A container adds a dangerous capability',
    severity: 'error',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    pss: 'baseline',
    peers: {
      trivy: ['KSV022', 'KSV005'],
      checkov: ['CKV_K8S_25', 'CKV_K8S_39'],
      kics: ['235236ee-ad78-4065-bd29-61b061f28ce0', '19ebaa28-fc86-4a58-bcfa-015c9e22fe40'],
    },
  },
  check({ file, report }) {
    // an item written once in an anchor is reported once, naming every container that uses it
    const sites = new SharedSites<Item<string>>();
    for (const c of file.containers) {
      for (const item of c.security.capAdd.items) {
        const allowed = c.platform === 'compose' ? DOCKER_DEFAULT.has(item.value) : PSS_BASELINE.has(item.value);
        if (!allowed) sites.add(item.span, c, () => item);
      }
    }
    for (const { site: item, containers: cs } of sites.values()) {
      const c = cs[0];
      const fixes = (): PlannedFix[] => {
        const p = cs.length === 1 ? item.remove() : null;
        return p ? [planned(p, messages.fixTitle(item.raw), false)] : [];
      };
      const message = c.platform === 'compose' ? messages.compose(cs, item.value) : messages.kube(cs, item.value);
      report({ start: item.span.start, end: item.span.end, message, fixes });
    }
  },
};
