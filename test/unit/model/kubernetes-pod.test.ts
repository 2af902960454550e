/** The Kubernetes model's pod reference: shared by a pod's containers, its object, its anchor and partial flag. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKubernetesModel, type KubernetesModel, type KubernetesOptions } from '../../../server/src/core/model/fromKubernetes';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';

function model(text: string, opts?: KubernetesOptions): KubernetesModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildKubernetesModel({ text, index: new TextIndex(text) }, docs, opts);
}

const view = (text: string, m: KubernetesModel) =>
  m.containers.map((c) => ({ name: c.name, object: c.pod?.object ?? null, anchor: c.pod ? text.slice(c.pod.anchor.start, c.pod.anchor.end) : null, partial: c.pod?.partial ?? null }));

test('containers of one pod share one PodRef, anchored on the first regular container', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1\n      containers:\n        - name: app\n          image: nginx:1.27\n        - name: side\n          image: busybox:1\n';
  const m = model(text);
  const object = { kind: 'Deployment', name: 'web', namespace: 'shop' };
  assert.deepEqual(view(text, m), [
    { name: 'init', object, anchor: 'app', partial: false },
    { name: 'app', object, anchor: 'app', partial: false },
    { name: 'side', object, anchor: 'app', partial: false },
  ]);
  assert.ok(m.containers.every((c) => c.pod === m.containers[0].pod), 'one object for the pod');
});

test('each pod of a List has its own PodRef; a container without image makes the pod partial; init-only pods anchor on the init container', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers: [{name: x}]\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: b}\n    spec:\n      initContainers: [{name: y, image: "busybox:1"}]\n';
  const m = model(text);
  assert.deepEqual(view(text, m), [
    { name: 'x', object: { kind: 'Pod', name: 'a', namespace: null }, anchor: 'x', partial: true },
    { name: 'y', object: { kind: 'Pod', name: 'b', namespace: null }, anchor: 'y', partial: false },
  ]);
  assert.notEqual(m.containers[0].pod, m.containers[1].pod);
});

test('a Kustomize patch is a partial pod', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:1.27\n';
  const m = model(text, { isPatch: () => true });
  assert.equal(m.containers[0].pod?.partial, true);
});
