import { testRule } from '../../helpers/testRule';

/** no-dangerous-capabilities: Compose against Docker's default set, Kubernetes against the PSS baseline (raw strings). */

const svc = (name: string, cap: string) =>
  `Service '${name}' adds ${cap}, which Docker does not grant by default: it widens what a compromise of the container can do to the host`;
const ctr = (name: string, cap: string) =>
  `Container '${name}' adds ${cap}, which the Pod Security Standards baseline does not allow: it widens what a compromise of the container can do to the host`;
const fix = (cap: string) => `Remove ${cap} from the added capabilities`;
const pod = (caps: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${extra}  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        capabilities:\n${caps}`;

testRule('no-dangerous-capabilities', {
  accept: [
    { name: "Compose: capabilities in Docker's default set (any spelling)", path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [CHOWN, cap_setuid, CAP_SETGID, net_bind_service, NET_RAW]\n' },
    { name: 'Compose: cap_drop is not cap_add', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    cap_drop: [SYS_ADMIN, ALL]\n' },
    { name: 'Compose: bulkhead-ignore on the line', path: 'compose.yaml', code: 'services:\n  vpn:\n    image: wireguard:1\n    cap_add:\n      - NET_ADMIN # bulkhead-ignore no-dangerous-capabilities -- a VPN\n' },
    { name: 'Kubernetes: the PSS baseline set', path: 'pod.yaml', code: pod('          add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]\n') },
    { name: 'Kubernetes: Windows pod', path: 'pod.yaml', code: pod('          add: [SYS_ADMIN]\n', '  os:\n    name: windows\n') },
    { name: 'Kubernetes: trivy ignore', path: 'pod.yaml', code: pod('          # trivy:ignore:AVD-KSV-0022\n          add: [NET_ADMIN]\n') },
  ],
  reject: [
    {
      name: 'Compose v3: SYS_ADMIN, block list',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    cap_add:\n      - CHOWN\n      - SYS_ADMIN\n',
      message: svc('web', 'SYS_ADMIN'),
      range: { start: [5, 8], end: [5, 17] },
      severity: 'error',
      fixes: [fix('SYS_ADMIN')],
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    cap_add:\n      - CHOWN\n',
    },
    {
      name: 'Compose: CAP_ prefix and lower case are the same capability; the only item goes with its key',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    cap_add: [cap_net_admin]\n    read_only: true\n',
      message: svc('web', 'NET_ADMIN'),
      range: { start: [3, 14], end: [3, 27] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    read_only: true\n',
    },
    {
      name: 'Compose: ALL counts',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    cap_add: [ALL]\n',
      message: "Service 'web' adds every capability (cap_add: ALL): that is as strong as privileged mode",
      range: { start: [3, 14], end: [3, 17] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n',
    },
    {
      name: 'Compose: two findings in a flow list',
      path: 'compose.yaml',
      code: 'services:\n  debug:\n    image: busybox:1.36\n    cap_add: [SYS_PTRACE, KILL, BPF]\n',
      findings: [
        { message: svc('debug', 'SYS_PTRACE'), range: { start: [3, 14], end: [3, 24] }, fixes: [fix('SYS_PTRACE')] },
        { message: svc('debug', 'BPF'), range: { start: [3, 32], end: [3, 35] }, fixes: [fix('BPF')] },
      ],
    },
    {
      name: 'Compose v2, CRLF',
      path: 'docker-compose.yml',
      code: 'version: "2.1"\r\nservices:\r\n  web:\r\n    image: nginx:1.27\r\n    cap_add:\r\n      - SYS_MODULE\r\n      - KILL\r\n',
      message: svc('web', 'SYS_MODULE'),
      range: { start: [5, 8], end: [5, 18] },
      fixed: 'version: "2.1"\r\nservices:\r\n  web:\r\n    image: nginx:1.27\r\n    cap_add:\r\n      - KILL\r\n',
    },
    {
      name: 'Compose legacy v1',
      path: 'docker-compose.yml',
      code: 'web:\n  image: nginx:1.27\n  cap_add:\n    - NET_ADMIN\n',
      message: svc('web', 'NET_ADMIN'),
      range: { start: [3, 6], end: [3, 15] },
      fixed: 'web:\n  image: nginx:1.27\n',
    },
    {
      name: 'stack file: docker stack deploy honours cap_add',
      path: 'docker-stack.yml',
      code: 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    cap_add: [NET_ADMIN]\n',
      message: svc('web', 'NET_ADMIN'),
      range: { start: [4, 14], end: [4, 23] },
      severity: 'error',
    },
    {
      name: 'Compose: an anchor two services merge is reported once, without a fix',
      path: 'compose.yaml',
      code: 'x-net: &net\n  cap_add: [NET_ADMIN]\nservices:\n  a:\n    <<: *net\n    image: x:1\n  b:\n    <<: *net\n    image: y:1\n',
      message: "Services 'a', 'b' add NET_ADMIN, which Docker does not grant by default: it widens what a compromise of the container can do to the host",
      range: { start: [1, 12], end: [1, 21] },
      fixes: [],
    },
    {
      name: 'Kubernetes: NET_RAW is not in the PSS baseline',
      path: 'pod.yaml',
      code: pod('          add:\n            - NET_RAW\n            - NET_BIND_SERVICE\n'),
      message: ctr('app', 'NET_RAW'),
      range: { start: [11, 14], end: [11, 21] },
      severity: 'error',
      fixes: [fix('NET_RAW')],
      fixed: pod('          add:\n            - NET_BIND_SERVICE\n'),
    },
    {
      name: 'Kubernetes: CAP_ prefix is compared exactly',
      path: 'pod.yaml',
      code: pod('          add: ["CAP_CHOWN"]\n          drop: [ALL]\n'),
      message: "Container 'app' adds 'CAP_CHOWN', which the Pod Security Standards baseline does not allow (names are compared exactly: write CHOWN)",
      range: { start: [10, 16], end: [10, 27] },
      fixed: pod('          drop: [ALL]\n'),
    },
    {
      name: 'Kubernetes: lower case is compared exactly',
      path: 'pod.yaml',
      code: pod('          add: [sys_admin]\n'),
      message: ctr('app', 'sys_admin'),
      range: { start: [10, 16], end: [10, 25] },
    },
    {
      name: 'Kubernetes: ALL, Deployment init container',
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n          securityContext:\n            capabilities: {add: [ALL]}\n      containers:\n        - name: app\n          image: app:1\n',
      message: "Container 'init' adds every capability (capabilities.add: [ALL]): that is as strong as privileged mode",
      range: { start: [11, 33], end: [11, 36] },
      fixed: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n          securityContext:\n            capabilities: {add: []}\n      containers:\n        - name: app\n          image: app:1\n',
    },
    {
      name: 'Kubernetes: ephemeral container in a List (explicit values count)',
      path: 'list.yaml',
      code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: app\n          image: app:1\n      ephemeralContainers:\n        - name: debug\n          image: busybox:1.36\n          securityContext:\n            capabilities:\n              add: [SYS_PTRACE, KILL]\n',
      message: ctr('debug', 'SYS_PTRACE'),
      range: { start: [16, 20], end: [16, 30] },
      fixed: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: app\n          image: app:1\n      ephemeralContainers:\n        - name: debug\n          image: busybox:1.36\n          securityContext:\n            capabilities:\n              add: [KILL]\n',
    },
  ],
});
