import type { ContainerSpec, ResourceFacts } from '../../core/model/container';
import { planned, type Fact } from '../../core/model/facts';
import type { DefaultLimits } from '../../core/config';
import type { Rule } from '../../core/rule';
import type { Fix, PlannedFix } from '../../core/types';

const where = (c: ContainerSpec) => (c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`);

/** Compose keys docker stack deploy refuses, with the fact that reads each. */
const STACK_REFUSED: [string, keyof ResourceFacts][] = [
  ['mem_limit', 'memoryLimit'],
  ['cpus', 'cpuLimit'],
  ['pids_limit', 'pidsLimit'],
  ['mem_reservation', 'memoryReservation'],
];

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

export const messages = {
  missing: (c: ContainerSpec, missing: string[], reserves: boolean) =>
    `${where(c)} has no ${list(missing)} limit${reserves ? ' (a reservation is not a limit)' : ''}: one leak or load spike can starve everything else on the ${c.platform === 'compose' ? 'host' : 'node'}`,
  stack: (c: ContainerSpec, keys: string[]) =>
    `${where(c)} sets ${keys.join(', ')}: docker stack deploy refuses the file (only deploy.resources is allowed in a stack)`,
  fixTitle: (summary: string | undefined) => `Add limits (${summary ?? 'resource limits'}; adjust the numbers to the workload, setting bulkhead.defaultLimits)`,
  moveTitle: (summary: string | undefined) => `Move them into deploy.resources (${summary ?? 'deploy.resources.limits'})`,
};

/** Kubernetes spells binary memory units `Mi`/`Gi`. */
function kubeMemory(m: string): string {
  const x = /^(\d+(?:\.\d+)?)([kmg])$/.exec(m);
  return x ? `${x[1]}${x[2] === 'k' ? 'Ki' : x[2].toUpperCase() + 'i'}` : m;
}

function kubeCpu(cpus: string): string {
  const n = Number(cpus);
  return Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`;
}

const written = (f: Fact<string | null>) => f.value !== null && f.origin !== 'default';

export const rule: Rule = {
  meta: {
    id: 'resource-limits',
    title: 'A container has no memory limit',
    severity: 'info',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    peers: {
      trivy: ['KSV011', 'KSV015', 'KSV016', 'KSV018'],
      checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'],
      kics: ['bb9ac4f7-e13b-423d-a010-c74a1bfbe492', 'b14d1bc4-a208-45db-92f0-e21f8e2588e9'],
      kubeLinter: ['unset-memory-requirements', 'unset-cpu-requirements'],
    },
  },
  check({ file, config, report }) {
    const strict = config.preset === 'strict';
    const stack = file.compose?.stack ?? false;
    const legacy = file.compose?.legacy ?? false;
    const d: DefaultLimits = config.defaultLimits;
    const seen = new Set<string>();
    for (const c of file.containers) {
      const r = c.resources;
      if (c.platform === 'compose' && stack) {
        // mem_limit & co. written on the service (not through an anchor others share: reported once)
        const refused = STACK_REFUSED.filter(([key, fact]) => r[fact].origin !== 'default' && r[fact].path?.length === 1 && r[fact].path?.[0] === key);
        if (refused.length) {
          const first = refused.map(([, f]) => r[f]).sort((a, b) => (a.keySpan?.start ?? 0) - (b.keySpan?.start ?? 0))[0];
          const span = first.keySpan ?? first.span;
          if (span && !seen.has(`${span.start}`)) {
            seen.add(`${span.start}`);
            const fixes = (): Fix[] => {
              if (refused.some(([k]) => k === 'mem_reservation') || !c.setters.setLimits) return [];
              const want: { memory?: string; cpu?: string; pids?: number } = {};
              if (written(r.memoryLimit)) want.memory = r.memoryLimit.value!;
              if (written(r.cpuLimit)) want.cpu = r.cpuLimit.value!;
              if (written(r.pidsLimit) && /^\d+$/.test(r.pidsLimit.value!)) want.pids = Number(r.pidsLimit.value);
              const p = c.setters.setLimits(want);
              const change = p?.build();
              return p && change && change.edits.length ? [{ title: messages.moveTitle(p.summary), preferred: false, edits: change.edits }] : [];
            };
            report({ start: span.start, end: (first.span ?? span).end, message: messages.stack(c, refused.map(([k]) => k)), severity: 'warning', fixes });
          }
          continue;
        }
      }
      if (c.partial) continue;
      const missing: string[] = [];
      const want: { memory?: string; cpu?: string; pids?: number } = {};
      if (r.memoryLimit.value === null) {
        missing.push('memory');
        want.memory = c.platform === 'kubernetes' ? kubeMemory(d.memory) : d.memory;
      }
      if (strict && !legacy && r.cpuLimit.value === null) {
        missing.push('CPU');
        want.cpu = c.platform === 'kubernetes' ? kubeCpu(d.cpus) : d.cpus;
      }
      if (strict && !legacy && c.platform === 'compose' && r.pidsLimit.value === null) {
        missing.push('PIDs');
        want.pids = d.pids;
      }
      if (!missing.length) continue;
      const fixes = (): PlannedFix[] => {
        const p = c.setters.setLimits?.(want) ?? null;
        return p ? [planned(p, messages.fixTitle(p.summary), false, true)] : [];
      };
      const reserves = missing.includes('memory') && r.memoryReservation.value !== null;
      report({ start: c.anchor.start, end: c.anchor.end, message: messages.missing(c, missing, reserves), fixes });
    }
  },
};
