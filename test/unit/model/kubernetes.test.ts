/**
 * The Kubernetes model: where PodSpecs live (workload kinds, CronJob, PodTemplate, List,
 * CRDs), which containers count, pod-to-container securityContext inheritance, Windows
 * pods, partial objects (Kustomize patches, containers without an image), and the
 * annotations that suppress a rule on an object.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig } from '../../../server/src/core/config';
import { type AnalysisResult, type WorkspaceView } from '../../../server/src/core/engine';
import type { ContainerSpec } from '../../../server/src/core/model/container';
import { buildKubernetesModel, type KubernetesModel, type KubernetesOptions } from '../../../server/src/core/model/fromKubernetes';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex, type Span } from '../../../server/src/core/text';
import { engine } from '../../../server/src/rules';

function model(text: string, opts?: KubernetesOptions): KubernetesModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildKubernetesModel({ text, index: new TextIndex(text) }, docs, opts);
}

const slice = (text: string, s: Span | null | undefined) => (s ? text.slice(s.start, s.end) : null);

/** Indents every non-empty line of `s` by `n` spaces. */
const indent = (s: string, n: number) =>
  s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

const CONTAINERS = 'containers:\n  - name: app\n    image: ghcr.io/acme/web:1.27\n';

function names(m: KubernetesModel): string[] {
  return m.containers.map((c) => c.name);
}

type Row = [start: [number, number], end: [number, number], message: string];

function noRootUser(r: AnalysisResult): Row[] {
  return r.findings
    .filter((f) => f.rule === 'no-root-user')
    .map((f) => {
      const { start, end } = r.index.rangeOf(f);
      return [[start.line, start.character], [end.line, end.character], f.message];
    });
}

function analyze(text: string, path = 'pod.yaml', workspace?: WorkspaceView): AnalysisResult {
  return engine.analyze({ text, path, workspace }, mergeConfig());
}

function pod(spec: string, meta = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${indent(spec, 2)}`;
}

const MISSING = (c: string) => `Container '${c}' may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set (the image's USER is unknown offline)`;
const EXPLICIT = (c: string) => `Container '${c}' runs as root (runAsUser: 0)`;
const POD_ROOT = (c: string) => `Container '${c}' runs as root: the pod's securityContext sets runAsUser: 0`;

describe('Kubernetes model: where the PodSpec is', () => {
  const workload = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n${indent(CONTAINERS, 6)}`;

  for (const [apiVersion, kind] of [
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['apps/v1', 'ReplicaSet'],
    ['v1', 'ReplicationController'],
    ['batch/v1', 'Job'],
    ['argoproj.io/v1alpha1', 'Rollout'],
  ]) {
    test(`${kind}: spec.template.spec`, () => {
      const text = workload(apiVersion, kind);
      const m = model(text);
      assert.deepEqual(
        m.objects.map((o) => [o.apiVersion, o.kind, o.name, o.podSpec !== null]),
        [[apiVersion, kind, 'w', true]],
      );
      assert.deepEqual(names(m), ['app']);
      assert.equal(slice(text, m.containers[0].anchor), 'app');
      assert.equal(slice(text, m.containers[0].image?.span), 'ghcr.io/acme/web:1.27');
    });
  }

  test('Pod: spec', () => {
    const m = model(pod(CONTAINERS));
    assert.deepEqual(
      m.objects.map((o) => [o.kind, o.name, o.podSpec !== null, o.podMeta !== null]),
      [['Pod', 'p', true, true]],
    );
    assert.deepEqual(names(m), ['app']);
  });

  test('CronJob: spec.jobTemplate.spec.template.spec', () => {
    const text = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${indent(CONTAINERS, 10)}`;
    assert.deepEqual(names(model(text)), ['app']);
    assert.deepEqual(noRootUser(analyze(text)), [[[11, 20], [11, 23], MISSING('app')]]);
  });

  test('PodTemplate: template.spec', () => {
    const text = `apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\ntemplate:\n  spec:\n${indent(CONTAINERS, 4)}`;
    assert.deepEqual(names(model(text)), ['app']);
  });

  test('List: every item is an object', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n${indent(CONTAINERS, 6)}  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: c\n    data: {a: b}\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: d\n    spec:\n      template:\n        spec:\n          containers:\n            - name: web\n              image: ghcr.io/acme/web:1\n`;
    const m = model(text);
    assert.deepEqual(
      m.objects.map((o) => [o.kind, o.name, o.podSpec !== null]),
      [
        ['Pod', 'p', true],
        ['ConfigMap', 'c', false],
        ['Deployment', 'd', true],
      ],
    );
    assert.deepEqual(names(m), ['app', 'web']);
  });

  test('objects without a PodSpec: Service, ConfigMap, a CRD without containers', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n      size: 3\n';
    const m = model(text);
    assert.deepEqual(
      m.objects.map((o) => [o.kind, o.podSpec !== null]),
      [
        ['Service', false],
        ['ConfigMap', false],
        ['Widget', false],
      ],
    );
    assert.deepEqual(m.containers, []);
    assert.deepEqual(noRootUser(analyze(text, 'all.yaml')), []);
  });

  test('a document without apiVersion and kind is not an object', () => {
    assert.deepEqual(model('kind: Pod\nspec:\n  containers:\n    - name: a\n      image: b\n').objects, []);
  });
});

describe('Kubernetes model: which containers count', () => {
  test('initContainers and containers, in that order', () => {
    const text = pod('initContainers:\n  - name: init\n    image: busybox:1\ncontainers:\n  - name: app\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: 1000\n');
    const m = model(text);
    assert.deepEqual(
      m.containers.map((c) => [c.name, c.user.state, c.partial]),
      [
        ['init', 'unset', false],
        ['app', 'nonroot', false],
      ],
    );
    assert.deepEqual(noRootUser(analyze(text)), [[[6, 12], [6, 16], MISSING('init')]]);
  });

  test('ephemeralContainers are partial: missing settings are no finding, explicit runAsUser: 0 is', () => {
    const text = pod(
      'securityContext:\n  runAsNonRoot: true\ncontainers:\n  - name: app\n    image: ghcr.io/acme/web:1\nephemeralContainers:\n  - name: dbg\n    image: busybox:1\n  - name: dbg0\n    image: busybox:1\n    securityContext:\n      runAsUser: 0\n',
    );
    const unguarded = pod('containers:\n  - name: app\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: 1000\nephemeralContainers:\n  - name: dbg\n    image: busybox:1\n');
    assert.deepEqual(
      model(text).containers.map((c) => [c.name, c.partial]),
      [
        ['app', false],
        ['dbg', true],
        ['dbg0', true],
      ],
    );
    assert.deepEqual(noRootUser(analyze(text)), [[[16, 19], [16, 20], EXPLICIT('dbg0')]]);
    assert.deepEqual(noRootUser(analyze(unguarded)), []);
  });

  test('a container without image: is partial (no "missing" finding); explicit root still found', () => {
    assert.equal(model(pod('containers:\n  - name: a\n')).containers[0].partial, true);
    assert.deepEqual(noRootUser(analyze(pod('containers:\n  - name: a\n'))), []);
    assert.deepEqual(noRootUser(analyze(pod('containers:\n  - name: a\n    securityContext:\n      runAsUser: 0\n'))), [[[8, 19], [8, 20], EXPLICIT('a')]]);
  });

  test('ports and env of a container', () => {
    const text = pod(
      'containers:\n  - name: app\n    image: ghcr.io/acme/web:1\n    ports:\n      - containerPort: 8080\n      - containerPort: 53\n        protocol: UDP\n    env:\n      - name: A\n        value: "x"\n      - name: B\n        valueFrom:\n          secretKeyRef: {name: s, key: k}\n',
    );
    const [c] = model(text).containers;
    assert.deepEqual(
      c.ports.map((p) => [p.port, p.protocol, p.source, slice(text, p.span)]),
      [
        [8080, 'tcp', 'containerPort', '8080'],
        [53, 'udp', 'containerPort', '53'],
      ],
    );
    assert.deepEqual(
      c.env.map((e) => [e.name, e.value, slice(text, e.nameSpan), slice(text, e.valueSpan)]),
      [
        ['A', 'x', 'A', '"x"'],
        ['B', null, 'B', null],
      ],
    );
  });
});

describe('Kubernetes model: the effective user', () => {
  const user = (c: ContainerSpec) => [c.name, c.user.state, c.user.detail];

  test('the pod-level runAsUser is inherited unless the container overrides it', () => {
    const text = pod('securityContext:\n  runAsUser: 0\ncontainers:\n  - name: a\n    image: ghcr.io/acme/web:1\n  - name: b\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: 1000\n');
    assert.deepEqual(model(text).containers.map(user), [
      ['a', 'root', 'inherited'],
      ['b', 'nonroot', 'explicit'],
    ]);
    assert.deepEqual(noRootUser(analyze(text)), [[[8, 12], [8, 13], POD_ROOT('a')]]);
  });

  test('a container runAsUser: 0 overrides a non-root pod', () => {
    const text = pod('securityContext:\n  runAsUser: 1000\ncontainers:\n  - name: a\n    image: ghcr.io/acme/web:1\n  - name: b\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: 0\n');
    assert.deepEqual(model(text).containers.map(user), [
      ['a', 'nonroot', 'explicit'],
      ['b', 'root', 'explicit'],
    ]);
    assert.deepEqual(noRootUser(analyze(text)), [[[13, 19], [13, 20], EXPLICIT('b')]]);
  });

  test('runAsNonRoot: true without runAsUser is a guard: no finding', () => {
    for (const text of [
      pod('containers:\n  - name: a\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsNonRoot: true\n'),
      pod('securityContext:\n  runAsNonRoot: true\ncontainers:\n  - name: a\n    image: ghcr.io/acme/web:1\n'),
    ]) {
      assert.deepEqual(model(text).containers.map(user), [['a', 'nonroot', 'guarded']]);
      assert.deepEqual(noRootUser(analyze(text)), []);
    }
  });

  test('runAsUser: 0 with runAsNonRoot: true is still a finding', () => {
    const container = pod('securityContext:\n  runAsNonRoot: true\ncontainers:\n  - name: a\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: 0\n');
    const podLevel = pod('securityContext:\n  runAsNonRoot: true\n  runAsUser: 0\ncontainers:\n  - name: a\n    image: ghcr.io/acme/web:1\n');
    assert.deepEqual(noRootUser(analyze(container)), [[[11, 19], [11, 20], EXPLICIT('a')]]);
    assert.deepEqual(noRootUser(analyze(podLevel)), [[[9, 12], [9, 13], POD_ROOT('a')]]);
  });

  test('runAsUser as a quoted number counts; a non-numeric one is unknown (no finding)', () => {
    const quoted = pod('containers:\n  - name: a\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: "0"\n');
    const unknown = pod('containers:\n  - name: a\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsUser: $(UID)\n');
    assert.deepEqual(model(quoted).containers.map(user), [['a', 'root', 'explicit']]);
    assert.deepEqual(model(unknown).containers.map(user), [['a', 'unknown', 'explicit']]);
    assert.deepEqual(noRootUser(analyze(unknown)), []);
  });

  test('runAsNonRoot: false without runAsUser: the finding points at the false', () => {
    const text = pod('containers:\n  - name: a\n    image: ghcr.io/acme/web:1\n    securityContext:\n      runAsNonRoot: false\n');
    assert.deepEqual(noRootUser(analyze(text)), [[[9, 22], [9, 27], "Container 'a' may run as root: runAsNonRoot is false and no runAsUser is set"]]);
  });

  test('a pod securityContext merged from an anchor is inherited', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    x: &sc {runAsUser: 0}\nspec:\n  securityContext: *sc\n  containers:\n    - name: a\n      image: ghcr.io/acme/web:1\n';
    assert.deepEqual(model(text).containers.map(user), [['a', 'root', 'inherited']]);
  });
});

describe('Kubernetes model: Windows pods', () => {
  test('spec.os.name: windows marks every container; Linux-only rules skip them', () => {
    const text = pod('os:\n  name: windows\ncontainers:\n  - name: a\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n    securityContext:\n      runAsUser: 0\n');
    assert.deepEqual(
      model(text).containers.map((c) => [c.name, c.windows]),
      [['a', true]],
    );
    assert.deepEqual(noRootUser(analyze(text)), []);
  });

  test('spec.os.name: linux is not Windows', () => {
    const text = pod('os:\n  name: linux\ncontainers:\n  - name: a\n    image: ghcr.io/acme/web:1\n');
    assert.equal(model(text).containers[0].windows, false);
    assert.equal(noRootUser(analyze(text)).length, 1);
  });
});

describe('Kubernetes model: Kustomize patches are partial', () => {
  const kustomization = 'resources:\n  - base.yaml\npatches:\n  - path: pod.yaml\n    target:\n      kind: Pod\n';
  const ws = (files: Record<string, string>): WorkspaceView => ({ read: (p) => files[p] });

  test('the isPatch option marks every container partial', () => {
    const m = model(pod(CONTAINERS), { isPatch: () => true });
    assert.deepEqual(
      m.containers.map((c) => c.partial),
      [true],
    );
  });

  test('a file listed under patches: no "missing" finding', () => {
    assert.deepEqual(noRootUser(analyze(pod(CONTAINERS), 'overlay/pod.yaml', ws({ 'kustomization.yaml': kustomization }))), []);
  });

  test('a file listed under patches: explicit runAsUser: 0 still found', () => {
    const text = pod('containers:\n  - name: app\n    securityContext:\n      runAsUser: 0\n');
    assert.deepEqual(noRootUser(analyze(text, 'overlay/pod.yaml', ws({ 'kustomization.yaml': kustomization }))), [[[8, 19], [8, 20], EXPLICIT('app')]]);
  });

  test('patchesStrategicMerge and kustomization.yml count too', () => {
    assert.deepEqual(noRootUser(analyze(pod(CONTAINERS), 'overlay/pod.yaml', ws({ 'kustomization.yml': 'patchesStrategicMerge:\n  - pod.yaml\n' }))), []);
  });

  test(
    'a resource of the kustomization (not a patch) is a whole object',
    () => {
      assert.deepEqual(noRootUser(analyze(pod(CONTAINERS), 'overlay/base.yaml', ws({ 'kustomization.yaml': kustomization }))), [[[6, 12], [6, 15], MISSING('app')]]);
    },
  );

  test('no kustomization in the workspace: a whole object', () => {
    assert.deepEqual(noRootUser(analyze(pod(CONTAINERS), 'overlay/pod.yaml', ws({}))), [[[6, 12], [6, 15], MISSING('app')]]);
  });
});

describe('Kubernetes model: suppression by annotation', () => {
  const deployment = (meta: string, templateMeta: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n${meta}spec:\n  template:\n${templateMeta}    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1\n          securityContext:\n            runAsUser: 0\n`;

  test('bulkhead.dev/ignore on the object', () => {
    assert.deepEqual(noRootUser(analyze(deployment('  annotations:\n    bulkhead.dev/ignore: "no-root-user"\n', ''), 'd.yaml')), []);
  });

  test('bulkhead.dev/ignore on the pod template metadata, among other rules', () => {
    assert.deepEqual(noRootUser(analyze(deployment('', '    metadata:\n      annotations:\n        bulkhead.dev/ignore: "no-privileged, no-root-user"\n'), 'd.yaml')), []);
  });

  test("kube-linter's ignore-check.kube-linter.io/run-as-non-root", () => {
    assert.deepEqual(noRootUser(analyze(deployment('  annotations:\n    ignore-check.kube-linter.io/run-as-non-root: "runs as root by design"\n', ''), 'd.yaml')), []);
  });

  test('an annotation naming another rule does not suppress', () => {
    assert.deepEqual(noRootUser(analyze(deployment('  annotations:\n    bulkhead.dev/ignore: "no-privileged"\n', ''), 'd.yaml')), [[[13, 23], [13, 24], EXPLICIT('app')]]);
  });

  test('an annotation on one object does not suppress the next document', () => {
    const text = `${pod(CONTAINERS, '  annotations:\n    bulkhead.dev/ignore: no-root-user\n')}---\n${pod(CONTAINERS)}`;
    assert.deepEqual(noRootUser(analyze(text)), [[[17, 12], [17, 15], MISSING('app')]]);
  });

  test('an annotation on one List item does not suppress another', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: a\n      annotations: {bulkhead.dev/ignore: no-root-user}\n    spec:\n${indent(CONTAINERS, 6)}  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: b\n    spec:\n${indent(CONTAINERS, 6)}`;
    assert.deepEqual(noRootUser(analyze(text, 'list.yaml')), [[[18, 16], [18, 19], MISSING('app')]]);
  });
});
