import type { ContainerSpec } from '../../core/model/container';
import { planned } from '../../core/model/facts';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

const where = (c: ContainerSpec) => (c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`);

export const messages = {
  composeMissing: (c: ContainerSpec) =>
    `${where(c)} does not set no-new-privileges: a setuid binary in it can gain privileges (no-new-privileges in security_opt blocks that)`,
  composeOff: (c: ContainerSpec, raw: string) =>
    `${where(c)} turns no-new-privileges off (security_opt: ${raw}): a setuid binary in it can gain privileges`,
  composeInvalid: (c: ContainerSpec, raw: string) =>
    `${where(c)} sets no-new-privileges to a value that is not a boolean (security_opt: ${raw}): Docker refuses to start the container`,
  kubeMissing: (c: ContainerSpec) =>
    `${where(c)} does not set allowPrivilegeEscalation: false: a setuid binary in it can gain privileges`,
  kubeExplicit: (c: ContainerSpec, raw: string) =>
    `${where(c)} allows privilege escalation (allowPrivilegeEscalation: ${raw}): a setuid binary in it can gain privileges`,
  fixCompose: (summary: string) => `Set ${summary.replace(/^security_opt: /, '')} in security_opt (blocks setuid binaries; images that use sudo or su at run time need it off)`,
  fixKube: () => 'Set allowPrivilegeEscalation: false (blocks setuid binaries; images that use sudo or su at run time need it off)',
};

/** Go's strconv.ParseBool false values. */
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

export const rule: Rule = {
  meta: {
    id: 'no-privilege-escalation',
    title: 'A container can gain privileges through setuid binaries',
    severity: 'warning',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    pss: 'restricted',
    peers: {
      trivy: ['KSV001'],
      checkov: ['CKV_K8S_20'],
      kics: ['27fcc7d6-c49b-46e0-98f1-6c082a6a2750', '5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d'],
      kubeLinter: ['privilege-escalation-container'],
    },
  },
  check({ file, report }) {
    // docker stack deploy ignores security_opt: no-new-privileges cannot be set there (RULES.md)
    if (file.compose?.stack) return;
    for (const c of file.containers) {
      const nnp = c.security.noNewPrivileges;
      if (nnp.value) continue;
      if (c.platform === 'kubernetes') {
        // the API refuses allowPrivilegeEscalation: false next to these; no-privileged and
        // no-dangerous-capabilities report the cause
        if (c.security.privileged.value || c.security.capAdd.items.some((i) => i.value === 'CAP_SYS_ADMIN')) continue;
      }
      const written = nnp.origin !== 'default' && nnp.span !== null;
      if (!written && c.partial) continue;
      const fixes = (): PlannedFix[] => {
        const plan = nnp.set(true);
        if (!plan) return [];
        return [planned(plan, c.platform === 'compose' ? messages.fixCompose(plan.summary ?? 'no-new-privileges:true') : messages.fixKube(), true)];
      };
      if (!written) {
        // the smallest node that should hold it: an own security_opt list, else the service or container
        const opts = c.security.securityOpt;
        const at = opts.keySpan && opts.origin === 'own' ? opts.keySpan : c.anchor;
        report({ start: at.start, end: at.end, message: c.platform === 'compose' ? messages.composeMissing(c) : messages.kubeMissing(c), fixes });
        continue;
      }
      const span = nnp.span!;
      const raw = nnp.raw ?? '';
      if (c.platform === 'compose') {
        const value = /[=:]/.test(raw) ? raw.slice(raw.search(/[=:]/) + 1).replace(/["']$/, '') : '';
        const message = FALSE.has(value) ? messages.composeOff(c, unquote(raw)) : messages.composeInvalid(c, unquote(raw));
        report({ start: span.start, end: span.end, message, fixes });
      } else {
        const start = nnp.keySpan && nnp.keySpan.start < span.start ? nnp.keySpan.start : span.start;
        report({ start, end: span.end, message: messages.kubeExplicit(c, raw), fixes });
      }
    }
  },
};

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, '$2');
}
