import { testRule } from '../../helpers/testRule';

/** no-privileged on Compose (v3, v2, v1, stack) and Kubernetes: exact messages, ranges and fixed text. */

const svc = (name: string) =>
  `Service '${name}' runs privileged (privileged: true): it gets every capability and the host's devices, so a compromise of it is a compromise of the host`;
const ctr = (name: string) =>
  `Container '${name}' runs privileged (securityContext.privileged: true): it gets every capability and the host's devices, so a compromise of it is a compromise of the host`;
const stack = (name: string) => `Service '${name}' sets privileged: true, which is ignored by docker stack deploy (the service does not run privileged); remove it`;
const C_FIX = 'Remove privileged: true (add only the capabilities or devices the service needs)';
const K_FIX = 'Remove privileged: true (add only the capabilities the container needs)';
const pod = (sc: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${extra}  containers:\n    - name: app\n      image: app:1\n      securityContext:\n${sc}`;

testRule('no-privileged', {
  accept: [
    { name: 'Compose: not privileged', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n' },
    { name: 'Compose: privileged: false', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    privileged: false\n' },
    { name: 'Compose: x- field is not a service', path: 'compose.yaml', code: 'x-debug:\n  privileged: true\nservices:\n  web:\n    image: nginx:1.27\n' },
    { name: 'Compose: bulkhead-ignore', path: 'compose.yaml', code: 'services:\n  dind:\n    image: docker:27-dind\n    # bulkhead-ignore no-privileged -- docker in docker\n    privileged: true\n' },
    { name: 'Compose: kics-scan ignore-line', path: 'compose.yaml', code: 'services:\n  dind:\n    image: docker:27-dind\n    privileged: true # kics-scan ignore-line\n' },
    { name: 'Kubernetes: privileged: false', path: 'pod.yaml', code: pod('        privileged: false\n') },
    { name: 'Kubernetes: a pod-level privileged key does not exist', path: 'pod.yaml', code: pod('        runAsNonRoot: true\n', '  securityContext:\n    privileged: true\n') },
    {
      name: 'Kubernetes: bulkhead.dev/ignore annotation',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    bulkhead.dev/ignore: no-privileged\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        privileged: true\n',
    },
    {
      name: "Kubernetes: kube-linter's annotation",
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ignore-check.kube-linter.io/privileged-container: "node agent"\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        privileged: true\n',
    },
    { name: 'Kubernetes: Windows pod (Linux-only rule)', path: 'pod.yaml', code: pod('        privileged: true\n', '  os:\n    name: windows\n') },
  ],
  reject: [
    {
      name: 'Compose v3',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    ports:\n      - "8080:80"\n',
      message: svc('web'),
      range: { start: [3, 4], end: [3, 20] },
      severity: 'error',
      fixes: [C_FIX],
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n',
    },
    {
      name: 'Compose v2',
      path: 'docker-compose.yml',
      code: 'version: "2.4"\nservices:\n  web:\n    image: nginx:1.27\n    privileged: yes\n',
      message: svc('web'),
      range: { start: [4, 4], end: [4, 19] },
      fixed: 'version: "2.4"\nservices:\n  web:\n    image: nginx:1.27\n',
    },
    {
      name: 'Compose legacy v1',
      path: 'docker-compose.yml',
      code: 'web:\n  image: nginx:1.27\n  privileged: true\n',
      message: svc('web'),
      range: { start: [2, 2], end: [2, 18] },
      fixed: 'web:\n  image: nginx:1.27\n',
    },
    {
      name: 'stack file: ignored by docker stack deploy (info)',
      path: 'docker-stack.yml',
      code: 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n',
      message: stack('web'),
      range: { start: [4, 4], end: [4, 20] },
      severity: 'info',
      fixed: 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n',
    },
    {
      name: 'Compose: flow style',
      path: 'compose.yaml',
      code: 'services:\n  web: {image: "nginx:1.27", privileged: true}\n',
      message: svc('web'),
      range: { start: [1, 29], end: [1, 45] },
      fixed: 'services:\n  web: {image: "nginx:1.27"}\n',
    },
    {
      name: 'Compose: CRLF',
      path: 'compose.yaml',
      code: 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    privileged: true\r\n    read_only: true\r\n',
      message: svc('web'),
      range: { start: [3, 4], end: [3, 20] },
      fixed: 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    read_only: true\r\n',
    },
    {
      name: 'Compose: an anchor two services merge is reported once, without a fix',
      path: 'compose.yaml',
      code: 'x-priv: &priv\n  privileged: true\nservices:\n  a:\n    <<: *priv\n    image: x:1\n  b:\n    <<: *priv\n    image: y:1\n',
      message: "Services 'a', 'b' run privileged through a shared anchor (privileged: true): they get every capability and the host's devices",
      range: { start: [1, 2], end: [1, 18] },
      fixes: [],
    },
    {
      name: "Compose: the service's own privileged over a merged false",
      path: 'compose.yaml',
      code: 'x-base: &base\n  privileged: false\nservices:\n  a:\n    <<: *base\n    image: x:1\n    privileged: true\n',
      message: svc('a'),
      range: { start: [6, 4], end: [6, 20] },
      fixes: [],
    },
    {
      name: 'Kubernetes Pod',
      path: 'pod.yaml',
      code: pod('        privileged: true\n        runAsUser: 1000\n'),
      message: ctr('app'),
      range: { start: [9, 8], end: [9, 24] },
      severity: 'error',
      fixes: [K_FIX],
      fixed: pod('        runAsUser: 1000\n'),
    },
    {
      name: 'Kubernetes: privileged alone empties the securityContext',
      path: 'pod.yaml',
      code: pod('        privileged: true\n'),
      message: ctr('app'),
      range: { start: [9, 8], end: [9, 24] },
      fixed: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1\n',
    },
    {
      name: 'Kubernetes: Deployment init container, flow securityContext',
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: setup\n          image: busybox:1.36\n          securityContext: {privileged: true, runAsUser: 0}\n      containers:\n        - name: app\n          image: app:1\n',
      message: ctr('setup'),
      range: { start: [10, 28], end: [10, 44] },
      fixed: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: setup\n          image: busybox:1.36\n          securityContext: {runAsUser: 0}\n      containers:\n        - name: app\n          image: app:1\n',
    },
    {
      name: 'Kubernetes: CronJob',
      path: 'cron.yaml',
      code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              image: job:1\n              securityContext:\n                privileged: true\n                readOnlyRootFilesystem: true\n',
      message: ctr('job'),
      range: { start: [14, 16], end: [14, 32] },
      fixed: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              image: job:1\n              securityContext:\n                readOnlyRootFilesystem: true\n',
    },
    {
      name: 'Kubernetes: List item, ephemeral container (explicit values count)',
      path: 'list.yaml',
      code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: app\n          image: app:1\n      ephemeralContainers:\n        - name: debug\n          image: busybox:1.36\n          securityContext:\n            privileged: true\n            runAsUser: 0\n',
      message: ctr('debug'),
      range: { start: [15, 12], end: [15, 28] },
      fixed: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: app\n          image: app:1\n      ephemeralContainers:\n        - name: debug\n          image: busybox:1.36\n          securityContext:\n            runAsUser: 0\n',
    },
  ],
});
