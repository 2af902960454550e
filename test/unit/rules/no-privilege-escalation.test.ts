import { testRule } from '../../helpers/testRule';

/** no-privilege-escalation on Compose (v3, v2, v1, stack) and Kubernetes: exact messages, ranges and fixed text. */

const missing = (svc: string) => `Service '${svc}' does not set no-new-privileges: a setuid binary in it can gain privileges (no-new-privileges in security_opt blocks that)`;
const off = (svc: string, raw: string) => `Service '${svc}' turns no-new-privileges off (security_opt: ${raw}): a setuid binary in it can gain privileges`;
const invalid = (svc: string, raw: string) => `Service '${svc}' sets no-new-privileges to a value that is not a boolean (security_opt: ${raw}): Docker refuses to start the container`;
const kMissing = (c: string) => `Container '${c}' does not set allowPrivilegeEscalation: false: a setuid binary in it can gain privileges`;
const kExplicit = (c: string, raw: string) => `Container '${c}' allows privilege escalation (allowPrivilegeEscalation: ${raw}): a setuid binary in it can gain privileges`;
const why = '(blocks setuid binaries; images that use sudo or su at run time need it off)';
const cFix = (entry: string) => `Set ${entry} in security_opt ${why}`;
const K_FIX = `Set allowPrivilegeEscalation: false ${why}`;
const pod = (container: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${extra}  containers:\n    - name: app\n      image: app:1\n${container}`;

testRule('no-privilege-escalation', {
  accept: [
    { name: 'Compose: bare no-new-privileges', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges\n' },
    { name: 'Compose: no-new-privileges:true', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt: ["no-new-privileges:true"]\n' },
    { name: 'Compose: no-new-privileges=1 (Go ParseBool)', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - label=type:container_t\n      - no-new-privileges=1\n' },
    { name: 'Compose: merged from an anchor', path: 'compose.yaml', code: 'x-sec: &sec\n  security_opt: [no-new-privileges:true]\nservices:\n  web:\n    <<: *sec\n    image: nginx:1.27\n' },
    { name: 'stack file: security_opt is ignored there, no finding', path: 'docker-stack.yml', code: 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n' },
    { name: 'stack file: even an explicit false', path: 'app.stack.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt: [no-new-privileges=false]\n' },
    { name: 'Kubernetes: allowPrivilegeEscalation: false', path: 'pod.yaml', code: pod('      securityContext:\n        allowPrivilegeEscalation: false\n') },
    { name: 'Kubernetes: privileged (the API refuses false there; no-privileged reports it)', path: 'pod.yaml', code: pod('      securityContext:\n        privileged: true\n') },
    { name: 'Kubernetes: CAP_SYS_ADMIN spelled exactly so', path: 'pod.yaml', code: pod('      securityContext:\n        capabilities:\n          add: [CAP_SYS_ADMIN]\n') },
    { name: 'Kubernetes: Windows pod', path: 'pod.yaml', code: pod('', '  os:\n    name: windows\n') },
    { name: 'Kubernetes: ephemeral container without the setting (missing settings do not apply)', path: 'pod.yaml', code: pod('      securityContext:\n        allowPrivilegeEscalation: false\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n') },
    { name: 'Kubernetes: checkov skip', path: 'pod.yaml', code: pod('      securityContext:\n        # checkov:skip=CKV_K8S_20\n        allowPrivilegeEscalation: true\n') },
  ],
  reject: [
    {
      name: 'Compose v3: no security_opt',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n',
      message: missing('web'),
      range: { start: [1, 2], end: [1, 5] },
      severity: 'warning',
      fixes: [cFix('no-new-privileges=true')],
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges=true\n',
    },
    {
      name: "Compose: appended in the list's own style (`:` entries, flow)",
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt: ["apparmor:docker-default"]\n',
      message: missing('web'),
      range: { start: [3, 4], end: [3, 16] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    security_opt: ["apparmor:docker-default", no-new-privileges:true]\n',
    },
    {
      name: 'Compose: =false is a finding, its entry is replaced',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges=false\n      - seccomp=./profile.json\n',
      message: off('web', 'no-new-privileges=false'),
      range: { start: [4, 8], end: [4, 31] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges=true\n      - seccomp=./profile.json\n',
    },
    {
      name: 'Compose: :false (deprecated separator) keeps its separator',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt: ["no-new-privileges:false"]\n',
      message: off('web', 'no-new-privileges:false'),
      range: { start: [3, 19], end: [3, 44] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    security_opt: ["no-new-privileges:true"]\n',
    },
    {
      name: 'Compose: a value that is not a boolean',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges=yes\n',
      message: invalid('web', 'no-new-privileges=yes'),
      range: { start: [4, 8], end: [4, 29] },
      fixed: 'services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges=true\n',
    },
    {
      name: 'Compose v2',
      path: 'docker-compose.yml',
      code: 'version: "2.4"\nservices:\n  db:\n    image: postgres:16\n    read_only: true\n',
      message: missing('db'),
      range: { start: [2, 2], end: [2, 4] },
      fixed: 'version: "2.4"\nservices:\n  db:\n    image: postgres:16\n    read_only: true\n    security_opt:\n      - no-new-privileges=true\n',
    },
    {
      name: 'Compose legacy v1 (security_opt exists in v1)',
      path: 'docker-compose.yml',
      code: 'db:\n  image: postgres:16\n',
      message: missing('db'),
      range: { start: [0, 0], end: [0, 2] },
      fixed: 'db:\n  image: postgres:16\n  security_opt:\n    - no-new-privileges=true\n',
    },
    {
      name: 'Compose: a security_opt merged from an anchor is never edited',
      path: 'compose.yaml',
      code: 'x-sec: &sec\n  security_opt: [label=type:container_t]\nservices:\n  web:\n    <<: *sec\n    image: nginx:1.27\n',
      message: missing('web'),
      range: { start: [3, 2], end: [3, 5] },
      fixes: [],
    },
    {
      name: 'Compose: CRLF, flow service',
      path: 'compose.yaml',
      code: 'services:\r\n  web: {image: "nginx:1.27"}\r\n',
      message: missing('web'),
      range: { start: [1, 2], end: [1, 5] },
      fixed: 'services:\r\n  web: {image: "nginx:1.27", security_opt: [no-new-privileges=true]}\r\n',
    },
    {
      name: 'Kubernetes Pod: merged into an existing securityContext',
      path: 'pod.yaml',
      code: pod('      securityContext:\n        runAsNonRoot: true\n'),
      message: kMissing('app'),
      range: { start: [6, 12], end: [6, 15] },
      fixes: [K_FIX],
      fixed: pod('      securityContext:\n        runAsNonRoot: true\n        allowPrivilegeEscalation: false\n'),
    },
    {
      name: 'Kubernetes: no securityContext',
      path: 'pod.yaml',
      code: pod(''),
      message: kMissing('app'),
      range: { start: [6, 12], end: [6, 15] },
      fixed: pod('      securityContext:\n        allowPrivilegeEscalation: false\n'),
    },
    {
      name: 'Kubernetes: explicit true is replaced',
      path: 'pod.yaml',
      code: pod('      securityContext: {allowPrivilegeEscalation: true}\n'),
      message: kExplicit('app', 'true'),
      range: { start: [8, 24], end: [8, 54] },
      fixed: pod('      securityContext: {allowPrivilegeEscalation: false}\n'),
    },
    {
      name: 'Kubernetes: SYS_ADMIN (without CAP_) does not block the fix',
      path: 'pod.yaml',
      code: pod('      securityContext:\n        capabilities:\n          add: [SYS_ADMIN]\n'),
      message: kMissing('app'),
      range: { start: [6, 12], end: [6, 15] },
      fixed: pod('      securityContext:\n        capabilities:\n          add: [SYS_ADMIN]\n        allowPrivilegeEscalation: false\n'),
    },
    {
      name: 'Kubernetes: Deployment init container',
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: app\n          image: app:1\n          securityContext:\n            allowPrivilegeEscalation: false\n',
      message: kMissing('init'),
      range: { start: [8, 16], end: [8, 20] },
      fixed: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n          securityContext:\n            allowPrivilegeEscalation: false\n      containers:\n        - name: app\n          image: app:1\n          securityContext:\n            allowPrivilegeEscalation: false\n',
    },
    {
      name: 'Kubernetes: ephemeral container with an explicit true counts',
      path: 'pod.yaml',
      code: pod('      securityContext:\n        allowPrivilegeEscalation: false\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n      securityContext:\n        allowPrivilegeEscalation: true\n'),
      message: kExplicit('debug', 'true'),
      range: { start: [14, 8], end: [14, 38] },
      fixed: pod('      securityContext:\n        allowPrivilegeEscalation: false\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n      securityContext:\n        allowPrivilegeEscalation: false\n'),
    },
    {
      name: 'Kubernetes: CronJob in a List',
      path: 'list.yaml',
      code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: batch/v1\n    kind: CronJob\n    metadata:\n      name: c\n    spec:\n      schedule: "@daily"\n      jobTemplate:\n        spec:\n          template:\n            spec:\n              containers:\n                - name: job\n                  image: job:1\n',
      message: kMissing('job'),
      range: { start: [14, 24], end: [14, 27] },
      fixed: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: batch/v1\n    kind: CronJob\n    metadata:\n      name: c\n    spec:\n      schedule: "@daily"\n      jobTemplate:\n        spec:\n          template:\n            spec:\n              containers:\n                - name: job\n                  image: job:1\n                  securityContext:\n                    allowPrivilegeEscalation: false\n',
    },
  ],
});
