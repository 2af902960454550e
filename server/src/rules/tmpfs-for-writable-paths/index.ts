import type { ContainerSpec } from '../../core/model/container';
import type { Rule } from '../../core/rule';
import type { Fix, PlannedFix } from '../../core/types';
import { built, NOT_SAFE, UNKNOWN } from '../read-only-root-filesystem';
import type { Config } from '../../core/config';
import { mountWord, needs, pathsToAdd, SCRATCH_MIB, todayAndAdds, under, where } from '../read-only-root-filesystem/writable';

export const messages = {
  imagePaths: (c: ContainerSpec, config: Config, family: string, missing: string[], today: string[], adds: string[] | null) =>
    `${where(c)} has a read-only root filesystem but nothing writable at ${missing.join(', ')}, where ${family} writes at run time: it will not start (${todayAndAdds(c, config, today, adds)})`,
  tmp: (c: ContainerSpec, config: Config, today: string[], adds: string[] | null) =>
    `${where(c)} has a read-only root filesystem and nothing writable at /tmp (${todayAndAdds(c, config, today, adds)})`,
  stackDropped: (c: ContainerSpec, entries: string[], fixable: boolean) =>
    `${where(c)} sets tmpfs: ${entries.join(', ')}, which docker stack deploy drops without a word: nothing is mounted there${fixable ? '; the fix turns each entry into a volume of type tmpfs' : ' (volumes of type tmpfs with a size need version 3.6 or later)'}`,
  fixTitle: (c: ContainerSpec, config: Config, paths: string[], caveat: string | null) => `Add ${mountWord(c, config)} at ${paths.join(', ')}${caveat ? ` (${caveat})` : ''}`,
  fixStack: (dropped: string[], extra: string[]) =>
    `Move tmpfs entries to volumes of type tmpfs${extra.length ? `, add one at ${extra.join(', ')}` : ''}${dropped.length ? ` (${dropped.map((o) => `${o}=`).join(', ')} ${dropped.length > 1 ? 'have' : 'has'} no stack equivalent: left out)` : ''}`,
};

export const rule: Rule = {
  meta: {
    id: 'tmpfs-for-writable-paths',
    title: 'A read-only container lacks the writable paths it needs',
    severity: 'warning',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    peers: {},
  },
  check({ file, config, report }) {
    for (const c of file.containers) {
      if (c.platform !== 'compose' && c.platform !== 'kubernetes') continue;
      // docker stack deploy drops service-level tmpfs: reported whether or not the service is read-only
      const dropped = c.platform === 'compose' && file.compose?.stack ? c.mounts.filter((m) => m.syntax === 'tmpfs') : [];
      if (dropped.length) {
        // a read-only service also gets the paths it lacks once the entries are volumes
        const ro = c.security.readOnlyRootFilesystem.value === true;
        const covered = (p: string) => dropped.some((m) => m.target !== null && under(p, m.target));
        const extra = ro ? pathsToAdd(needs(c, file), c, config).filter((p) => !covered(p.target)) : [];
        // the plan says the edit exists (the message says so); its text is built on demand
        const plan = c.setters.tmpfsToVolumes?.(SCRATCH_MIB, extra) ?? null;
        const options = [...new Set(dropped.flatMap((m) => (m.options ?? '').split(',').map((o) => o.trim().split('=')[0]).filter((o) => o && o !== 'size')))];
        const first = dropped[0];
        const at = first.origin === 'own' ? first.span : c.anchor;
        const title = messages.fixStack(options, extra.map((p) => p.target));
        report({ start: at.start, end: at.end, message: messages.stackDropped(c, dropped.map((m) => m.target ?? '?'), plan !== null), fixes: plan ? built(file.text, plan, title, options.length === 0) : [] });
        continue;
      }
      if (c.security.readOnlyRootFilesystem.value !== true) continue;
      const n = needs(c, file);
      if (!n.image.length && !n.tmp.length) continue;
      const add = pathsToAdd(n, c, config);
      const plan = c.setters.addWritablePaths?.(add) ?? null;
      const adds = plan ? add.map((p) => p.target) : null;
      let fixes: Fix[] | (() => PlannedFix[]) = [];
      if (plan && adds) {
        const preferred = n.known?.readOnlySafe === true;
        fixes = built(file.text, plan, messages.fixTitle(c, config, adds, preferred ? null : n.known ? NOT_SAFE(n.known.family) : UNKNOWN), preferred);
      }
      const at = c.anchor;
      if (n.image.length) report({ start: at.start, end: at.end, message: messages.imagePaths(c, config, n.known!.family, n.image, n.today, adds), fixes });
      else report({ start: at.start, end: at.end, message: messages.tmp(c, config, n.today, adds), severity: 'info', fixes });
    }
  },
};
