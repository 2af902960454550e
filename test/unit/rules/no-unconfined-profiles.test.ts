import { testRule } from '../../helpers/testRule';

/** no-unconfined-profiles on Compose (every security_opt spelling, stack) and Kubernetes (fields, annotations, procMount, strict). */

const svc = (name: string, raw: string, effect: string) => `Service '${name}' sets security_opt ${raw}: ${effect}`;
const SECCOMP = 'seccomp is off, so every system call reaches the host kernel';
const APPARMOR = 'AppArmor is off, so nothing limits what it does with files and mounts';
const SELINUX = 'SELinux labelling is off, so it is not confined from host files';
const SPC = 'spc_t is the SELinux type SELinux does not confine';
const SYSTEMPATHS = 'the /proc and /sys paths Docker masks are readable and writable';
const compose = (opts: string) => `services:\n  web:\n    image: nginx:1.27\n    security_opt:\n${opts}`;

const K_SECCOMP = "seccomp is off, so every system call reaches the node's kernel";
const K_APPARMOR = 'AppArmor is off, so nothing limits what it does with files and mounts';
const SET_SECCOMP = "Set seccompProfile type: RuntimeDefault (the workload must work with the runtime's default syscall filter)";
const SET_APPARMOR = "Set appArmorProfile type: RuntimeDefault (the workload must work with the runtime's default AppArmor profile)";
const NO_SECCOMP = (obj: string) => `${obj} sets no seccomp profile: its containers run unconfined unless the kubelet turns on SeccompDefault; set seccompProfile type: RuntimeDefault on the pod`;

/** A Pod named p whose spec (at 2 spaces) is `spec`. */
const pod = (spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;
const A = '  containers:\n    - name: a\n      image: nginx:1.27\n';
const STRICT = { preset: 'strict' as const };

testRule(
  'no-unconfined-profiles',
  {
    accept: [
      { name: 'no security_opt', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n' },
      { name: 'confining options', path: 'compose.yaml', code: compose('      - no-new-privileges:true\n      - seccomp=./profile.json\n      - apparmor=docker-default\n      - label=type:container_t\n      - "label:level:s0:c100,c200"\n') },
      { name: 'Unconfined spelt differently is another profile name', path: 'compose.yaml', code: compose('      - seccomp=Unconfined.json\n') },
      { name: 'Kubernetes RuntimeDefault and Localhost', code: pod(`  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n    appArmorProfile:\n      type: Localhost\n      localhostProfile: k8s-nginx\n${A}`) },
      { name: 'Kubernetes procMount: Default', code: pod(`${A}      securityContext:\n        procMount: Default\n`) },
      { name: 'a container overriding the unconfined pod annotation with RuntimeDefault', code: pod(`${A}      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n`, '  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n') },
      { name: 'recommended preset: no seccomp profile is not reported', code: pod(A) },
      { name: 'strict: a pod-level RuntimeDefault covers every container', code: pod(`  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n${A}    - name: b\n      image: busybox:1\n`), config: STRICT },
      { name: 'strict: the legacy runtime/default annotation counts', code: pod(A, '  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n'), config: STRICT },
      { name: 'strict: a Kustomize-style partial object (no image)', code: pod('  containers:\n    - name: a\n'), config: STRICT },
      { name: 'strict: a Windows pod', code: pod('  os:\n    name: windows\n  containers:\n    - name: a\n      image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n'), config: STRICT },
      { name: 'checkov skip above the entry', path: 'compose.yaml', code: compose('      # checkov:skip=CKV_K8S_31\n      - seccomp:unconfined\n') },
      { name: 'kube-linter annotation for procMount', code: pod(`${A}      securityContext:\n        procMount: Unmasked\n`, '  annotations:\n    ignore-check.kube-linter.io/unsafe-proc-mount: "user namespace"\n') },
    ],

    reject: [
      {
        name: 'seccomp:unconfined (the last entry: the key goes)',
        path: 'compose.yaml',
        code: compose('      - seccomp:unconfined\n'),
        message: svc('web', 'seccomp:unconfined', SECCOMP),
        range: { start: [4, 8], end: [4, 26] },
        severity: 'error',
        fixes: ['Remove seccomp:unconfined from security_opt'],
        fixed: 'services:\n  web:\n    image: nginx:1.27\n',
      },
      {
        name: 'seccomp=unconfined next to no-new-privileges',
        path: 'compose.yaml',
        code: compose('      - no-new-privileges:true\n      - seccomp=unconfined\n'),
        message: svc('web', 'seccomp=unconfined', SECCOMP),
        range: { start: [5, 8], end: [5, 26] },
        fixed: compose('      - no-new-privileges:true\n'),
      },
      {
        name: 'apparmor both spellings, label disable (three spellings), spc_t, systempaths',
        path: 'docker-compose.yml',
        code: 'version: "2.4"\n' + compose('      - apparmor=unconfined\n      - apparmor:unconfined\n      - label=disable\n      - label:disable\n      - disable\n      - label=type:spc_t\n      - systempaths=unconfined\n'),
        findings: [
          { message: svc('web', 'apparmor=unconfined', APPARMOR), range: { start: [5, 8], end: [5, 27] } },
          { message: svc('web', 'apparmor:unconfined', APPARMOR), range: { start: [6, 8], end: [6, 27] } },
          { message: svc('web', 'label=disable', SELINUX), range: { start: [7, 8], end: [7, 21] } },
          { message: svc('web', 'label:disable', SELINUX), range: { start: [8, 8], end: [8, 21] } },
          { message: svc('web', 'disable', SELINUX), range: { start: [9, 8], end: [9, 15] } },
          { message: svc('web', 'label=type:spc_t', SPC), range: { start: [10, 8], end: [10, 24] } },
          { message: svc('web', 'systempaths=unconfined', SYSTEMPATHS), range: { start: [11, 8], end: [11, 30] }, fixes: ['Remove systempaths=unconfined from security_opt'] },
        ],
      },
      {
        name: 'flow list, quoted entry, CRLF',
        path: 'compose.yaml',
        code: 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    security_opt: [no-new-privileges, "apparmor:unconfined"]\r\n',
        message: svc('web', 'apparmor:unconfined', APPARMOR),
        range: { start: [3, 38], end: [3, 59] },
        fixed: 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    security_opt: [no-new-privileges]\r\n',
      },
      {
        name: 'legacy v1',
        path: 'docker-compose.yml',
        code: 'web:\n  image: nginx:1.27\n  security_opt:\n    - seccomp:unconfined\n',
        message: svc('web', 'seccomp:unconfined', SECCOMP),
        range: { start: [3, 6], end: [3, 24] },
        fixed: 'web:\n  image: nginx:1.27\n',
      },
      {
        name: 'a merged anchor: one finding naming both services, no fix',
        path: 'compose.yaml',
        code: 'x-sec: &sec\n  security_opt: [seccomp=unconfined]\nservices:\n  a:\n    <<: *sec\n    image: nginx:1.27\n  b:\n    <<: *sec\n    image: redis:7\n',
        message: "Services 'a', 'b' set security_opt seccomp=unconfined: " + SECCOMP,
        range: { start: [1, 17], end: [1, 35] },
        fixes: [],
      },
      {
        name: 'stack file: security_opt is ignored by docker stack deploy (info)',
        path: 'docker-stack.yml',
        code: compose('      - seccomp:unconfined\n'),
        message: "Service 'web' sets security_opt seccomp:unconfined, which is ignored by docker stack deploy (the service keeps its profiles); remove it",
        range: { start: [4, 8], end: [4, 26] },
        severity: 'info',
        fixed: 'services:\n  web:\n    image: nginx:1.27\n',
      },
      {
        name: 'Kubernetes: pod-level seccompProfile Unconfined names the object and its containers',
        code: pod(`  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: Unconfined\n${A}    - name: b\n      image: busybox:1\n`),
        message: `Pod 'p' (containers 'a', 'b') sets seccompProfile type: Unconfined: ${K_SECCOMP}`,
        range: { start: [8, 12], end: [8, 22] },
        fixes: [SET_SECCOMP],
        fixed: pod(`  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: RuntimeDefault\n${A}    - name: b\n      image: busybox:1\n`),
      },
      {
        name: 'Kubernetes: container-level Unconfined in a Deployment (the Localhost path is not left behind)',
        code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          securityContext:\n            seccompProfile: {type: Unconfined}\n',
        message: `Container 'app' sets seccompProfile type: Unconfined: ${K_SECCOMP}`,
        range: { start: [11, 35], end: [11, 45] },
        fixed: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          securityContext:\n            seccompProfile: {type: RuntimeDefault}\n',
      },
      {
        name: 'Kubernetes: the legacy seccomp pod annotation is replaced by the field',
        code: pod(A, '  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n'),
        message: `Pod 'p' (container 'a') has the seccomp annotation seccomp.security.alpha.kubernetes.io/pod: unconfined: ${K_SECCOMP}`,
        range: { start: [5, 46], end: [5, 56] },
        fixes: ["Replace the annotation with seccompProfile type: RuntimeDefault (the workload must work with the runtime's default syscall filter)"],
        fixed: pod(`${A}  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n`),
      },
      {
        name: 'Kubernetes: appArmorProfile Unconfined on an init container',
        code: pod(`  initContainers:\n    - name: init\n      image: busybox:1\n      securityContext:\n        appArmorProfile:\n          type: Unconfined\n${A}`),
        message: `Container 'init' sets appArmorProfile type: Unconfined: ${K_APPARMOR}`,
        range: { start: [10, 16], end: [10, 26] },
        fixes: [SET_APPARMOR],
        fixed: pod(`  initContainers:\n    - name: init\n      image: busybox:1\n      securityContext:\n        appArmorProfile:\n          type: RuntimeDefault\n${A}`),
      },
      {
        name: 'Kubernetes: the AppArmor annotation unconfined is removed',
        code: pod(A, '  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: unconfined\n    team: web\n'),
        message: `Container 'a' has the AppArmor annotation container.apparmor.security.beta.kubernetes.io/a: unconfined: ${K_APPARMOR}`,
        range: { start: [5, 54], end: [5, 64] },
        fixes: ["Remove the unconfined AppArmor annotation (the runtime's default profile applies)"],
        fixed: pod(A, '  annotations:\n    team: web\n'),
      },
      {
        name: 'Kubernetes: procMount: Unmasked (warning)',
        code: pod(`  hostUsers: false\n${A}      securityContext:\n        procMount: Unmasked\n        runAsNonRoot: true\n`),
        message: "Container 'a' sets procMount: Unmasked: /proc is not masked, exposing kernel settings of the node (the API accepts it only with hostUsers: false)",
        range: { start: [10, 19], end: [10, 27] },
        severity: 'warning',
        fixes: ['Remove procMount: Unmasked'],
        fixed: pod(`  hostUsers: false\n${A}      securityContext:\n        runAsNonRoot: true\n`),
      },
      {
        name: 'Kubernetes: an ephemeral container with an explicit Unconfined counts',
        code: pod(`  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n${A}  ephemeralContainers:\n    - name: dbg\n      image: busybox:1\n      securityContext:\n        seccompProfile:\n          type: Unconfined\n`),
        message: `Container 'dbg' sets seccompProfile type: Unconfined: ${K_SECCOMP}`,
        range: { start: [16, 16], end: [16, 26] },
      },
      {
        name: 'strict: a pod without a seccomp profile (info, pod-level fix, preferred)',
        code: pod(`${A}    - name: b\n      image: busybox:1\n`),
        config: STRICT,
        message: NO_SECCOMP("Pod 'p'"),
        range: { start: [6, 12], end: [6, 13] },
        severity: 'info',
        fixes: ['Set seccompProfile type: RuntimeDefault on the pod'],
        fixed: pod(`${A}    - name: b\n      image: busybox:1\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n`),
      },
      {
        name: 'strict: one container with its own RuntimeDefault, the other named',
        code: pod(`${A}    - name: b\n      image: busybox:1\n      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n`),
        config: STRICT,
        message: "Container 'a' of Pod 'p' sets no seccomp profile: it runs unconfined unless the kubelet turns on SeccompDefault; set seccompProfile type: RuntimeDefault on the pod",
        range: { start: [6, 12], end: [6, 13] },
        fixed: pod(`${A}    - name: b\n      image: busybox:1\n      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n`),
      },
      {
        name: 'strict: merged into an existing pod securityContext of a CronJob',
        code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          securityContext:\n            runAsNonRoot: true\n          containers:\n            - name: job\n              image: busybox:1\n',
        config: STRICT,
        message: NO_SECCOMP("CronJob 'nightly'"),
        range: { start: [13, 20], end: [13, 23] },
        fixed: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          securityContext:\n            runAsNonRoot: true\n            seccompProfile:\n              type: RuntimeDefault\n          containers:\n            - name: job\n              image: busybox:1\n',
      },
    ],
  },
  { path: 'deploy.yaml' },
);
