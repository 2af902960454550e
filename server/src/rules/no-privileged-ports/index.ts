import type { ContainerSpec, PortFact } from '../../core/model/container';
import type { Rule } from '../../core/rule';

const SSH = 22;

const where = (c: ContainerSpec) =>
  c.platform === 'dockerfile' ? 'The image' : c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`;
const portText = (p: PortFact) => (p.portEnd !== null && p.portEnd !== p.port ? `ports ${p.port}-${p.portEnd}` : `port ${p.port}`);

export const messages = {
  ssh: (c: ContainerSpec, p: PortFact) =>
    `${where(c)} exposes ${portText(p)}${p.portEnd !== p.port ? ', including 22' : ''} (SSH): containers are entered with docker exec or kubectl exec, not through an SSH server`,
  privileged: (c: ContainerSpec, p: PortFact) =>
    `${where(c)} listens on ${portText(p)}, below 1024: binding it needs root or CAP_NET_BIND_SERVICE; listen on a port above 1023 and map it`,
};

export const rule: Rule = {
  meta: {
    id: 'no-privileged-ports',
    title: 'A container listens on port 22 or another privileged port',
    severity: 'warning',
    platforms: ['dockerfile', 'compose', 'kubernetes'],
    fixable: false,
    peers: {
      trivy: ['DS004', 'KSV117'],
      checkov: ['CKV_DOCKER_1'],
      kics: ['5907595b-5b6d-4142-b173-dbb0e73fbff8'],
      kubeLinter: ['privileged-ports', 'ssh-port'],
    },
  },
  check({ file, config, report }) {
    for (const c of file.containers) {
      for (const p of c.ports) {
        if (p.port === null || p.port === 0) continue;
        const end = p.portEnd ?? p.port;
        if (p.protocol === 'tcp' && p.port <= SSH && SSH <= end) {
          report({ start: p.span.start, end: p.span.end, message: messages.ssh(c, p) });
        } else if (p.port < 1024 && config.preset === 'strict' && !c.windows) {
          // Privileged ports are a Linux notion; only the strict preset asks for this one.
          report({ start: p.span.start, end: p.span.end, message: messages.privileged(c, p), severity: 'info' });
        }
      }
    }
  },
};
