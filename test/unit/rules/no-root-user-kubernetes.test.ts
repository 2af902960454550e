import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig } from '../../../server/src/core/config';
import { applyEdits, chooseFixes } from '../../../server/src/core/engine';
import { engine } from '../../../server/src/rules';
import { testRule } from '../../helpers/testRule';

/** no-root-user on Kubernetes manifests: exact messages, ranges and fixed text. */

const POD_FIX = 'Run the pod as non-root: runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 (the image must work as uid 10001)';
const REPLACE = 'Set runAsUser: 10001 instead of 0 (the image must work as uid 10001)';
const missing = (c: string) => `Container '${c}' may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set (the image's USER is unknown offline)`;
const explicit = (c: string) => `Container '${c}' runs as root (runAsUser: 0)`;
const podRoot = (c: string) => `Container '${c}' runs as root: the pod's securityContext sets runAsUser: 0`;
const nonRootFalse = (c: string) => `Container '${c}' may run as root: runAsNonRoot is false and no runAsUser is set`;

/** A Deployment whose pod spec (at 6 spaces) is `spec`. */
const deploy = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n${spec}`;
/** A Pod whose spec (at 2 spaces) is `spec`. */
const pod = (spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;

const APP = '      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.27\n';
const POD_SC = '      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n';

testRule(
  'no-root-user',
  {
    accept: [
      { name: 'pod-level runAsNonRoot and runAsUser', code: deploy(`      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n${APP}`) },
      { name: 'container-level runAsUser', code: deploy(`${APP}          securityContext:\n            runAsUser: 1000\n`) },
      { name: 'runAsNonRoot: true alone is a guard', code: deploy(`${APP}          securityContext:\n            runAsNonRoot: true\n`) },
      { name: 'pod runAsUser inherited by every container', code: pod('  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n    - name: b\n      image: ghcr.io/acme/web:1\n') },
      { name: 'Windows pod', code: pod('  os:\n    name: windows\n  containers:\n    - name: a\n      image: mcr.microsoft.com/windows/servercore:ltsc2022\n      securityContext:\n        runAsUser: 0\n') },
      { name: 'objects without containers', code: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n' },
      { name: 'a container without image: (partial)', code: pod('  containers:\n    - name: a\n') },
      { name: 'ephemeral container without settings', code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n  ephemeralContainers:\n    - name: dbg\n      image: busybox:1\n') },
      { name: 'bulkhead.dev/ignore on the object', code: pod('  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n', '  annotations:\n    bulkhead.dev/ignore: "no-root-user"\n') },
      { name: 'kube-linter annotation', code: pod('  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n', '  annotations:\n    ignore-check.kube-linter.io/run-as-non-root: "ok"\n') },
      { name: 'bulkhead-ignore above the container', code: pod('  containers:\n    # bulkhead-ignore no-root-user\n    - name: a\n      image: ghcr.io/acme/web:1\n') },
      { name: 'checkov skip comment', code: pod('  containers:\n    # checkov:skip=CKV_K8S_23\n    - name: a\n      image: ghcr.io/acme/web:1\n') },
      { name: "rule set to 'off'", code: deploy(APP), config: { rules: { 'no-root-user': 'off' } } },
    ],

    reject: [
      {
        name: 'no securityContext: a pod-level one is created',
        code: deploy(APP),
        message: missing('app'),
        range: { start: [9, 16], end: [9, 19] },
        severity: 'warning',
        fixes: [POD_FIX],
        fixed: deploy(APP + POD_SC),
      },
      {
        name: 'merged into an existing block securityContext',
        code: deploy(`      securityContext:\n        fsGroup: 2000 # shared volume\n${APP}`),
        message: missing('app'),
        range: { start: [11, 16], end: [11, 19] },
        fixed: deploy(`      securityContext:\n        fsGroup: 2000 # shared volume\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n${APP}`),
      },
      {
        name: 'merged into an existing flow securityContext',
        code: deploy(`      securityContext: {fsGroup: 2000}\n${APP}`),
        message: missing('app'),
        range: { start: [10, 16], end: [10, 19] },
        fixed: deploy(`      securityContext: {fsGroup: 2000, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001}\n${APP}`),
      },
      {
        name: 'securityContext: {}',
        code: deploy(`      securityContext: {}\n${APP}`),
        message: missing('app'),
        range: { start: [10, 16], end: [10, 19] },
        fixed: deploy(`      securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001}\n${APP}`),
      },
      {
        name: 'securityContext: with no value',
        code: deploy(`      securityContext:\n${APP}`),
        message: missing('app'),
        range: { start: [10, 16], end: [10, 19] },
        fixed: deploy(`${POD_SC}${APP}`),
      },
      {
        name: 'securityContext: null # comment',
        code: deploy(`      securityContext: null # later\n${APP}`),
        message: missing('app'),
        range: { start: [10, 16], end: [10, 19] },
        fixed: deploy(`      securityContext: # later\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n${APP}`),
      },
      {
        name: 'an existing runAsGroup is kept',
        code: deploy(`      securityContext:\n        runAsGroup: 5\n${APP}`),
        message: missing('app'),
        range: { start: [11, 16], end: [11, 19] },
        fixed: deploy(`      securityContext:\n        runAsGroup: 5\n        runAsNonRoot: true\n        runAsUser: 10001\n${APP}`),
      },
      {
        name: 'volumes mounted: fsGroup and fsGroupChangePolicy: OnRootMismatch',
        code: deploy(`${APP}          volumeMounts:\n            - name: data\n              mountPath: /data\n      volumes:\n        - name: data\n          emptyDir: {}\n`),
        message: missing('app'),
        range: { start: [9, 16], end: [9, 19] },
        fixed: deploy(
          `${APP}          volumeMounts:\n            - name: data\n              mountPath: /data\n      volumes:\n        - name: data\n          emptyDir: {}\n${POD_SC}        fsGroup: 10001\n        fsGroupChangePolicy: OnRootMismatch\n`,
        ),
      },
      {
        name: 'volumes declared but not mounted: no fsGroup',
        code: deploy(`${APP}      volumes:\n        - name: data\n          emptyDir: {}\n`),
        message: missing('app'),
        range: { start: [9, 16], end: [9, 19] },
        fixed: deploy(`${APP}      volumes:\n        - name: data\n          emptyDir: {}\n${POD_SC}`),
      },
      {
        name: 'explicit container runAsUser: 0 is replaced',
        code: deploy(`${APP}          securityContext:\n            runAsUser: 0 # debug\n`),
        message: explicit('app'),
        range: { start: [12, 23], end: [12, 24] },
        fixes: [REPLACE],
        fixed: deploy(`${APP}          securityContext:\n            runAsUser: 10001 # debug\n`),
      },
      {
        name: 'explicit runAsUser: 0 in a flow securityContext, with runAsNonRoot: false',
        code: pod('  containers:\n  - name: app\n    image: ghcr.io/acme/web:1.27\n    securityContext: {runAsUser: 0, runAsNonRoot: false}\n'),
        message: explicit('app'),
        range: { start: [8, 33], end: [8, 34] },
        fixed: pod('  containers:\n  - name: app\n    image: ghcr.io/acme/web:1.27\n    securityContext: {runAsUser: 10001, runAsNonRoot: true}\n'),
      },
      {
        name: 'runAsUser: 0 despite runAsNonRoot: true',
        code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n      securityContext:\n        runAsUser: 0\n'),
        message: explicit('a'),
        range: { start: [11, 19], end: [11, 20] },
        fixes: [REPLACE],
        fixed: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n      securityContext:\n        runAsUser: 10001\n'),
      },
      {
        name: 'container runAsNonRoot: false is replaced, and the pod gets a user',
        code: deploy(`${APP}          securityContext:\n            runAsNonRoot: false\n`),
        message: nonRootFalse('app'),
        range: { start: [12, 26], end: [12, 31] },
        fixes: [POD_FIX],
        fixed: deploy(`${APP}          securityContext:\n            runAsNonRoot: true\n${POD_SC}`),
      },
      {
        name: 'pod runAsNonRoot: false in flow style is replaced',
        code: pod('  securityContext: {runAsNonRoot: false}\n  containers:\n  - name: app\n    image: ghcr.io/acme/web:1.27\n'),
        message: nonRootFalse('app'),
        range: { start: [5, 34], end: [5, 39] },
        fixed: pod('  securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001}\n  containers:\n  - name: app\n    image: ghcr.io/acme/web:1.27\n'),
      },
      {
        name: 'pod-level runAsUser: 0 inherited: reported on the container, replaced in the pod',
        code: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n'),
        message: podRoot('a'),
        range: { start: [8, 12], end: [8, 13] },
        fixes: [REPLACE],
        fixed: pod('  securityContext:\n    runAsUser: 10001\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n'),
      },
      {
        name: 'two containers get the same pod-level fix',
        code: deploy(`${APP}        - name: sidecar\n          image: busybox:1.36\n`),
        findings: [
          { message: missing('app'), range: { start: [9, 16], end: [9, 19] }, fixes: [POD_FIX], fixed: deploy(`${APP}        - name: sidecar\n          image: busybox:1.36\n${POD_SC}`) },
          { message: missing('sidecar'), range: { start: [11, 16], end: [11, 23] }, fixes: [POD_FIX], fixed: deploy(`${APP}        - name: sidecar\n          image: busybox:1.36\n${POD_SC}`) },
        ],
      },
      {
        name: 'initContainers count',
        code: pod('  initContainers:\n    - name: init\n      image: busybox:1\n  containers:\n    - name: app\n      image: ghcr.io/acme/web:1\n      securityContext:\n        runAsUser: 1000\n'),
        message: missing('init'),
        range: { start: [6, 12], end: [6, 16] },
        fixed: pod('  initContainers:\n    - name: init\n      image: busybox:1\n  containers:\n    - name: app\n      image: ghcr.io/acme/web:1\n      securityContext:\n        runAsUser: 1000\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n'),
      },
      {
        name: 'ephemeral container with explicit runAsUser: 0',
        code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n  ephemeralContainers:\n    - name: dbg\n      image: busybox:1\n      securityContext:\n        runAsUser: 0\n'),
        message: explicit('dbg'),
        range: { start: [14, 19], end: [14, 20] },
        fixed: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n  ephemeralContainers:\n    - name: dbg\n      image: busybox:1\n      securityContext:\n        runAsUser: 10001\n'),
      },
      {
        name: 'CronJob',
        path: 'cronjob.yaml',
        code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: job\n            image: busybox:1\n',
        message: missing('job'),
        range: { start: [12, 18], end: [12, 21] },
        fixed:
          'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: job\n            image: busybox:1\n          securityContext:\n            runAsNonRoot: true\n            runAsUser: 10001\n            runAsGroup: 10001\n',
      },
      {
        name: 'a List item',
        code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.27\n',
        message: missing('app'),
        range: { start: [9, 16], end: [9, 19] },
        fixed: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.27\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n',
      },
      {
        name: 'a custom resource with spec.template.spec.containers (Argo Rollout)',
        code: 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/acme/web:1.27\n',
        message: missing('app'),
        range: { start: [8, 14], end: [8, 17] },
        fixed: 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/acme/web:1.27\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n',
      },
      {
        name: 'the second document of a multi-document file',
        code: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${pod('  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n')}`,
        message: missing('a'),
        range: { start: [11, 12], end: [11, 13] },
        fixed: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${pod('  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001\n')}`,
      },
      {
        name: 'flow-style pod spec',
        code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: "ghcr.io/acme/web:1"}]}\n',
        message: missing('a'),
        range: { start: [3, 27], end: [3, 28] },
        fixed: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: "ghcr.io/acme/web:1"}], securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001}}\n',
      },
      {
        name: '4-space indentation, sequences at the key column',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\nspec:\n    containers:\n    -   name: app\n        image: ghcr.io/acme/web:1.27\n',
        message: missing('app'),
        range: { start: [6, 14], end: [6, 17] },
        fixed: 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\nspec:\n    containers:\n    -   name: app\n        image: ghcr.io/acme/web:1.27\n    securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n',
      },
      {
        name: 'CRLF and comments',
        code: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: app # main\r\n    image: ghcr.io/acme/web:1.27\r\n  # end of containers\r\n',
        message: missing('app'),
        range: { start: [6, 10], end: [6, 13] },
        fixed: 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: app # main\r\n    image: ghcr.io/acme/web:1.27\r\n  securityContext:\r\n    runAsNonRoot: true\r\n    runAsUser: 10001\r\n    runAsGroup: 10001\r\n  # end of containers\r\n',
      },
      {
        name: 'defaultUser: "2000:3000"',
        code: deploy(APP),
        config: { defaultUser: '2000:3000' },
        message: missing('app'),
        range: { start: [9, 16], end: [9, 19] },
        fixes: ['Run the pod as non-root: runAsNonRoot: true, runAsUser: 2000, runAsGroup: 3000 (the image must work as uid 2000)'],
        fixed: deploy(`${APP}      securityContext:\n        runAsNonRoot: true\n        runAsUser: 2000\n        runAsGroup: 3000\n`),
      },
      {
        name: 'defaultUser: "2000:3000" replacing runAsUser: 0',
        code: deploy(`${APP}          securityContext:\n            runAsUser: 0\n`),
        config: { defaultUser: '2000:3000' },
        message: explicit('app'),
        range: { start: [12, 23], end: [12, 24] },
        fixes: ['Set runAsUser: 2000 instead of 0 (the image must work as uid 2000)'],
        fixed: deploy(`${APP}          securityContext:\n            runAsUser: 2000\n`),
      },
      {
        name: 'an annotation for another rule does not suppress',
        code: pod('  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n', '  annotations:\n    bulkhead.dev/ignore: "no-privileged"\n'),
        message: missing('a'),
        range: { start: [8, 12], end: [8, 13] },
      },
      {
        name: 'a JSON manifest stays JSON',
        path: 'pod.json',
        code: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": {\n    "containers": [\n      {"name": "a", "image": "ghcr.io/acme/web:1"}\n    ]\n  }\n}\n',
        message: missing('a'),
        range: { start: [6, 15], end: [6, 18] },
        fixed:
          '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": {\n    "containers": [\n      {"name": "a", "image": "ghcr.io/acme/web:1"}\n    ], "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001}\n  }\n}\n',
      },
    ],
  },
  { path: 'deploy.yaml' },
);

test('no-root-user: two containers, one pod-level fix: fix-all applies it once', () => {
  const code = deploy(`${APP}        - name: sidecar\n          image: busybox:1.36\n`);
  const only = mergeConfig({ rules: Object.fromEntries(engine.rules.filter((r) => r.meta.id !== 'no-root-user').map((r) => [r.meta.id, 'off' as const])) });
  const r = engine.analyze({ text: code, path: 'deploy.yaml' }, only);
  const findings = r.findings.filter((f) => f.rule === 'no-root-user');
  assert.equal(findings.length, 2);
  assert.deepEqual(findings[0].fixes[0].edits, findings[1].fixes[0].edits, 'the same edit for both containers');
  // Kubernetes fixes carry a caveat (the image's needs are unknown), so they are not
  // preferred and the engine's fix-all skips them; as if the user opted in, fix-all's
  // choice must still take the shared edit once.
  assert.deepEqual(
    findings.map((f) => f.fixes[0].preferred),
    [false, false],
  );
  const chosen = chooseFixes(findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x, preferred: true })) })));
  assert.equal(chosen.length, 1);
  const out = applyEdits(r.text, chosen.flatMap((f) => f.edits));
  assert.equal(out, deploy(`${APP}        - name: sidecar\n          image: busybox:1.36\n${POD_SC}`));
  assert.deepEqual(
    engine.analyze({ text: out, path: 'deploy.yaml' }, only).findings.filter((f) => f.rule === 'no-root-user'),
    [],
  );
  assert.equal(engine.fixAll({ text: code, path: 'deploy.yaml' }, only).text, code, 'not preferred: fix-all leaves it to the user');
});
