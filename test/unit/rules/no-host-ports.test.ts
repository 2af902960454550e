import { testRule } from '../../helpers/testRule';

/** no-host-ports on Kubernetes: exact messages, ranges and fixed text. */

const msg = (c: string, port: string) =>
  `Container '${c}' binds ${port} (hostPort): it is reachable on the node's address, past network policies, and the pod can only run where the port is free`;
const FIX = 'Remove hostPort (reach the container through a Service instead)';
const deploy = (containers: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;

testRule(
  'no-host-ports',
  {
    accept: [
      { name: 'containerPort only', code: deploy('        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n') },
      { name: 'hostPort: 0 is the API\'s "not set"', code: deploy('        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n              hostPort: 0\n') },
      { name: 'Compose ports are not hostPort', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:8080"\n' },
      { name: 'checkov skip above the port', code: deploy('        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n              # checkov:skip=CKV_K8S_26\n              hostPort: 8080\n') },
      { name: 'bulkhead.dev/ignore on the object', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    bulkhead.dev/ignore: no-host-ports\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n      ports: [{containerPort: 80, hostPort: 80}]\n' },
    ],
    reject: [
      {
        name: 'hostPort in a Deployment',
        code: deploy('        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n              hostPort: 8080\n              protocol: TCP\n'),
        message: msg('app', 'host port 8080'),
        range: { start: [12, 24], end: [12, 28] },
        severity: 'warning',
        fixes: [FIX],
        fixed: deploy('        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n              protocol: TCP\n'),
      },
      {
        name: 'flow style, CRLF, init container',
        code: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  initContainers:\r\n    - {name: init, image: "busybox:1", ports: [{containerPort: 53, hostPort: 53, protocol: UDP}]}\r\n  containers:\r\n    - name: a\r\n      image: nginx:1.27\r\n',
        message: msg('init', 'host port 53'),
        range: { start: [6, 77], end: [6, 79] },
        fixed: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  initContainers:\r\n    - {name: init, image: "busybox:1", ports: [{containerPort: 53, protocol: UDP}]}\r\n  containers:\r\n    - name: a\r\n      image: nginx:1.27\r\n',
      },
      {
        name: 'a port list shared through an alias: one finding naming both containers, no fix',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n      ports: &ports\n        - containerPort: 80\n          hostPort: 80\n    - name: b\n      image: nginx:1.27\n      ports: *ports\n',
        message: "Containers 'a', 'b' bind host port 80 (hostPort): it is reachable on the node's address, past network policies, and the pod can only run where the port is free",
        range: { start: [10, 20], end: [10, 22] },
        fixes: [],
      },
      {
        name: 'a non-numeric hostPort still binds the node',
        code: deploy('        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n              hostPort: "${PORT}"\n'),
        message: msg('app', 'a host port'),
        range: { start: [12, 24], end: [12, 33] },
      },
    ],
  },
  { path: 'deploy.yaml' },
);
