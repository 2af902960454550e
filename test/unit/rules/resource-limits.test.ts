import { testRule } from '../../helpers/testRule';

/** resource-limits: memory (CPU/PIDs in strict) on Compose and Kubernetes; stack files refuse the short keys. */

const miss = (who: string, what: string, where = 'host', res = '') => `${who} has no ${what} limit${res}: one leak or load spike can starve everything else on the ${where}`;
const TITLE = (s: string) => `Add limits (${s}; adjust the numbers to the workload, setting bulkhead.defaultLimits)`;
const STRICT = { preset: 'strict' as const };
const pod = (c: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${c}${extra}`;

testRule('resource-limits', {
  accept: [
    { name: 'deploy.resources.limits.memory', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          memory: 256m\n' },
    { name: 'mem_limit', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n' },
    { name: 'limit through a merge key', path: 'compose.yaml', code: 'x-lim: &lim\n  deploy:\n    resources:\n      limits: {memory: 256m}\nservices:\n  web:\n    <<: *lim\n    image: nginx:1.27\n' },
    { name: 'strict: all three', path: 'compose.yaml', config: STRICT, code: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits: {memory: 256m, cpus: "0.5", pids: 100}\n' },
    { name: 'Kubernetes limits.memory', path: 'pod.yaml', code: pod('    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          memory: 256Mi\n') },
    { name: 'Kubernetes LimitRange in the same file', path: 'pod.yaml', code: 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\nspec:\n  limits:\n    - type: Container\n      default:\n        memory: 256Mi\n---\n' + pod('    - name: app\n      image: example/app:1.0\n') },
    { name: 'Kustomize patch (partial)', path: 'pod.yaml', code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n' },
  ],
  reject: [
    {
      name: 'Compose v3: deploy.resources.limits inserted',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n',
      message: miss("Service 'web'", 'memory'),
      range: { start: [1, 2], end: [1, 5] },
      severity: 'info',
      fixes: [TITLE('deploy.resources.limits: memory: 512m')],
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          memory: "512m"\n',
    },
    {
      name: 'a reservation is not a limit',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        reservations:\n          memory: 128m\n',
      message: miss("Service 'web'", 'memory', 'host', ' (a reservation is not a limit)'),
      range: { start: [1, 2], end: [1, 5] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        reservations:\n          memory: 128m\n        limits:\n          memory: "512m"\n',
    },
    {
      name: 'short form kept when the service uses it (strict: cpus set, memory and pids missing)',
      path: 'compose.yaml',
      config: STRICT,
      code: 'services:\n  web:\n    image: nginx:1.27\n    cpus: 0.5\n',
      message: miss("Service 'web'", 'memory or PIDs'),
      range: { start: [1, 2], end: [1, 5] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    cpus: 0.5\n    mem_limit: "512m"\n    pids_limit: 200\n',
    },
    {
      name: 'configured defaults',
      path: 'compose.yaml',
      config: { defaultLimits: { memory: '1g' } },
      code: 'services:\n  web:\n    image: nginx:1.27\n',
      message: miss("Service 'web'", 'memory'),
      range: { start: [1, 2], end: [1, 5] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          memory: "1g"\n',
    },
    {
      name: 'a merged deploy: finding, no fix (never shadow the anchor)',
      path: 'compose.yaml',
      code: 'x-d: &d\n  deploy:\n    restart_policy: {condition: on-failure}\nservices:\n  web:\n    <<: *d\n    image: nginx:1.27\n',
      message: miss("Service 'web'", 'memory'),
      range: { start: [4, 2], end: [4, 5] },
      fixes: [],
    },
    {
      name: 'v2',
      path: 'docker-compose.yml',
      code: "version: '2.4'\nservices:\n  web:\n    image: nginx:1.27\n",
      message: miss("Service 'web'", 'memory'),
      range: { start: [2, 2], end: [2, 5] },
    },
    {
      name: 'legacy v1: mem_limit',
      path: 'docker-compose.yml',
      code: 'web:\n  image: nginx:1.27\n',
      message: miss("Service 'web'", 'memory'),
      range: { start: [0, 0], end: [0, 3] },
      fixed: 'web:\n  image: nginx:1.27\n  mem_limit: "512m"\n',
    },
    {
      name: 'stack: mem_limit and cpus refused, moved into deploy.resources.limits',
      path: 'app-stack.yml',
      code: "version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n    cpus: '0.5'\n",
      message: "Service 'web' sets mem_limit, cpus: docker stack deploy refuses the file (only deploy.resources is allowed in a stack)",
      range: { start: [4, 4], end: [4, 19] },
      severity: 'warning',
      fixes: ['Move them into deploy.resources (deploy.resources.limits: memory: 256m, cpus: 0.5)'],
      fixed: "version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          memory: \"256m\"\n          cpus: \"0.5\"\n",
    },
    {
      name: 'stack: missing memory, flow style',
      path: 'app-stack.yml',
      code: "version: '3.9'\nservices:\n  web: {image: nginx:1.27}\n",
      message: miss("Service 'web'", 'memory'),
      range: { start: [2, 2], end: [2, 5] },
    },
    {
      name: 'CRLF',
      path: 'compose.yaml',
      code: 'services:\r\n  web:\r\n    image: nginx:1.27\r\n',
      message: miss("Service 'web'", 'memory'),
      range: { start: [1, 2], end: [1, 5] },
      fixed: 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    deploy:\r\n      resources:\r\n        limits:\r\n          memory: "512m"\r\n',
    },
    {
      name: 'Kubernetes: resources.limits.memory',
      path: 'pod.yaml',
      code: pod('    - name: app\n      image: example/app:1.0\n'),
      message: miss("Container 'app'", 'memory', 'node'),
      range: { start: [6, 12], end: [6, 15] },
      fixes: [TITLE('resources.limits memory: 512Mi')],
      fixed: pod('    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          memory: 512Mi\n'),
    },
    {
      name: 'Kubernetes: init container, requests only',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: example/init:1.0\n      resources:\n        requests: {memory: 64Mi}\n  containers:\n    - name: app\n      image: example/app:1.0\n      resources: {limits: {memory: 128Mi}}\n',
      message: miss("Container 'init'", 'memory', 'node', ' (a reservation is not a limit)'),
      range: { start: [6, 12], end: [6, 16] },
      fixed: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: example/init:1.0\n      resources:\n        requests: {memory: 64Mi}\n        limits:\n          memory: 512Mi\n  containers:\n    - name: app\n      image: example/app:1.0\n      resources: {limits: {memory: 128Mi}}\n',
    },
    {
      name: 'Kubernetes strict: CPU too',
      path: 'pod.yaml',
      config: { preset: 'strict', defaultLimits: { cpus: '0.5' } },
      code: pod('    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          memory: 256Mi\n'),
      message: miss("Container 'app'", 'CPU', 'node'),
      range: { start: [6, 12], end: [6, 15] },
      fixed: pod('    - name: app\n      image: example/app:1.0\n      resources:\n        limits:\n          memory: 256Mi\n          cpu: 500m\n'),
    },
  ],
});
