/**
 * The Kubernetes model's facts (facts.ts shape): for each fact, its effective value, where
 * it comes from (own container, the pod, an alias/merge, a related object, the default),
 * the text of the node it is read from and its key path. Pod/container inheritance,
 * container-only keys a pod-level spelling must not fill, legacy annotations, the workload
 * shapes, ephemeral containers and Windows pods.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSpec } from '../../../server/src/core/model/container';
import type { Fact, ListFact } from '../../../server/src/core/model/facts';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine } from '../../../server/src/core/engine';
import type { Rule } from '../../../server/src/core/rule';
import { buildKubernetesModel, type KubernetesModel, type KubernetesOptions } from '../../../server/src/core/model/fromKubernetes';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex, type Span } from '../../../server/src/core/text';

function model(text: string, opts?: KubernetesOptions): KubernetesModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildKubernetesModel({ text, index: new TextIndex(text) }, docs, opts);
}

const slice = (text: string, s: Span | null | undefined) => (s ? text.slice(s.start, s.end) : null);

const indent = (s: string, n: number) =>
  s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** A Pod with `spec` (written at column 0, indented here). */
const pod = (spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta ? indent(meta, 2) : ''}spec:\n${indent(spec, 2)}`;
const APP = 'containers:\n  - name: app\n    image: nginx:1.27\n';
/** APP with container-level lines (at the container's key column). */
const app = (lines: string) => `containers:\n  - name: app\n    image: nginx:1.27\n${indent(lines, 4)}`;

interface Want {
  value: unknown;
  origin: string;
  span: string | null;
  path: string[] | null;
  raw?: string;
}

function shape(text: string, f: Fact<unknown>): Want {
  const out: Want = { value: f.value, origin: f.origin, span: slice(text, f.span), path: f.path };
  if (f.raw !== undefined) out.raw = f.raw;
  return out;
}

function container(m: KubernetesModel, name: string): ContainerSpec {
  const c = m.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name}`);
  return c;
}

type Row = [name: string, yaml: string, get: (c: ContainerSpec) => Fact<unknown>, want: Want, containerName?: string];

function table(rows: Row[]) {
  for (const [name, yaml, get, want, cname = 'app'] of rows) {
    test(name, () => {
      const c = container(model(yaml), cname);
      assert.deepEqual(shape(yaml, get(c)), want);
    });
  }
}

const SC = (...p: string[]) => ['securityContext', ...p];
const privileged = (c: ContainerSpec) => c.security.privileged;
const rorf = (c: ContainerSpec) => c.security.readOnlyRootFilesystem;
const nnp = (c: ContainerSpec) => c.security.noNewPrivileges;
const seccomp = (c: ContainerSpec) => c.security.seccomp;
const apparmor = (c: ContainerSpec) => c.security.apparmor;
const DEFAULT_FALSE: Want = { value: false, origin: 'default', span: null, path: null };
const DEFAULT_NULL: Want = { value: null, origin: 'default', span: null, path: null };

describe('Kubernetes facts: container-only booleans', () => {
  table([
    ['privileged: true on the container', pod(app('securityContext:\n  privileged: true\n')), privileged, { value: true, origin: 'own', span: 'true', path: SC('privileged'), raw: 'true' }],
    ['privileged: false', pod(app('securityContext: {privileged: false}\n')), privileged, { value: false, origin: 'own', span: 'false', path: SC('privileged'), raw: 'false' }],
    ['privileged unset', pod(APP), privileged, DEFAULT_FALSE],
    ['a pod-level privileged does not exist in the API: not counted', pod(`securityContext:\n  privileged: true\n${APP}`), privileged, DEFAULT_FALSE],
    ['privileged: yes (YAML 1.1, as Kubernetes reads it)', pod(app('securityContext:\n  privileged: yes\n')), privileged, { value: true, origin: 'own', span: 'yes', path: SC('privileged'), raw: 'yes' }],
    ['privileged: "true" is a string, not a boolean', pod(app('securityContext:\n  privileged: "true"\n')), privileged, DEFAULT_FALSE],
    ['readOnlyRootFilesystem: true', pod(app('securityContext:\n  readOnlyRootFilesystem: true # hardened\n')), rorf, { value: true, origin: 'own', span: 'true', path: SC('readOnlyRootFilesystem'), raw: 'true' }],
    ['a pod-level readOnlyRootFilesystem does nothing and must not count', pod(`securityContext:\n  readOnlyRootFilesystem: true\n${APP}`), rorf, DEFAULT_FALSE],
    [
      'the container overrides nothing at pod level: only its own counts',
      pod(`securityContext:\n  readOnlyRootFilesystem: true\n${app('securityContext:\n  readOnlyRootFilesystem: false\n')}`),
      rorf,
      { value: false, origin: 'own', span: 'false', path: SC('readOnlyRootFilesystem'), raw: 'false' },
    ],
    ['allowPrivilegeEscalation: false is noNewPrivileges', pod(app('securityContext:\n  allowPrivilegeEscalation: false\n')), nnp, { value: true, origin: 'own', span: 'false', path: SC('allowPrivilegeEscalation'), raw: 'false' }],
    ['allowPrivilegeEscalation: true', pod(app('securityContext:\n  allowPrivilegeEscalation: true\n')), nnp, { value: false, origin: 'own', span: 'true', path: SC('allowPrivilegeEscalation'), raw: 'true' }],
    ['allowPrivilegeEscalation unset: escalation allowed', pod(APP), nnp, DEFAULT_FALSE],
    ['a pod-level allowPrivilegeEscalation is not counted', pod(`securityContext:\n  allowPrivilegeEscalation: false\n${APP}`), nnp, DEFAULT_FALSE],
  ]);
});

describe('Kubernetes facts: aliases and merge keys', () => {
  const shared = pod('containers:\n  - name: a\n    image: nginx:1\n    securityContext: &sc\n      privileged: true\n  - name: b\n    image: nginx:1\n    securityContext: *sc\n');
  table([
    ['the container that holds the anchor: own', shared, privileged, { value: true, origin: 'own', span: 'true', path: SC('privileged'), raw: 'true' }, 'a'],
    ['the container that uses the alias: merged', shared, privileged, { value: true, origin: 'merged', span: 'true', path: SC('privileged'), raw: 'true' }, 'b'],
    [
      'a merge key inside the securityContext',
      `x-sc: &base\n  privileged: true\n---\n${pod(app('securityContext:\n  <<: {privileged: true}\n  runAsUser: 5\n'))}`,
      privileged,
      { value: true, origin: 'merged', span: 'true', path: SC('privileged'), raw: 'true' },
    ],
    [
      'an own key wins over a merged one',
      pod(`x: &base {readOnlyRootFilesystem: false}\n${app('securityContext:\n  <<: *base\n  readOnlyRootFilesystem: true\n')}`),
      rorf,
      { value: true, origin: 'own', span: 'true', path: SC('readOnlyRootFilesystem'), raw: 'true' },
    ],
  ]);
});

describe('Kubernetes facts: pod-to-container inheritance (seccomp, AppArmor, SELinux)', () => {
  const PROFILE = SC('seccompProfile', 'type');
  table([
    ['container seccompProfile', pod(app('securityContext:\n  seccompProfile:\n    type: RuntimeDefault\n')), seccomp, { value: 'RuntimeDefault', origin: 'own', span: 'RuntimeDefault', path: PROFILE, raw: 'RuntimeDefault' }],
    ['pod seccompProfile is inherited', pod(`securityContext:\n  seccompProfile: {type: Unconfined}\n${APP}`), seccomp, { value: 'Unconfined', origin: 'pod', span: 'Unconfined', path: PROFILE, raw: 'Unconfined' }],
    [
      'the container overrides the pod',
      pod(`securityContext:\n  seccompProfile: {type: Unconfined}\n${app('securityContext:\n  seccompProfile: {type: Localhost, localhostProfile: p.json}\n')}`),
      seccomp,
      { value: 'Localhost', origin: 'own', span: 'Localhost', path: PROFILE, raw: 'Localhost' },
    ],
    ['nothing set', pod(APP), seccomp, DEFAULT_NULL],
    [
      'legacy pod annotation',
      pod(APP, 'annotations:\n  seccomp.security.alpha.kubernetes.io/pod: runtime/default\n'),
      seccomp,
      { value: 'runtime/default', origin: 'pod', span: 'runtime/default', path: ['annotations', 'seccomp.security.alpha.kubernetes.io/pod'], raw: 'runtime/default' },
    ],
    [
      'legacy container annotation wins over the pod annotation',
      pod(APP, 'annotations:\n  seccomp.security.alpha.kubernetes.io/pod: runtime/default\n  container.seccomp.security.alpha.kubernetes.io/app: unconfined\n'),
      seccomp,
      { value: 'unconfined', origin: 'own', span: 'unconfined', path: ['annotations', 'container.seccomp.security.alpha.kubernetes.io/app'], raw: 'unconfined' },
    ],
    [
      "another container's annotation does not apply",
      pod(APP, 'annotations:\n  container.seccomp.security.alpha.kubernetes.io/other: unconfined\n'),
      seccomp,
      DEFAULT_NULL,
    ],
    [
      'the field wins over an annotation',
      pod(`securityContext:\n  seccompProfile:\n    type: RuntimeDefault\n${APP}`, 'annotations:\n  seccomp.security.alpha.kubernetes.io/pod: "unconfined"\n'),
      seccomp,
      { value: 'RuntimeDefault', origin: 'pod', span: 'RuntimeDefault', path: PROFILE, raw: 'RuntimeDefault' },
    ],
    [
      'a Deployment: annotations on the pod template, not the object',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\nspec:\n  template:\n    metadata:\n      annotations:\n        seccomp.security.alpha.kubernetes.io/pod: localhost/prof.json\n    spec:\n' +
        indent(APP, 6),
      seccomp,
      { value: 'localhost/prof.json', origin: 'pod', span: 'localhost/prof.json', path: ['annotations', 'seccomp.security.alpha.kubernetes.io/pod'], raw: 'localhost/prof.json' },
    ],
    ['appArmorProfile on the pod', pod(`securityContext:\n  appArmorProfile:\n    type: Unconfined\n${APP}`), apparmor, { value: 'Unconfined', origin: 'pod', span: 'Unconfined', path: SC('appArmorProfile', 'type'), raw: 'Unconfined' }],
    [
      'AppArmor container annotation',
      pod(APP, 'annotations:\n  container.apparmor.security.beta.kubernetes.io/app: unconfined\n'),
      apparmor,
      { value: 'unconfined', origin: 'own', span: 'unconfined', path: ['annotations', 'container.apparmor.security.beta.kubernetes.io/app'], raw: 'unconfined' },
    ],
    [
      'AppArmor container field wins over its annotation',
      pod(app('securityContext:\n  appArmorProfile: {type: RuntimeDefault}\n'), 'annotations:\n  container.apparmor.security.beta.kubernetes.io/app: unconfined\n'),
      apparmor,
      { value: 'RuntimeDefault', origin: 'own', span: 'RuntimeDefault', path: SC('appArmorProfile', 'type'), raw: 'RuntimeDefault' },
    ],
    ['seLinuxOptions.type from the pod', pod(`securityContext:\n  seLinuxOptions:\n    type: spc_t\n${APP}`), (c) => c.security.selinux, { value: 'spc_t', origin: 'pod', span: 'spc_t', path: SC('seLinuxOptions', 'type'), raw: 'spc_t' }],
    ['procMount is per container', pod(app('securityContext:\n  procMount: Unmasked\n')), (c) => c.security.systemPaths, { value: 'Unmasked', origin: 'own', span: 'Unmasked', path: SC('procMount'), raw: 'Unmasked' }],
    ['a pod-level procMount does not count', pod(`securityContext:\n  procMount: Unmasked\n${APP}`), (c) => c.security.systemPaths, DEFAULT_NULL],
    ['hostUsers: false on the pod spec', pod(`hostUsers: false\n${APP}`), (c) => c.security.hostUsers, { value: false, origin: 'pod', span: 'false', path: ['hostUsers'], raw: 'false' }],
    ['hostUsers unset', pod(APP), (c) => c.security.hostUsers, DEFAULT_NULL],
  ]);
});

describe('Kubernetes facts: host namespaces', () => {
  table([
    ['hostNetwork: true', pod(`hostNetwork: true\n${APP}`), (c) => c.namespaces.network, { value: 'host', origin: 'pod', span: 'true', path: ['hostNetwork'], raw: 'true' }],
    ['hostPID: false is written but not host', pod(`hostPID: false\n${APP}`), (c) => c.namespaces.pid, { value: null, origin: 'pod', span: 'false', path: ['hostPID'], raw: 'false' }],
    ['hostIPC: true', pod(`hostIPC: true\n${APP}`), (c) => c.namespaces.ipc, { value: 'host', origin: 'pod', span: 'true', path: ['hostIPC'], raw: 'true' }],
    ['hostNetwork unset', pod(APP), (c) => c.namespaces.network, DEFAULT_NULL],
    ['a container-level hostNetwork does not exist', pod(app('hostNetwork: true\n')), (c) => c.namespaces.network, DEFAULT_NULL],
    ['userns and uts are not Kubernetes facts', pod(`hostUsers: true\n${APP}`), (c) => c.namespaces.userns, DEFAULT_NULL],
  ]);
});

describe('Kubernetes facts: capabilities keep the raw string', () => {
  const list = (l: ListFact<string>, text: string) => ({ items: l.items.map((i) => [i.value, slice(text, i.span), i.origin]), span: slice(text, l.span), key: slice(text, l.keySpan), origin: l.origin });
  test('add and drop, block and flow, case kept', () => {
    const text = pod(app('securityContext:\n  capabilities:\n    add: [CAP_SYS_ADMIN, net_admin]\n    drop:\n      - all\n      - "NET_RAW"\n'));
    const c = container(model(text), 'app');
    assert.deepEqual(list(c.security.capAdd, text), {
      items: [
        ['CAP_SYS_ADMIN', 'CAP_SYS_ADMIN', 'own'],
        ['net_admin', 'net_admin', 'own'],
      ],
      span: '[CAP_SYS_ADMIN, net_admin]',
      key: 'add',
      origin: 'own',
    });
    assert.deepEqual(list(c.security.capDrop, text), {
      items: [
        ['all', 'all', 'own'],
        ['NET_RAW', '"NET_RAW"', 'own'],
      ],
      span: '- all\n            - "NET_RAW"',
      key: 'drop',
      origin: 'own',
    });
  });

  test('a pod-level capabilities key does not exist', () => {
    const text = pod(`securityContext:\n  capabilities: {drop: [ALL]}\n${APP}`);
    const c = container(model(text), 'app');
    assert.deepEqual(list(c.security.capDrop, text), { items: [], span: null, key: null, origin: 'default' });
  });

  test('capabilities through an alias are merged', () => {
    const text = pod('containers:\n  - name: a\n    image: x:1\n    securityContext:\n      capabilities: &caps {drop: [ALL]}\n  - name: app\n    image: x:1\n    securityContext:\n      capabilities: *caps\n');
    const c = container(model(text), 'app');
    assert.deepEqual(list(c.security.capDrop, text), { items: [['ALL', 'ALL', 'merged']], span: '[ALL]', key: 'drop', origin: 'merged' });
  });
});

describe('Kubernetes facts: mounts joined to the pod volumes', () => {
  test('emptyDir, hostPath, configMap, secret, PVC, a missing volume', () => {
    const text = pod(
      app(
        'volumeMounts:\n  - name: tmp\n    mountPath: /tmp\n  - name: sock\n    mountPath: /var/run/docker.sock\n    readOnly: true\n  - {name: cfg, mountPath: /etc/app}\n  - name: creds\n    mountPath: /creds\n  - name: data\n    mountPath: /data\n  - name: nowhere\n    mountPath: /x\n',
      ) +
        'volumes:\n  - name: tmp\n    emptyDir:\n      medium: Memory\n      sizeLimit: 64Mi\n  - name: sock\n    hostPath:\n      path: /var/run/docker.sock\n      type: Socket\n  - name: cfg\n    configMap: {name: app-config}\n  - name: creds\n    secret:\n      secretName: db\n  - name: data\n    persistentVolumeClaim:\n      claimName: pvc-1\n',
    );
    const c = container(model(text), 'app');
    assert.deepEqual(
      c.mounts.map((m) => [m.kind, m.target, m.source, m.readOnly, m.size, m.medium, m.hostPathType, m.syntax, slice(text, m.sourceSpan), m.origin]),
      [
        ['emptyDir', '/tmp', null, false, '64Mi', 'Memory', undefined, 'volumeMount', '64Mi', 'own'],
        ['hostPath', '/var/run/docker.sock', '/var/run/docker.sock', true, null, undefined, 'Socket', 'volumeMount', '/var/run/docker.sock', 'own'],
        ['other', '/etc/app', 'app-config', false, null, undefined, undefined, 'volumeMount', 'app-config', 'own'],
        ['other', '/creds', 'db', false, null, undefined, undefined, 'volumeMount', 'db', 'own'],
        ['volume', '/data', 'pvc-1', false, null, undefined, undefined, 'volumeMount', 'pvc-1', 'own'],
        ['other', '/x', null, false, null, undefined, undefined, 'volumeMount', null, 'own'],
      ],
    );
    assert.equal(slice(text, c.mounts[2].span), '{name: cfg, mountPath: /etc/app}');
    assert.equal(slice(text, c.mounts[0].span), 'name: tmp\n          mountPath: /tmp');
  });

  test('an emptyDir without sizeLimit is unbounded; medium null', () => {
    const text = pod(app('volumeMounts: [{name: t, mountPath: /tmp}]\n') + 'volumes: [{name: t, emptyDir: {}}]\n');
    const [m] = container(model(text), 'app').mounts;
    assert.deepEqual([m.kind, m.size, m.medium], ['emptyDir', null, null]);
  });

  test('mounts belong to their container only', () => {
    const text = pod('containers:\n  - name: app\n    image: x:1\n  - name: side\n    image: x:1\n    volumeMounts: [{name: t, mountPath: /tmp}]\nvolumes: [{name: t, emptyDir: {}}]\n');
    const m = model(text);
    assert.deepEqual(
      m.containers.map((c) => [c.name, c.mounts.map((x) => x.target)]),
      [
        ['app', []],
        ['side', ['/tmp']],
      ],
    );
  });
});

describe('Kubernetes facts: resources', () => {
  const mem = (c: ContainerSpec) => c.resources.memoryLimit;
  table([
    ['limits.memory', pod(app('resources:\n  limits:\n    memory: 512Mi\n    cpu: "1"\n')), mem, { value: '512Mi', origin: 'own', span: '512Mi', path: ['resources', 'limits', 'memory'], raw: '512Mi' }],
    ['limits.cpu as written', pod(app('resources:\n  limits:\n    memory: 512Mi\n    cpu: "1"\n')), (c) => c.resources.cpuLimit, { value: '1', origin: 'own', span: '"1"', path: ['resources', 'limits', 'cpu'], raw: '"1"' }],
    ['a numeric cpu limit', pod(app('resources: {limits: {cpu: 0.5}}\n')), (c) => c.resources.cpuLimit, { value: '0.5', origin: 'own', span: '0.5', path: ['resources', 'limits', 'cpu'], raw: '0.5' }],
    ['requests are reservations', pod(app('resources:\n  requests:\n    memory: 128Mi\n')), (c) => c.resources.memoryReservation, { value: '128Mi', origin: 'own', span: '128Mi', path: ['resources', 'requests', 'memory'], raw: '128Mi' }],
    ['no limits', pod(APP), mem, DEFAULT_NULL],
    ['no pids limit in Kubernetes', pod(APP), (c) => c.resources.pidsLimit, DEFAULT_NULL],
    [
      'a LimitRange of type Container in the same file',
      `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\nspec:\n  limits:\n    - type: Pod\n      max: {memory: 2Gi}\n    - type: Container\n      default:\n        memory: 256Mi\n---\n${pod(APP)}`,
      mem,
      { value: '256Mi', origin: 'related', span: '256Mi', path: ['spec', 'limits', '1', 'default', 'memory'], raw: '256Mi' },
    ],
    [
      'a LimitRange defaultRequest',
      `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\nspec:\n  limits:\n    - type: Container\n      defaultRequest: {cpu: 100m}\n---\n${pod(APP)}`,
      (c) => c.resources.cpuReservation,
      { value: '100m', origin: 'related', span: '100m', path: ['spec', 'limits', '0', 'defaultRequest', 'cpu'], raw: '100m' },
    ],
    [
      'a LimitRange in another namespace does not apply',
      `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\n  namespace: other\nspec:\n  limits:\n    - type: Container\n      default: {memory: 256Mi}\n---\n${pod(APP, 'namespace: mine\n')}`,
      mem,
      DEFAULT_NULL,
    ],
    [
      'the container limit wins over the LimitRange',
      `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\nspec:\n  limits:\n    - type: Container\n      default: {memory: 256Mi}\n---\n${pod(app('resources: {limits: {memory: 1Gi}}\n'))}`,
      mem,
      { value: '1Gi', origin: 'own', span: '1Gi', path: ['resources', 'limits', 'memory'], raw: '1Gi' },
    ],
  ]);
});

describe('Kubernetes facts: service account', () => {
  const name = (c: ContainerSpec) => c.serviceAccount.name;
  const token = (c: ContainerSpec) => c.serviceAccount.automountToken;
  const SA = (n: string, v: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${n}\nautomountServiceAccountToken: ${v}\n`;
  table([
    ['serviceAccountName', pod(`serviceAccountName: api\n${APP}`), name, { value: 'api', origin: 'pod', span: 'api', path: ['serviceAccountName'], raw: 'api' }],
    ['the deprecated serviceAccount', pod(`serviceAccount: api\n${APP}`), name, { value: 'api', origin: 'pod', span: 'api', path: ['serviceAccount'], raw: 'api' }],
    ['no name: the default account', pod(APP), name, DEFAULT_NULL],
    ['automountServiceAccountToken on the pod', pod(`automountServiceAccountToken: false\n${APP}`), token, { value: false, origin: 'pod', span: 'false', path: ['automountServiceAccountToken'], raw: 'false' }],
    [
      'from the ServiceAccount in the same file',
      `${SA('api', 'false')}---\n${pod(`serviceAccountName: api\n${APP}`)}`,
      token,
      { value: false, origin: 'related', span: 'false', path: ['automountServiceAccountToken'], raw: 'false' },
    ],
    ['the default ServiceAccount counts for a pod without a name', `${SA('default', 'false')}---\n${pod(APP)}`, token, { value: false, origin: 'related', span: 'false', path: ['automountServiceAccountToken'], raw: 'false' }],
    ["another ServiceAccount's setting does not apply", `${SA('other', 'false')}---\n${pod(`serviceAccountName: api\n${APP}`)}`, token, DEFAULT_NULL],
    [
      'the pod wins over its ServiceAccount',
      `${SA('api', 'false')}---\n${pod(`serviceAccountName: api\nautomountServiceAccountToken: true\n${APP}`)}`,
      token,
      { value: true, origin: 'pod', span: 'true', path: ['automountServiceAccountToken'], raw: 'true' },
    ],
  ]);

  test('a ServiceAccount and a LimitRange listed by the same folder’s kustomization: related, no span', () => {
    const files: Record<string, string> = {
      'kustomization.yaml': 'resources:\n  - sa.yaml\n  - ./limits.yml\n  - ../base\n  - https://example.com/x.yaml\n  - pod.yaml\n',
      'sa.yaml': SA('api', 'false'),
      'limits.yml': 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec:\n  limits: [{type: Container, default: {memory: 300Mi}}]\n',
    };
    const read: string[] = [];
    const workspace = {
      read: (p: string) => {
        read.push(p);
        return files[p];
      },
    };
    const text = pod(`serviceAccountName: api\n${APP}`);
    const c = container(model(text, { workspace, fileName: 'pod.yaml' }), 'app');
    assert.deepEqual(shape(text, token(c)), { value: false, origin: 'related', span: null, path: ['automountServiceAccountToken'], raw: 'false' });
    assert.deepEqual(shape(text, c.resources.memoryLimit), { value: '300Mi', origin: 'related', span: null, path: ['spec', 'limits', '0', 'default', 'memory'], raw: '300Mi' });
    assert.deepEqual(read, ['kustomization.yaml', 'sa.yaml', 'limits.yml'], 'only plain file resources, not the manifest itself, not URLs or folders');
  });

  test('the engine passes its workspace and the file name: the kustomization’s ServiceAccount reaches the model', () => {
    const seen: string[] = [];
    const probe: Rule = {
      meta: { id: 'test-rule', title: 't', severity: 'info', platforms: ['kubernetes'], fixable: false, peers: {} },
      check: (ctx) => {
        for (const c of ctx.file.containers) seen.push(`${c.name}: ${String(c.serviceAccount.automountToken.value)} (${c.serviceAccount.automountToken.origin})`);
      },
    };
    const files: Record<string, string> = { 'kustomization.yaml': 'resources: [sa.yaml, deploy/pod.yaml]\n', 'sa.yaml': SA('api', 'false') };
    const text = pod(`serviceAccountName: api\n${APP}`);
    createEngine([probe]).analyze({ text, path: '/repo/deploy/pod.yaml', workspace: { read: (p) => files[p] } }, mergeConfig());
    assert.deepEqual(seen, ['app: false (related)']);
  });

  test('other files are read only when a rule asks for a fact that needs them, and once', () => {
    const read: string[] = [];
    const c = container(model(pod(APP), { workspace: { read: (p) => (read.push(p), undefined) } }), 'app');
    assert.equal(c.security.privileged.value, false);
    assert.deepEqual(read, [], 'building the model reads nothing');
    assert.equal(c.serviceAccount.automountToken.origin, 'default');
    assert.equal(c.resources.memoryLimit.origin, 'default');
    assert.deepEqual(read, ['kustomization.yaml', 'kustomization.yml', 'Kustomization'], 'no kustomization: nothing else');
  });
});

describe('Kubernetes facts: ports and hostPort', () => {
  test('hostPort per port', () => {
    const text = pod(app('ports:\n  - containerPort: 8080\n    hostPort: 80\n  - {containerPort: 9090, protocol: UDP}\n'));
    const c = container(model(text), 'app');
    assert.deepEqual(
      c.ports.map((p) => [p.port, p.protocol, slice(text, p.span), p.hostPort, slice(text, p.hostPortSpan)]),
      [
        [8080, 'tcp', '8080', 80, '80'],
        [9090, 'udp', '9090', null, null],
      ],
    );
    assert.equal(c.ports[1].removeHostPort?.(), null, 'nothing to remove');
  });
});

describe('Kubernetes facts: workload shapes and special containers', () => {
  const P = 'securityContext:\n  privileged: true\n';
  const shapes: [string, string][] = [
    ['Deployment', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n${indent(app(P), 6)}`],
    ['CronJob', `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${indent(app(P), 10)}`],
    ['List item', `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n${indent(app(P), 6)}`],
    ['CRD with a template.spec.containers shape', `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  template:\n    spec:\n${indent(app(P), 6)}`],
  ];
  for (const [name, text] of shapes) {
    test(name, () => {
      assert.deepEqual(shape(text, container(model(text), 'app').security.privileged), { value: true, origin: 'own', span: 'true', path: SC('privileged'), raw: 'true' });
    });
  }

  test('initContainers and ephemeralContainers: values count', () => {
    const text = pod(`initContainers:\n  - name: init\n    image: x:1\n    securityContext: {privileged: true}\n${APP}ephemeralContainers:\n  - name: dbg\n    image: busybox:1\n    securityContext:\n      capabilities: {add: [SYS_PTRACE]}\n`);
    const m = model(text);
    assert.deepEqual(
      m.containers.map((c) => [c.name, c.security.privileged.value, c.security.capAdd.items.map((i) => i.value)]),
      [
        ['init', true, []],
        ['app', false, []],
        ['dbg', false, ['SYS_PTRACE']],
      ],
    );
  });

  test('a Windows pod: values are still read', () => {
    const text = pod(`os:\n  name: windows\n${app('securityContext:\n  privileged: true\n')}`);
    const c = container(model(text), 'app');
    assert.equal(c.windows, true);
    assert.equal(c.security.privileged.value, true);
  });
});
