import { testRule } from '../../helpers/testRule';

/** no-host-namespaces on Compose (v3, v2, legacy v1, stack) and Kubernetes: exact messages, ranges and fixed text. */

const NET = "network namespace (network_mode: host): it sees every host interface and can bind any host port";
const svc = (name: string, what: string) => `Service '${name}' shares the host's ${what}`;
const PID = (setting: string) => `PID namespace (${setting}): it sees and can signal every process on the host`;
const IPC = (setting: string) => `IPC namespace (${setting}): it can read the shared memory of host processes`;
const USERNS = "user namespace (userns_mode: host): its root is the host's root even where the daemon remaps users";
const UTS = "UTS namespace (uts: host): it can change the host's name";
const stackIgnored = (name: string, setting: string) =>
  `Service '${name}' sets ${setting}, which is ignored by docker stack deploy (the service does not share the host's namespace); remove it`;
const REMOVE_NET = 'Remove network_mode: host (publish the ports the service needs with ports: instead)';
const REMOVE_HOST_NETWORK = 'Remove hostNetwork: true (reach the pod through a Service or containerPort instead)';

/** A Deployment named web whose pod spec (at 6 spaces) is `spec`. */
const deploy = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${spec}`;
const APP = '      containers:\n        - name: app\n          image: nginx:1.27\n';
const kube = (obj: string, setting: string, what: string) => `${obj} shares the host's ${what.replace('%', setting)}`;
const K_NET = "network namespace (%): it sees every host interface and can bind any host port";
const K_PID = 'PID namespace (%): it sees and can signal every process on the host';
const K_IPC = 'IPC namespace (%): it can read the shared memory of host processes';

testRule(
  'no-host-namespaces',
  {
    accept: [
      { name: 'no namespace keys', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n' },
      { name: 'network_mode: service:x and container:x', path: 'compose.yaml', code: 'services:\n  a:\n    image: nginx:1.27\n  b:\n    image: busybox:1\n    network_mode: service:a\n  c:\n    image: busybox:1\n    network_mode: "container:abc"\n' },
      { name: 'bridge and none', path: 'compose.yaml', code: 'services:\n  a:\n    image: nginx:1.27\n    network_mode: bridge\n  b:\n    image: busybox:1\n    network_mode: none\n' },
      { name: 'ipc shareable / private, pid service:x', path: 'compose.yaml', code: 'services:\n  a:\n    image: nginx:1.27\n    ipc: shareable\n  b:\n    image: busybox:1\n    ipc: private\n    pid: service:a\n' },
      { name: 'HOST is not host (the engine refuses it)', path: 'compose.yaml', code: 'services:\n  a:\n    image: nginx:1.27\n    pid: HOST\n' },
      { name: 'x- extension field holding host', path: 'compose.yaml', code: 'x-net: &net\n  network_mode: host\nservices:\n  a:\n    image: nginx:1.27\n' },
      { name: 'a network named host that is not external', path: 'docker-stack.yml', code: 'services:\n  a:\n    image: nginx:1.27\n    networks: [host]\nnetworks:\n  host: {}\n' },
      { name: 'Kubernetes explicit false', code: deploy(`      hostNetwork: false\n      hostPID: false\n      hostIPC: false\n${APP}`) },
      { name: 'Kubernetes quoted "true" is not a boolean', code: deploy(`      hostNetwork: "true"\n${APP}`) },
      { name: 'bulkhead-ignore at the end of the line', path: 'compose.yaml', code: 'services:\n  a:\n    image: nginx:1.27\n    network_mode: host # bulkhead-ignore no-host-namespaces -- node exporter\n' },
      { name: 'checkov skip above the key', code: deploy(`      # checkov:skip=CKV_K8S_19\n      hostNetwork: true\n${APP}`) },
      { name: 'kube-linter annotation on the object', code: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: exporter\n  annotations:\n    ignore-check.kube-linter.io/host-network: "node metrics"\nspec:\n  template:\n    spec:\n      hostNetwork: true\n${APP}` },
      { name: 'bulkhead.dev/ignore on the pod template', code: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: exporter\nspec:\n  template:\n    metadata:\n      annotations:\n        bulkhead.dev/ignore: no-host-namespaces\n    spec:\n      hostPID: true\n${APP}` },
    ],

    reject: [
      {
        name: 'network_mode: host (v3)',
        path: 'compose.yaml',
        code: 'services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    restart: always\n',
        message: svc('web', NET),
        range: { start: [3, 18], end: [3, 22] },
        severity: 'error',
        fixes: [REMOVE_NET],
        fixed: 'services:\n  web:\n    image: nginx:1.27\n    restart: always\n',
      },
      {
        name: 'pid, ipc, userns_mode and uts: one finding each, quoted or not',
        path: 'docker-compose.yml',
        code: 'version: "2.4"\nservices:\n  agent:\n    image: datadog/agent:7\n    pid: "host"\n    ipc: host\n    userns_mode: host\n    uts: host\n',
        findings: [
          { message: svc('agent', PID('pid: host')), range: { start: [4, 9], end: [4, 15] }, fixes: ['Remove pid: host'] },
          { message: svc('agent', IPC('ipc: host')), range: { start: [5, 9], end: [5, 13] }, fixes: ['Remove ipc: host'] },
          { message: svc('agent', USERNS), range: { start: [6, 17], end: [6, 21] }, fixes: ['Remove userns_mode: host'] },
          { message: svc('agent', UTS), range: { start: [7, 9], end: [7, 13] }, fixes: ['Remove uts: host'] },
        ],
      },
      {
        name: 'legacy v1 net: host',
        path: 'docker-compose.yml',
        code: 'web:\n  image: nginx:1.27\n  net: host\n',
        message: "Service 'web' shares the host's network namespace (net: host): it sees every host interface and can bind any host port",
        range: { start: [2, 7], end: [2, 11] },
        fixes: ['Remove net: host (publish the ports the service needs with ports: instead)'],
        fixed: 'web:\n  image: nginx:1.27\n',
      },
      {
        name: 'flow-style service, CRLF',
        path: 'compose.yaml',
        code: 'services:\r\n  web: {image: "nginx:1.27", pid: host}\r\n',
        message: svc('web', PID('pid: host')),
        range: { start: [1, 34], end: [1, 38] },
        fixed: 'services:\r\n  web: {image: "nginx:1.27"}\r\n',
      },
      {
        name: 'a merged anchor: one finding naming both services, no fix',
        path: 'compose.yaml',
        code: 'x-host: &host\n  network_mode: host\nservices:\n  a:\n    <<: *host\n    image: nginx:1.27\n  b:\n    <<: *host\n    image: redis:7\n',
        message: "Services 'a', 'b' share the host's network namespace (network_mode: host): it sees every host interface and can bind any host port",
        range: { start: [1, 16], end: [1, 20] },
        fixes: [],
      },
      {
        name: 'stack file: pid is ignored by docker stack deploy (info)',
        path: 'docker-stack.yml',
        code: 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    pid: host\n',
        message: stackIgnored('web', 'pid: host'),
        range: { start: [4, 9], end: [4, 13] },
        severity: 'info',
        fixed: 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n',
      },
      {
        name: 'stack file: network_mode: host is ignored too',
        path: 'stack.yml',
        code: 'services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n',
        message: stackIgnored('web', 'network_mode: host'),
        range: { start: [3, 18], end: [3, 22] },
        severity: 'info',
      },
      {
        name: 'stack file: the external network host (by name:)',
        path: 'docker-stack.yml',
        code: 'services:\n  web:\n    image: nginx:1.27\n    networks:\n      - hostnet\nnetworks:\n  hostnet:\n    external: true\n    name: host\n',
        message: "Service 'web' shares the host's network namespace (network 'hostnet' is the external network host): it sees every host interface and can bind any host port",
        range: { start: [4, 8], end: [4, 15] },
        severity: 'error',
        fixes: [],
      },
      {
        name: 'stack file: external: {name: host}, networks as a map',
        path: 'docker-stack.yml',
        code: 'version: "3.4"\nservices:\n  web:\n    image: nginx:1.27\n    networks:\n      outside: {}\nnetworks:\n  outside:\n    external:\n      name: host\n',
        message: "Service 'web' shares the host's network namespace (network 'outside' is the external network host): it sees every host interface and can bind any host port",
        range: { start: [5, 6], end: [5, 13] },
      },
      {
        name: 'Kubernetes: hostNetwork and hostPID on a Deployment (one finding per key, not per container)',
        code: deploy(`      hostNetwork: true\n      hostPID: yes\n${APP}        - name: side\n          image: busybox:1\n`),
        findings: [
          { message: kube("Deployment 'web'", 'hostNetwork: true', K_NET), range: { start: [7, 19], end: [7, 23] }, fixes: [REMOVE_HOST_NETWORK] },
          { message: kube("Deployment 'web'", 'hostPID: true', K_PID), range: { start: [8, 15], end: [8, 18] }, fixes: ['Remove hostPID: true'] },
        ],
      },
      {
        name: 'Kubernetes: CronJob hostIPC',
        code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostIPC: true\n          restartPolicy: Never\n          containers:\n            - name: job\n              image: busybox:1\n',
        message: kube("CronJob 'nightly'", 'hostIPC: true', K_IPC),
        range: { start: [10, 19], end: [10, 23] },
        fixed: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: job\n              image: busybox:1\n',
      },
      {
        name: 'Kubernetes: a Pod in a List, flow style',
        code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec: {hostNetwork: true, containers: [{name: a, image: "nginx:1.27"}]}\n',
        message: kube("Pod 'p'", 'hostNetwork: true', K_NET),
        range: { start: [6, 24], end: [6, 28] },
        fixed: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec: {containers: [{name: a, image: "nginx:1.27"}]}\n',
      },
      {
        name: 'Kubernetes: a pod with only init containers',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  initContainers:\n    - name: init\n      image: busybox:1\n',
        message: kube("Pod 'p'", 'hostPID: true', K_PID),
        range: { start: [5, 11], end: [5, 15] },
      },
      {
        name: 'Kubernetes: a Windows HostProcess pod is reported without a removal fix (the API needs hostNetwork there)',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  os:\n    name: windows\n  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n    - name: a\n      image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n',
        message: kube("Pod 'w'", 'hostNetwork: true', K_NET),
        range: { start: [7, 15], end: [7, 19] },
        fixes: [],
      },
      {
        name: 'Kubernetes: a Kustomize-style object without containers is not a pod; a patch with an explicit true is',
        code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: a\n',
        message: kube("DaemonSet 'd'", 'hostNetwork: true', K_NET),
        range: { start: [7, 19], end: [7, 23] },
      },
    ],
  },
  { path: 'deploy.yaml' },
);
