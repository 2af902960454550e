import type { ImageKnowledge } from './imageTable';

/**
 * More rows of the image knowledge table (schema and conventions in imageTable.ts and
 * imageData.ts), added for no-root-user (issue 15): images that declare a non-root USER.
 * Each was read in the image's own Dockerfile; `source` names the repository and file. They
 * are looked up after IMAGE_DATA's rows, so a row there wins.
 */
export const USER_IMAGE_DATA: readonly ImageKnowledge[] = [
  {
    family: 'alertmanager',
    match: ['prom/alertmanager', 'quay.io/prometheus/alertmanager'],
    startsAs: 'nonroot', runsAs: 'nobody', uid: 65534, stepsDown: false,
    writes: ['/alertmanager'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'prometheus/alertmanager Dockerfile (COPY --chown=nobody:nobody /etc/alertmanager /alertmanager; USER nobody; VOLUME ["/alertmanager"]); nobody is 65534 in the busybox/distroless bases',
  },
  {
    family: 'node-exporter',
    match: ['prom/node-exporter', 'quay.io/prometheus/node-exporter'],
    startsAs: 'nonroot', runsAs: 'nobody', uid: 65534, stepsDown: false,
    writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: true,
    source: 'prometheus/node_exporter Dockerfile (FROM quay.io/prometheus/busybox-*:glibc; USER nobody; ENTRYPOINT ["/bin/node_exporter"], no entrypoint script)',
  },
  {
    family: 'loki',
    match: ['grafana/loki'],
    startsAs: 'nonroot', runsAs: '10001', uid: 10001, stepsDown: false,
    writes: ['/loki'], capabilities: [], readOnlySafe: false, anyUidSafe: false,
    source: 'grafana/loki cmd/loki/Dockerfile (adduser -u 10001 loki; chown -R loki:loki /etc/loki /loki; USER 10001)',
  },
];
