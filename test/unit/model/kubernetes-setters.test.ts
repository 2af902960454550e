/**
 * The Kubernetes facts' setters: the exact text after `plan.build()` is applied, re-parsed
 * strictly (duplicate keys are errors), and idempotent (the model built from the result
 * holds the value, and the same setter then changes nothing). Refusals: an anchor or alias
 * others share, "missing" fixes on ephemeral containers, Linux-only settings in Windows
 * pods, API validation (allowPrivilegeEscalation: false next to privileged / CAP_SYS_ADMIN).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { mergeConfig } from '../../../server/src/core/config';
import { applyEdits } from '../../../server/src/core/engine';
import type { ContainerSpec } from '../../../server/src/core/model/container';
import type { Plan } from '../../../server/src/core/model/facts';
import { buildKubernetesModel, type KubernetesModel } from '../../../server/src/core/model/fromKubernetes';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';
import { engine } from '../../../server/src/rules';

function model(text: string): KubernetesModel {
  return buildKubernetesModel({ text, index: new TextIndex(text) }, parseYamlFile(text, new YamlDocCache()));
}

function container(text: string, name: string): ContainerSpec {
  const c = model(text).containers.find((x) => x.name === name);
  assert.ok(c, `container ${name}`);
  return c;
}

const indent = (s: string, n: number) =>
  s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

const pod = (spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta ? indent(meta, 2) : ''}spec:\n${indent(spec, 2)}`;
const app = (lines = '') => `containers:\n  - name: app\n    image: nginx:1.27\n${indent(lines, 4)}`;

function strictParse(text: string) {
  for (const d of parseAllDocuments(text, { uniqueKeys: true })) assert.deepEqual(d.errors.map((e) => e.message), [], `strict parse of:\n${text}`);
}

interface Row {
  name: string;
  code: string;
  container?: string;
  act: (c: ContainerSpec) => Plan | null | undefined;
  /** The text after the edit; null: no plan. */
  fixed: string | null;
  /** The fact in the fixed document, for idempotence: its value after the edit. */
  holds?: [get: (c: ContainerSpec) => unknown, value: unknown];
}

function table(rows: Row[]) {
  for (const r of rows) {
    test(r.name, () => {
      const name = r.container ?? 'app';
      const p = r.act(container(r.code, name));
      if (r.fixed === null) {
        assert.equal(p, null);
        return;
      }
      assert.ok(p, 'a plan');
      const change = p.build();
      assert.ok(change, 'the plan builds');
      const out = applyEdits(r.code, change.edits);
      assert.equal(out, r.fixed);
      strictParse(out);
      if (r.holds) {
        const [get, value] = r.holds;
        const again = container(out, name);
        assert.deepEqual(get(again), value, 'the model of the result holds the value');
        const second = r.act(again)?.build();
        assert.deepEqual(second?.edits ?? [], [], 'a second run changes nothing');
      }
    });
  }
}

describe('Kubernetes setters: container booleans', () => {
  const priv = (c: ContainerSpec) => c.security.privileged.value;
  const nnp = (c: ContainerSpec) => c.security.noNewPrivileges.value;
  const rorf = (c: ContainerSpec) => c.security.readOnlyRootFilesystem.value;
  table([
    {
      name: 'privileged: true -> false, comment kept',
      code: pod(app('securityContext:\n  privileged: true # debug\n')),
      act: (c) => c.security.privileged.set(false),
      fixed: pod(app('securityContext:\n  privileged: false # debug\n')),
      holds: [priv, false],
    },
    {
      name: 'privileged removed: the emptied securityContext goes too',
      code: pod(app('securityContext:\n  privileged: true\nports:\n  - containerPort: 80\n')),
      act: (c) => c.security.privileged.remove(),
      fixed: pod(app('ports:\n  - containerPort: 80\n')),
    },
    {
      name: 'privileged removed from a flow securityContext with other keys',
      code: pod(app('securityContext: {privileged: true, runAsUser: 1000}\n')),
      act: (c) => c.security.privileged.remove(),
      fixed: pod(app('securityContext: {runAsUser: 1000}\n')),
    },
    {
      name: 'noNewPrivileges: a new securityContext on the container',
      code: pod(app()),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: pod(app('securityContext:\n  allowPrivilegeEscalation: false\n')),
      holds: [nnp, true],
    },
    {
      name: 'noNewPrivileges: merged into an existing block securityContext',
      code: pod(app('securityContext:\n  runAsUser: 1000 # app user\nports:\n  - containerPort: 80\n')),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: pod(app('securityContext:\n  runAsUser: 1000 # app user\n  allowPrivilegeEscalation: false\nports:\n  - containerPort: 80\n')),
      holds: [nnp, true],
    },
    {
      name: 'noNewPrivileges: merged into a flow securityContext',
      code: pod(app('securityContext: {runAsUser: 1000}\n')),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: pod(app('securityContext: {runAsUser: 1000, allowPrivilegeEscalation: false}\n')),
      holds: [nnp, true],
    },
    {
      name: 'noNewPrivileges: allowPrivilegeEscalation: true replaced',
      code: pod(app('securityContext:\n  allowPrivilegeEscalation: true\n')),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: pod(app('securityContext:\n  allowPrivilegeEscalation: false\n')),
      holds: [nnp, true],
    },
    {
      name: 'noNewPrivileges: the pod-level securityContext is not touched',
      code: pod(`securityContext:\n  runAsNonRoot: true\n${app()}`),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: pod(`securityContext:\n  runAsNonRoot: true\n${app('securityContext:\n  allowPrivilegeEscalation: false\n')}`),
      holds: [nnp, true],
    },
    { name: 'noNewPrivileges: refused next to privileged: true (API validation)', code: pod(app('securityContext:\n  privileged: true\n')), act: (c) => c.security.noNewPrivileges.set(true), fixed: null },
    {
      name: 'noNewPrivileges: refused next to an added CAP_SYS_ADMIN (API validation)',
      code: pod(app('securityContext:\n  capabilities: {add: [CAP_SYS_ADMIN]}\n')),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: null,
    },
    {
      name: 'noNewPrivileges: SYS_ADMIN (without CAP_) is accepted by the API',
      code: pod(app('securityContext:\n  capabilities: {add: [SYS_ADMIN]}\n')),
      act: (c) => c.security.noNewPrivileges.set(true),
      fixed: pod(app('securityContext:\n  capabilities: {add: [SYS_ADMIN]}\n  allowPrivilegeEscalation: false\n')),
      holds: [nnp, true],
    },
    {
      name: 'readOnlyRootFilesystem: securityContext: with no value is filled',
      code: pod(app('securityContext: # hardening\n')),
      act: (c) => c.security.readOnlyRootFilesystem.set(true),
      fixed: pod(app('securityContext: # hardening\n  readOnlyRootFilesystem: true\n')),
      holds: [rorf, true],
    },
    {
      name: 'readOnlyRootFilesystem: a pod-level key of that name is left alone',
      code: pod(`securityContext:\n  readOnlyRootFilesystem: true\n${app()}`),
      act: (c) => c.security.readOnlyRootFilesystem.set(true),
      fixed: pod(`securityContext:\n  readOnlyRootFilesystem: true\n${app('securityContext:\n  readOnlyRootFilesystem: true\n')}`),
      holds: [rorf, true],
    },
    {
      name: 'a merged scalar is overridden on the container’s own securityContext',
      code: `x-base: &base {readOnlyRootFilesystem: false}\n---\n${pod(app('securityContext:\n  <<: {readOnlyRootFilesystem: false}\n'))}`,
      act: (c) => c.security.readOnlyRootFilesystem.set(true),
      fixed: `x-base: &base {readOnlyRootFilesystem: false}\n---\n${pod(app('securityContext:\n  <<: {readOnlyRootFilesystem: false}\n  readOnlyRootFilesystem: true\n'))}`,
      holds: [rorf, true],
    },
    {
      name: 'a JSON manifest stays JSON',
      code: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": {"containers": [{"name": "app", "image": "nginx:1", "securityContext": {"privileged": true}}]}\n}\n',
      act: (c) => c.security.privileged.set(false),
      fixed: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": {"containers": [{"name": "app", "image": "nginx:1", "securityContext": {"privileged": false}}]}\n}\n',
      holds: [priv, false],
    },
  ]);
});

describe('Kubernetes setters: never through an anchor others share', () => {
  const shared = pod('containers:\n  - name: a\n    image: nginx:1\n    securityContext: &sc\n      runAsUser: 0\n      privileged: true\n  - name: b\n    image: nginx:1\n    securityContext: *sc\n');
  table([
    { name: 'the anchor holder: no edit (b would change too)', code: shared, container: 'a', act: (c) => c.security.privileged.set(false), fixed: null },
    { name: 'the alias user: no edit', code: shared, container: 'b', act: (c) => c.security.privileged.set(false), fixed: null },
    { name: 'remove through the alias: no edit', code: shared, container: 'b', act: (c) => c.security.privileged.remove(), fixed: null },
    { name: 'add a capability under the shared securityContext: no edit', code: shared, container: 'a', act: (c) => c.security.capDrop.add('ALL'), fixed: null },
    {
      name: 'a whole container reused with an alias: no edit on either',
      code: pod('containers:\n  - &c\n    name: app\n    image: nginx:1\n  - *c\n'),
      act: (c) => c.security.readOnlyRootFilesystem.set(true),
      fixed: null,
    },
    {
      name: 'an anchor nobody uses is the container’s own',
      code: pod(app('securityContext: &sc\n  privileged: true\n')),
      act: (c) => c.security.privileged.set(false),
      fixed: pod(app('securityContext: &sc\n  privileged: false\n')),
      holds: [(c) => c.security.privileged.value, false],
    },
  ]);

  test('runAsUser: two containers sharing securityContext: *sc get no fix (issue 11, item 9)', () => {
    assert.equal(container(shared, 'a').setters.runAsUser('10001:10001'), null);
    assert.equal(container(shared, 'b').setters.runAsUser('10001:10001'), null);
    const only = mergeConfig({ rules: Object.fromEntries(engine.rules.filter((r) => r.meta.id !== 'no-root-user').map((r) => [r.meta.id, 'off' as const])) });
    const r = engine.analyze({ text: shared, path: 'pod.yaml' }, only);
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.fixes.filter((x) => x.edits.length).length]),
      [
        ['no-root-user', 0],
        ['no-root-user', 0],
      ],
      'found on both containers, no fix that edits the shared anchor',
    );
  });

  test('runAsUser: a securityContext merged from an anchor gets runAsUser on the container itself', () => {
    const code = pod('containers:\n  - name: a\n    image: nginx:1\n    securityContext: &sc\n      runAsUser: 0\n  - name: b\n    image: nginx:1\n    securityContext:\n      <<: *sc\n');
    const set = container(code, 'b').setters.runAsUser('10001:10001');
    assert.ok(set);
    const out = applyEdits(code, set.edits!);
    assert.equal(out, pod('containers:\n  - name: a\n    image: nginx:1\n    securityContext: &sc\n      runAsUser: 0\n  - name: b\n    image: nginx:1\n    securityContext:\n      <<: *sc\n      runAsUser: 10001\n'));
    strictParse(out);
    assert.equal(set.title, 'Set runAsUser: 10001 instead of 0 (the image must work as uid 10001)');
    assert.equal(container(out, 'b').user.state, 'nonroot');
    assert.equal(container(out, 'a').user.state, 'root', 'the anchor is not edited');
  });
});

describe('Kubernetes setters: capabilities', () => {
  const drop = (c: ContainerSpec) => c.security.capDrop.items.map((i) => i.value);
  table([
    {
      name: 'drop ALL: capabilities created',
      code: pod(app()),
      act: (c) => c.security.capDrop.add('ALL'),
      fixed: pod(app('securityContext:\n  capabilities:\n    drop:\n      - ALL\n')),
      holds: [drop, ['ALL']],
    },
    {
      name: 'drop ALL appended to a flow list, add kept',
      code: pod(app('securityContext:\n  capabilities:\n    add: [NET_BIND_SERVICE]\n    drop: [NET_RAW]\n')),
      act: (c) => c.security.capDrop.add('ALL'),
      fixed: pod(app('securityContext:\n  capabilities:\n    add: [NET_BIND_SERVICE]\n    drop: [NET_RAW, ALL]\n')),
      holds: [drop, ['NET_RAW', 'ALL']],
    },
    {
      name: 'drop: [all] does not drop ALL (exact compare): ALL added',
      code: pod(app('securityContext:\n  capabilities:\n    drop:\n      - all\n')),
      act: (c) => c.security.capDrop.add('ALL'),
      fixed: pod(app('securityContext:\n  capabilities:\n    drop:\n      - all\n      - ALL\n')),
      holds: [drop, ['all', 'ALL']],
    },
    {
      name: 'an added capability removed',
      code: pod(app('securityContext:\n  capabilities:\n    add:\n      - SYS_ADMIN\n      - NET_BIND_SERVICE\n')),
      act: (c) => c.security.capAdd.items[0].remove(),
      fixed: pod(app('securityContext:\n  capabilities:\n    add:\n      - NET_BIND_SERVICE\n')),
    },
  ]);
});

describe('Kubernetes setters: inherited profiles and annotations', () => {
  const seccomp = (c: ContainerSpec) => c.security.seccomp.value;
  table([
    {
      name: 'seccomp RuntimeDefault: nothing set -> the pod securityContext',
      code: pod(app()),
      act: (c) => c.security.seccomp.set('RuntimeDefault'),
      fixed: pod(`${app()}securityContext:\n  seccompProfile:\n    type: RuntimeDefault\n`),
      holds: [seccomp, 'RuntimeDefault'],
    },
    {
      name: 'seccomp: the container’s Unconfined replaced where it is',
      code: pod(app('securityContext:\n  seccompProfile:\n    type: Unconfined\n')),
      act: (c) => c.security.seccomp.set('RuntimeDefault'),
      fixed: pod(app('securityContext:\n  seccompProfile:\n    type: RuntimeDefault\n')),
      holds: [seccomp, 'RuntimeDefault'],
    },
    {
      name: 'seccomp: Localhost -> RuntimeDefault drops the localhostProfile the API would refuse',
      code: pod(app('securityContext:\n  seccompProfile:\n    type: Localhost\n    localhostProfile: profiles/audit.json\n')),
      act: (c) => c.security.seccomp.set('RuntimeDefault'),
      fixed: pod(app('securityContext:\n  seccompProfile:\n    type: RuntimeDefault\n')),
      holds: [seccomp, 'RuntimeDefault'],
    },
    {
      name: 'seccomp: the pod’s Unconfined removed',
      code: pod(`securityContext:\n  runAsNonRoot: true\n  seccompProfile: {type: Unconfined}\n${app()}`),
      act: (c) => c.security.seccomp.remove(),
      fixed: pod(`securityContext:\n  runAsNonRoot: true\n${app()}`),
      holds: [seccomp, null],
    },
    {
      name: 'seccomp: a legacy annotation is removed and the field written instead',
      code: pod(app(), 'annotations:\n  seccomp.security.alpha.kubernetes.io/pod: unconfined\n  team: web\n'),
      act: (c) => c.security.seccomp.set('RuntimeDefault'),
      fixed: pod(`${app()}securityContext:\n  seccompProfile:\n    type: RuntimeDefault\n`, 'annotations:\n  team: web\n'),
      holds: [seccomp, 'RuntimeDefault'],
    },
    {
      name: 'AppArmor: the container annotation removed',
      code: pod(app(), 'annotations:\n  container.apparmor.security.beta.kubernetes.io/app: unconfined\n'),
      act: (c) => c.security.apparmor.remove(),
      fixed: pod(app()),
      holds: [(c) => c.security.apparmor.value, null],
    },
    {
      name: 'procMount: Unmasked removed',
      code: pod(app('securityContext:\n  procMount: Unmasked\n  runAsUser: 1000\n')),
      act: (c) => c.security.systemPaths.remove(),
      fixed: pod(app('securityContext:\n  runAsUser: 1000\n')),
      holds: [(c) => c.security.systemPaths.value, null],
    },
  ]);
});

describe('Kubernetes setters: pod spec keys', () => {
  table([
    {
      name: 'hostNetwork removed',
      code: pod(`hostNetwork: true\n${app()}`),
      act: (c) => c.namespaces.network.remove(),
      fixed: pod(app()),
      holds: [(c) => c.namespaces.network.value, null],
    },
    {
      name: 'hostPID: set(null) removes it, its comment kept on a line of its own',
      code: pod(`hostPID: true # debugging\n${app()}`),
      act: (c) => c.namespaces.pid.set(null),
      fixed: pod(`# debugging\n${app()}`),
      holds: [(c) => c.namespaces.pid.value, null],
    },
    { name: 'hostIPC: only host or null can be set', code: pod(app()), act: (c) => c.namespaces.ipc.set('private'), fixed: null },
    {
      name: 'automountServiceAccountToken: false on the pod spec',
      code: pod(`serviceAccountName: api\n${app()}`),
      act: (c) => c.serviceAccount.automountToken.set(false),
      fixed: pod(`serviceAccountName: api\n${app()}automountServiceAccountToken: false\n`),
      holds: [(c) => [c.serviceAccount.automountToken.value, c.serviceAccount.automountToken.origin], [false, 'pod']],
    },
    {
      name: 'automountServiceAccountToken: true replaced',
      code: pod(`automountServiceAccountToken: true\n${app()}`),
      act: (c) => c.serviceAccount.automountToken.set(false),
      fixed: pod(`automountServiceAccountToken: false\n${app()}`),
      holds: [(c) => c.serviceAccount.automountToken.value, false],
    },
    {
      name: 'a ServiceAccount saying true: the pod gets false (the ServiceAccount is not edited)',
      code: `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: true\n---\n${pod(app())}`,
      act: (c) => c.serviceAccount.automountToken.set(false),
      fixed: `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: true\n---\n${pod(`${app()}automountServiceAccountToken: false\n`)}`,
      holds: [(c) => [c.serviceAccount.automountToken.value, c.serviceAccount.automountToken.origin], [false, 'pod']],
    },
    {
      name: 'hostPort removed',
      code: pod(app('ports:\n  - containerPort: 8080\n    hostPort: 80\n    protocol: TCP\n')),
      act: (c) => c.ports[0].removeHostPort?.(),
      fixed: pod(app('ports:\n  - containerPort: 8080\n    protocol: TCP\n')),
      holds: [(c) => c.ports[0].hostPort, null],
    },
  ]);
});

describe('Kubernetes setters: mounts, writable paths, limits', () => {
  table([
    {
      name: 'setReadOnly on a hostPath mount',
      code: pod(app('volumeMounts:\n  - name: logs\n    mountPath: /var/log/host\n') + 'volumes:\n  - name: logs\n    hostPath: {path: /var/log}\n'),
      act: (c) => c.mounts[0].setReadOnly(),
      fixed: pod(app('volumeMounts:\n  - name: logs\n    mountPath: /var/log/host\n    readOnly: true\n') + 'volumes:\n  - name: logs\n    hostPath: {path: /var/log}\n'),
      holds: [(c) => c.mounts[0].readOnly, true],
    },
    {
      name: 'setReadOnly: readOnly: false replaced in a flow mount',
      code: pod(app('volumeMounts: [{name: logs, mountPath: /host, readOnly: false}]\n') + 'volumes: [{name: logs, hostPath: {path: /}}]\n'),
      act: (c) => c.mounts[0].setReadOnly(),
      fixed: pod(app('volumeMounts: [{name: logs, mountPath: /host, readOnly: true}]\n') + 'volumes: [{name: logs, hostPath: {path: /}}]\n'),
      holds: [(c) => c.mounts[0].readOnly, true],
    },
    {
      name: 'a mount removed (its pod volume stays for other containers)',
      code: pod(app('volumeMounts:\n  - name: sock\n    mountPath: /var/run/docker.sock\n  - name: tmp\n    mountPath: /tmp\n') + 'volumes:\n  - name: sock\n    hostPath: {path: /var/run/docker.sock}\n  - name: tmp\n    emptyDir: {}\n'),
      act: (c) => c.mounts[0].remove(),
      fixed: pod(app('volumeMounts:\n  - name: tmp\n    mountPath: /tmp\n') + 'volumes:\n  - name: sock\n    hostPath: {path: /var/run/docker.sock}\n  - name: tmp\n    emptyDir: {}\n'),
    },
    {
      name: 'a mount list shared through an anchor: not made read-only here',
      code: pod('containers:\n  - name: a\n    image: x:1\n    volumeMounts: &m [{name: h, mountPath: /host}]\n  - name: app\n    image: x:1\n    volumeMounts: *m\nvolumes: [{name: h, hostPath: {path: /}}]\n'),
      act: (c) => c.mounts[0].setReadOnly(),
      fixed: null,
    },
    {
      name: 'addWritablePath: volume and mount created',
      code: pod(app()),
      act: (c) => c.setters.addWritablePath?.('/tmp', 64),
      fixed: pod(`${app('volumeMounts:\n  - name: tmp\n    mountPath: /tmp\n')}volumes:\n  - name: tmp\n    emptyDir:\n      sizeLimit: 64Mi\n`),
      holds: [(c) => c.mounts.map((m) => [m.kind, m.target, m.size]), [['emptyDir', '/tmp', '64Mi']]],
    },
    {
      name: 'addWritablePath: appended in the lists’ own styles, a unique name',
      code: pod(app('volumeMounts: [{name: tmp, mountPath: /data}]\n') + 'volumes:\n- name: tmp\n  persistentVolumeClaim: {claimName: data}\n'),
      act: (c) => c.setters.addWritablePath?.('/tmp', 32),
      fixed: pod(app('volumeMounts: [{name: tmp, mountPath: /data}, {name: tmp-2, mountPath: /tmp}]\n') + 'volumes:\n- name: tmp\n  persistentVolumeClaim: {claimName: data}\n- name: tmp-2\n  emptyDir:\n    sizeLimit: 32Mi\n'),
      holds: [(c) => c.mounts.map((m) => [m.kind, m.target]), [['volume', '/data'], ['emptyDir', '/tmp']]],
    },
    {
      name: 'addWritablePath: a path already mounted is refused',
      code: pod(app('volumeMounts: [{name: t, mountPath: /tmp}]\n') + 'volumes: [{name: t, emptyDir: {}}]\n'),
      act: (c) => c.setters.addWritablePath?.('/tmp', 64),
      fixed: null,
    },
    {
      name: 'setLimits: resources.limits created',
      code: pod(app()),
      act: (c) => c.setters.setLimits?.({ memory: '512Mi', cpu: '500m' }),
      fixed: pod(app('resources:\n  limits:\n    memory: 512Mi\n    cpu: 500m\n')),
      holds: [(c) => [c.resources.memoryLimit.value, c.resources.cpuLimit.value], ['512Mi', '500m']],
    },
    {
      name: 'setLimits: merged into resources with requests',
      code: pod(app('resources:\n  requests:\n    memory: 128Mi\n')),
      act: (c) => c.setters.setLimits?.({ memory: '512Mi' }),
      fixed: pod(app('resources:\n  requests:\n    memory: 128Mi\n  limits:\n    memory: 512Mi\n')),
      holds: [(c) => c.resources.memoryLimit.value, '512Mi'],
    },
    {
      name: 'memoryLimit.set on an existing limit',
      code: pod(app('resources: {limits: {memory: 2Gi, cpu: "1"}}\n')),
      act: (c) => c.resources.memoryLimit.set('1Gi'),
      fixed: pod(app('resources: {limits: {memory: 1Gi, cpu: "1"}}\n')),
      holds: [(c) => c.resources.memoryLimit.value, '1Gi'],
    },
  ]);
});

describe('Kubernetes setters: ephemeral containers and Windows pods', () => {
  const eph = (lines = '') => pod(`${app()}ephemeralContainers:\n  - name: dbg\n    image: busybox:1\n${indent(lines, 4)}`);
  table([
    { name: 'ephemeral: no new setting (readOnlyRootFilesystem)', code: eph(), container: 'dbg', act: (c) => c.security.readOnlyRootFilesystem.set(true), fixed: null },
    { name: 'ephemeral: no capability drop', code: eph(), container: 'dbg', act: (c) => c.security.capDrop.add('ALL'), fixed: null },
    { name: 'ephemeral: no limits (the API refuses resources there)', code: eph(), container: 'dbg', act: (c) => c.setters.setLimits?.({ memory: '256Mi' }), fixed: null },
    { name: 'ephemeral: no writable path', code: eph(), container: 'dbg', act: (c) => c.setters.addWritablePath?.('/tmp', 64), fixed: null },
    {
      name: 'ephemeral: an explicit privileged: true can be fixed',
      code: eph('securityContext:\n  privileged: true\n'),
      container: 'dbg',
      act: (c) => c.security.privileged.set(false),
      fixed: eph('securityContext:\n  privileged: false\n'),
      holds: [(c) => c.security.privileged.value, false],
    },
    { name: 'Windows: Linux-only settings are not set', code: pod(`os: {name: windows}\n${app()}`), act: (c) => c.security.readOnlyRootFilesystem.set(true), fixed: null },
    { name: 'Windows: no seccomp', code: pod(`os: {name: windows}\n${app()}`), act: (c) => c.security.seccomp.set('RuntimeDefault'), fixed: null },
    {
      name: 'Windows: an explicit privileged can still be removed',
      code: pod(`os: {name: windows}\n${app('securityContext:\n  privileged: true\n')}`),
      act: (c) => c.security.privileged.remove(),
      fixed: pod(`os: {name: windows}\n${app()}`),
    },
    {
      name: 'Windows: limits are fine',
      code: pod(`os: {name: windows}\n${app()}`),
      act: (c) => c.setters.setLimits?.({ memory: '1Gi' }),
      fixed: pod(`os: {name: windows}\n${app('resources:\n  limits:\n    memory: 1Gi\n')}`),
    },
  ]);
});

describe('Kubernetes setters: envToSecret', () => {
  const code = pod(app('env:\n  - name: DB_PASSWORD\n    value: hunter2-not-real\n'));
  test('name and key are quoted where YAML would read them as something else', () => {
    const c = container(code, 'app');
    const edits = c.setters.envToSecret?.(c.env[0], { name: 'db', key: 'true' });
    assert.ok(edits);
    const out = applyEdits(code, edits);
    assert.equal(out, pod(app('env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: "true"\n')));
    strictParse(out);
  });

  test('flow style', () => {
    const flow = pod(app('env: [{name: DB_PASSWORD, value: hunter2-not-real}]\n'));
    const c = container(flow, 'app');
    const edits = c.setters.envToSecret?.(c.env[0], { name: 'app-secrets', key: 'DB_PASSWORD' });
    assert.ok(edits);
    assert.equal(applyEdits(flow, edits), pod(app('env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: app-secrets, key: DB_PASSWORD}}}]\n')));
  });

  test('a JSON manifest: keys and strings in JSON quoting', () => {
    const json = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n "spec": {"containers": [{"name": "app", "image": "x:1", "env": [{"name": "DB_PASSWORD", "value": "hunter2-not-real"}]}]}}\n';
    const c = container(json, 'app');
    const edits = c.setters.envToSecret?.(c.env[0], { name: 'db', key: 'DB_PASSWORD' });
    assert.ok(edits);
    const out = applyEdits(json, edits);
    assert.equal(out, '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n "spec": {"containers": [{"name": "app", "image": "x:1", "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "DB_PASSWORD"}}}]}]}}\n');
    JSON.parse(out);
  });

  test('an env list shared through an anchor: no edit', () => {
    const shared = pod('containers:\n  - name: a\n    image: x:1\n    env: &env\n      - name: DB_PASSWORD\n        value: hunter2-not-real\n  - name: app\n    image: x:1\n    env: *env\n');
    assert.deepEqual(
      ['a', 'app'].map((n) => container(shared, n).env[0].shared),
      [false, true],
      'the alias user sees a shared value (the anchor holder finds out when the fix is planned)',
    );
    for (const n of ['a', 'app']) {
      const c = container(shared, n);
      assert.equal(c.setters.envToSecret?.(c.env[0], { name: 'db', key: 'pw' }), null, n);
    }
  });
});
