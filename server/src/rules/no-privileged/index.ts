import type { ContainerSpec } from '../../core/model/container';
import { planned } from '../../core/model/facts';
import { SharedSites } from '../../core/model/sites';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

const where = (c: ContainerSpec) => (c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`);
const names = (cs: ContainerSpec[]) => cs.map((c) => `'${c.name}'`).join(', ');
const setting = (c: ContainerSpec) => (c.platform === 'compose' ? 'privileged: true' : 'securityContext.privileged: true');

export const messages = {
  privileged: (c: ContainerSpec) =>
    `${where(c)} runs privileged (${setting(c)}): it gets every capability and the host's devices, so a compromise of it is a compromise of the host`,
  shared: (cs: ContainerSpec[]) =>
    `${cs[0].platform === 'compose' ? 'Services' : 'Containers'} ${names(cs)} run privileged through a shared anchor (privileged: true): they get every capability and the host's devices`,
  stack: (c: ContainerSpec) =>
    `${where(c)} sets privileged: true, which is ignored by docker stack deploy (the service does not run privileged); remove it`,
  fixTitle: (c: ContainerSpec) =>
    c.platform === 'compose'
      ? 'Remove privileged: true (add only the capabilities or devices the service needs)'
      : 'Remove privileged: true (add only the capabilities the container needs)',
};

export const rule: Rule = {
  meta: {
    id: 'no-privileged',
    title: 'A container runs privileged',
    severity: 'error',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    pss: 'baseline',
    peers: {
      trivy: ['KSV017'],
      checkov: ['CKV_K8S_16'],
      kics: ['ae5b6871-7f45-42e0-bb4c-ab300c4d2026', 'dd29336b-fe57-445b-a26e-e6aa867ae609'],
      kubeLinter: ['privileged-container'],
    },
  },
  check({ file, report }) {
    const stack = file.compose?.stack ?? false;
    // a value written once in an anchor is reported once, naming every container that uses it
    const sites = new SharedSites<null>();
    for (const c of file.containers) {
      const p = c.security.privileged;
      if (p.value === true && p.span) sites.add(p.span, c, () => null);
    }
    for (const { containers: cs } of sites.values()) {
      const c = cs[0];
      const p = c.security.privileged;
      const span = p.span!;
      const start = p.keySpan && p.keySpan.start < span.start ? p.keySpan.start : span.start;
      const fixes = (): PlannedFix[] => {
        const plan = cs.length === 1 ? p.remove() : null;
        return plan ? [planned(plan, messages.fixTitle(c), false)] : [];
      };
      if (c.platform === 'compose' && stack) {
        report({ start, end: span.end, message: messages.stack(c), severity: 'info', fixes });
      } else {
        report({ start, end: span.end, message: cs.length > 1 ? messages.shared(cs) : messages.privileged(c), fixes });
      }
    }
  },
};
