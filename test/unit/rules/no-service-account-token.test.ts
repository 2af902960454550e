import { testRule } from '../../helpers/testRule';

/** no-service-account-token on Kubernetes: one finding per pod, on its first container's name. */

const missing = (obj: string) =>
  `${obj} mounts the default service account's API token (automountServiceAccountToken is not false): anyone who takes over a container can call the Kubernetes API with it`;
const explicit = (obj: string) =>
  `${obj} mounts the default service account's API token (automountServiceAccountToken: true): anyone who takes over a container can call the Kubernetes API with it`;
const FIX = 'Set automountServiceAccountToken: false (a pod that calls the Kubernetes API then needs its own ServiceAccount)';
const deploy = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${spec}`;
const APP = '      containers:\n        - name: app\n          image: nginx:1.27\n';
const SA = (name: string, automount: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n${automount}---\n`;

testRule(
  'no-service-account-token',
  {
    accept: [
      { name: 'automountServiceAccountToken: false on the pod', code: deploy(`      automountServiceAccountToken: false\n${APP}`) },
      { name: 'a named service account', code: deploy(`      serviceAccountName: web\n${APP}`) },
      { name: 'the deprecated serviceAccount field', code: deploy(`      serviceAccount: web\n${APP}`) },
      { name: 'the default ServiceAccount in the same file turns it off', code: SA('default', 'automountServiceAccountToken: false\n') + deploy(APP) },
      { name: 'a Kustomize-style partial object (no image)', code: deploy('      containers:\n        - name: app\n') },
      { name: 'objects without pods', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n' },
      { name: 'Compose has no service account', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n' },
      { name: 'checkov skip above the first container', code: deploy('      containers:\n        # checkov:skip=CKV_K8S_38\n        - name: app\n          image: nginx:1.27\n') },
      { name: 'kube-linter annotation', code: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    ignore-check.kube-linter.io/automount-service-account-token: "calls the API"\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n` },
    ],
    reject: [
      {
        name: 'a Deployment on the default service account: one finding for two containers',
        code: deploy(`${APP}        - name: side\n          image: busybox:1\n`),
        message: missing("Deployment 'web'"),
        range: { start: [8, 16], end: [8, 19] },
        severity: 'info',
        fixes: [FIX],
        fixed: deploy(`${APP}        - name: side\n          image: busybox:1\n      automountServiceAccountToken: false\n`),
      },
      {
        name: 'serviceAccountName: default',
        code: deploy(`      serviceAccountName: default\n${APP}`),
        message: missing("Deployment 'web'"),
        range: { start: [9, 16], end: [9, 19] },
        fixed: deploy(`      serviceAccountName: default\n${APP}      automountServiceAccountToken: false\n`),
      },
      {
        name: 'explicit true on the pod: the range is the value, the fix replaces it',
        code: deploy(`      automountServiceAccountToken: true\n${APP}`),
        message: explicit("Deployment 'web'"),
        range: { start: [7, 36], end: [7, 40] },
        fixed: deploy(`      automountServiceAccountToken: false\n${APP}`),
      },
      {
        name: 'the ServiceAccount in the file is another one',
        code: SA('other', 'automountServiceAccountToken: false\n') + deploy(APP),
        message: missing("Deployment 'web'"),
        range: { start: [14, 16], end: [14, 19] },
      },
      {
        name: 'the pod overrides its ServiceAccount with true',
        code: SA('default', 'automountServiceAccountToken: false\n') + deploy(`      automountServiceAccountToken: true\n${APP}`),
        message: explicit("Deployment 'web'"),
        range: { start: [13, 36], end: [13, 40] },
      },
      {
        name: 'a CronJob, flow style, CRLF',
        code: 'apiVersion: batch/v1\r\nkind: CronJob\r\nmetadata: {name: nightly}\r\nspec:\r\n  schedule: "@daily"\r\n  jobTemplate:\r\n    spec:\r\n      template:\r\n        spec: {restartPolicy: Never, containers: [{name: job, image: "busybox:1"}]}\r\n',
        message: missing("CronJob 'nightly'"),
        range: { start: [8, 57], end: [8, 60] },
        fixed: 'apiVersion: batch/v1\r\nkind: CronJob\r\nmetadata: {name: nightly}\r\nspec:\r\n  schedule: "@daily"\r\n  jobTemplate:\r\n    spec:\r\n      template:\r\n        spec: {restartPolicy: Never, containers: [{name: job, image: "busybox:1"}], automountServiceAccountToken: false}\r\n',
      },
      {
        name: 'pods in a List: one finding each',
        code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers: [{name: x, image: "nginx:1.27"}]\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: b}\n    spec:\n      containers: [{name: y, image: "nginx:1.27"}]\n',
        findings: [
          { message: missing("Pod 'a'"), range: { start: [7, 26], end: [7, 27] } },
          { message: missing("Pod 'b'"), range: { start: [12, 26], end: [12, 27] } },
        ],
      },
      {
        name: 'init containers only: anchored on the first init container',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: busybox:1\n',
        message: missing("Pod 'p'"),
        range: { start: [6, 12], end: [6, 16] },
      },
      {
        name: 'a Windows pod mounts the token too',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  os: {name: windows}\n  containers:\n    - name: a\n      image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n',
        message: missing("Pod 'w'"),
        range: { start: [7, 12], end: [7, 13] },
      },
    ],
  },
  { path: 'deploy.yaml' },
);
