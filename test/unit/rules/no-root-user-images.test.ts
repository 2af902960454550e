import { testRule } from '../../helpers/testRule';

/**
 * no-root-user with the image table on Compose and Kubernetes (issue 15): an image that declares
 * a non-root USER is not "root"; an image that starts as root and steps down is an info; the
 * Kubernetes fix always sets a numeric runAsUser, the image's own uid when the table knows it.
 */

const deploy = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${spec}`;
const app = (image: string, extra = '') => `      containers:\n        - name: app\n          image: ${image}\n${extra}`;
const podSc = (uid: number) => `      securityContext:\n        runAsNonRoot: true\n        runAsUser: ${uid}\n        runAsGroup: ${uid}\n`;

testRule(
  'no-root-user',
  {
    accept: [
      { name: 'Compose: grafana', code: 'services:\n  grafana:\n    image: grafana/grafana:11.2.0\n', path: 'compose.yaml' },
      { name: 'Compose: prometheus', code: 'services:\n  prom:\n    image: prom/prometheus:v2.53.0\n', path: 'compose.yaml' },
      { name: 'Compose: Elasticsearch 8', code: 'services:\n  es:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0\n', path: 'compose.yaml' },
      { name: 'Compose: Confluent cp-kafka', code: 'services:\n  kafka:\n    image: confluentinc/cp-kafka:7.7.0\n', path: 'compose.yaml' },
      { name: 'Compose: Selenium', code: 'services:\n  chrome:\n    image: selenium/standalone-chrome:127.0\n', path: 'compose.yaml' },
      { name: 'Compose: trino', code: 'services:\n  trino:\n    image: trinodb/trino:455\n', path: 'compose.yaml' },
      { name: 'Kubernetes: grafana without securityContext', code: deploy(app('grafana/grafana:11.2.0')), path: 'deploy.yaml' },
      { name: 'Kubernetes: numeric image user under runAsNonRoot alone', code: deploy(app('grafana/grafana:11.2.0', '          securityContext:\n            runAsNonRoot: true\n')), path: 'deploy.yaml' },
      { name: 'Kubernetes: an unknown image under runAsNonRoot alone is a guard', code: deploy(app('ghcr.io/acme/web:1', '          securityContext:\n            runAsNonRoot: true\n')), path: 'deploy.yaml' },
    ],
    reject: [
      {
        name: 'Compose: postgres steps down: info, fix not preferred, the title says why',
        path: 'compose.yaml',
        code: 'services:\n  db:\n    image: postgres:16\n',
        message: "Service 'db' starts as root: the image 'postgres:16' switches to user postgres by itself",
        range: { start: [1, 2], end: [1, 4] },
        severity: 'info',
        fixes: ['Set user: "10001:10001" (postgres <= 17 starts as root and switches to postgres itself)'],
        preferred: [false],
        fixed: 'services:\n  db:\n    image: postgres:16\n    user: "10001:10001"\n',
      },
      {
        name: 'Compose: nginx steps down',
        path: 'compose.yaml',
        code: 'services:\n  web:\n    image: nginx:1.27-alpine\n',
        message: "Service 'web' starts as root: the image 'nginx:1.27-alpine' switches to user nginx by itself",
        range: { start: [1, 2], end: [1, 5] },
        severity: 'info',
        preferred: [false],
      },
      {
        name: 'Compose: an image the table knows runs as root without stepping down (node): a warning',
        path: 'compose.yaml',
        code: 'services:\n  app:\n    image: node:20\n',
        message: "Service 'app' sets no user, so it runs as root unless the image 'node:20' sets one (its USER is unknown offline)",
        range: { start: [1, 2], end: [1, 5] },
        severity: 'warning',
        fixes: ['Set user: "10001:10001" (the image may need to start as root)'],
        preferred: [false],
      },
      {
        name: 'Kubernetes: postgres steps down: info; the fix uses its own uid and says so',
        path: 'deploy.yaml',
        code: deploy(app('postgres:16')),
        message: "Container 'app' starts as root: the image 'postgres:16' switches to user postgres by itself",
        range: { start: [8, 16], end: [8, 19] },
        severity: 'info',
        fixes: ['Run the pod as non-root: runAsNonRoot: true, runAsUser: 999, runAsGroup: 999 (uid 999 is the user postgres <= 17 switches to; the image starts as root)'],
        preferred: [false],
        fixed: deploy(app('postgres:16') + podSc(999)),
      },
      {
        name: 'Kubernetes: a named image user under runAsNonRoot alone will not start: runAsUser: 65534 (nobody)',
        path: 'deploy.yaml',
        code: deploy(app('prom/prometheus:v2.53.0', '          securityContext:\n            runAsNonRoot: true\n')),
        message: "Container 'app' will not start: with runAsNonRoot: true and no runAsUser, the kubelet cannot verify the image's named user nobody (set runAsUser: 65534)",
        range: { start: [11, 26], end: [11, 30] },
        severity: 'warning',
        fixes: ["Run the pod as non-root: runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 (uid 65534 is the image's own user nobody)"],
        preferred: [false],
        fixed: deploy(app('prom/prometheus:v2.53.0', '          securityContext:\n            runAsNonRoot: true\n') + podSc(65534)),
      },
      {
        name: 'Kubernetes: node-exporter (USER nobody) under a container-level guard: runAsUser 65534',
        path: 'deploy.yaml',
        code: deploy(app('quay.io/prometheus/node-exporter:v1.8.2', '          securityContext:\n            runAsNonRoot: true\n')),
        message: "Container 'app' will not start: with runAsNonRoot: true and no runAsUser, the kubelet cannot verify the image's named user nobody (set runAsUser: 65534)",
        range: { start: [11, 26], end: [11, 30] },
        fixes: ["Run the pod as non-root: runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 (uid 65534 is the image's own user nobody)"],
        preferred: [false],
      },
      {
        name: 'Kubernetes: a pod-level guard and a root image (nginx) will not start',
        path: 'deploy.yaml',
        code: deploy(`      securityContext:\n        runAsNonRoot: true\n${app('nginx:1.27')}`),
        message: "Container 'app' will not start: runAsNonRoot: true needs a non-root image user, and the image 'nginx:1.27' starts as root (set a numeric runAsUser)",
        range: { start: [8, 22], end: [8, 26] },
        severity: 'warning',
        fixes: ['Run the pod as non-root: runAsUser: 101, runAsGroup: 101 (uid 101 is the user nginx switches to; the image starts as root)'],
        preferred: [false],
        fixed: deploy(`      securityContext:\n        runAsNonRoot: true\n        runAsUser: 101\n        runAsGroup: 101\n${app('nginx:1.27')}`),
      },
      {
        name: 'Kubernetes: a guard on node (root, no uid known): runAsUser 10001',
        path: 'deploy.yaml',
        code: deploy(`      securityContext:\n        runAsNonRoot: true\n${app('node:20')}`),
        message: "Container 'app' will not start: runAsNonRoot: true needs a non-root image user, and the image 'node:20' starts as root (set a numeric runAsUser)",
        range: { start: [8, 22], end: [8, 26] },
        fixes: ['Run the pod as non-root: runAsUser: 10001, runAsGroup: 10001 (the image must work as uid 10001)'],
        preferred: [false],
      },
      {
        name: 'Kubernetes: unknown image: 10001, and the title says so',
        path: 'deploy.yaml',
        code: deploy(app('ghcr.io/acme/web:1')),
        message: "Container 'app' may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set (the image's USER is unknown offline)",
        range: { start: [8, 16], end: [8, 19] },
        severity: 'warning',
        fixes: ['Run the pod as non-root: runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 (the image must work as uid 10001)'],
        preferred: [false],
        fixed: deploy(app('ghcr.io/acme/web:1') + podSc(10001)),
      },
    ],
  },
);
