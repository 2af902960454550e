import type { ContainerSpec, MountFact } from '../../core/model/container';
import { SharedSites } from '../../core/model/sites';
import type { Rule } from '../../core/rule';
import { socketMount } from './paths';

const who = (cs: ContainerSpec[]) => {
  const c = cs[0];
  const noun = c.platform === 'compose' ? 'Service' : 'Container';
  return cs.length > 1 ? `${noun}s ${cs.map((x) => `'${x.name}'`).join(', ')} mount` : `${noun} '${c.name}' mounts`;
};

export const messages = {
  socket: (cs: ContainerSpec[], path: string, runtime: string) =>
    `${who(cs)} the ${runtime} socket (${path}): whoever reaches it can start a privileged container and own the host (read-only does not help)`,
  folder: (cs: ContainerSpec[], path: string, runtime: string) =>
    `${who(cs)} ${path}, which holds the ${runtime} socket: whoever reaches it can start a privileged container and own the host`,
  apiSocket: (c: ContainerSpec) =>
    `Service '${c.name}' sets use_api_socket: true: it gets the Docker socket, which owns the host, and your registry credentials`,
};

export const rule: Rule = {
  meta: {
    id: 'no-docker-socket',
    title: 'A container reaches the container runtime socket',
    severity: 'error',
    platforms: ['compose', 'kubernetes'],
    fixable: false,
    pss: 'baseline',
    peers: {
      trivy: ['KSV006'],
      checkov: ['CKV_K8S_27'],
      kics: ['d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b', 'a6f34658-fdfb-4154-9536-56d516f65828'],
      kubeLinter: ['docker-sock'],
    },
  },
  check({ file, report }) {
    // one host path written once (a Kubernetes volume, an anchor's list) is one finding naming every container
    const sites = new SharedSites<{ m: MountFact; s: NonNullable<ReturnType<typeof socketMount>> }>();
    const apiSeen = new Set<number>();
    for (const c of file.containers) {
      for (const m of c.mounts) {
        const s = socketMount(m);
        if (!s) continue;
        sites.add(m.sourceSpan ?? m.span, c, () => ({ m, s }));
      }
      const api = c.security.useApiSocket;
      if (api.value === true && api.span && !apiSeen.has(api.span.start)) {
        apiSeen.add(api.span.start);
        const start = api.keySpan && api.keySpan.start < api.span.start ? api.keySpan.start : api.span.start;
        report({ start, end: api.span.end, message: messages.apiSocket(c) });
      }
    }
    for (const { site: { m, s }, containers: cs } of sites.values()) {
      const span = m.sourceSpan ?? m.span;
      const shown = m.source ?? s.path;
      report({ start: span.start, end: span.end, message: (s.folder ? messages.folder : messages.socket)(cs, shown, s.runtime) });
    }
  },
};
