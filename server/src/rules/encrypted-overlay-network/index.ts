import { planned } from '../../core/model/facts';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

export const messages = {
  named: (name: string) =>
    `Network '${name}' is an overlay without encryption: traffic between services on different nodes crosses the network in clear`,
  implicit: () =>
    `The stack's default network is an overlay without encryption: traffic between services on different nodes crosses the network in clear`,
  fixTitle: 'Encrypt it: driver_opts: {encrypted: "true"} (IPsec between nodes; costs throughput)',
  fixTitleImplicit: 'Declare the default network encrypted: networks: {default: {driver_opts: {encrypted: "true"}}} (IPsec between nodes; costs throughput)',
};

export const rule: Rule = {
  meta: {
    id: 'encrypted-overlay-network',
    title: 'A Swarm overlay network carries traffic unencrypted',
    severity: 'info',
    platforms: ['compose'],
    fixable: true,
    peers: {},
  },
  check({ file, report }) {
    const compose = file.compose;
    if (!compose) return;
    for (const n of compose.networks) {
      if (n.external || !n.overlay || n.encrypted) continue;
      let span = n.keySpan;
      if (n.implicit) {
        // not written: the first service that joins it
        const svc = compose.services.find((s) => s.networks.length === 0 && !s.fields.has('network_mode')) ?? compose.services.find((s) => s.networks.some((x) => x.name === 'default'));
        span = svc?.keySpan ?? null;
      }
      if (!span) continue;
      const fixes = (): PlannedFix[] => {
        const p = n.setEncrypted();
        return p ? [planned(p, n.implicit ? messages.fixTitleImplicit : messages.fixTitle, false, true)] : [];
      };
      report({ start: span.start, end: span.end, message: n.implicit ? messages.implicit() : messages.named(n.name), fixes });
    }
  },
};
