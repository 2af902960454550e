/** core/harden.ts: which container a finding concerns, the checks and score, the lens text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig } from '../../../server/src/core/config';
import { findingsByContainer, lensTitle, scoreContainers } from '../../../server/src/core/harden';
import { engine, rules } from '../../../server/src/rules';

const config = mergeConfig();
const byContainer = (text: string, path: string) => {
  const r = engine.analyze({ text, path }, config);
  return [...findingsByContainer(r)].map(([c, fs]) => `${c.name}: ${fs.map((f) => f.rule).join(',')}`);
};

test('Kubernetes: a pod-level finding counts for every container of its pod, a container-level one for its own', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  hostPID: true',
    '  automountServiceAccountToken: false',
    '  containers:',
    '    - name: a',
    '      image: example/a:1.0',
    '      securityContext: {privileged: true}',
    '    - name: b',
    '      image: example/b:1.0',
    '',
  ].join('\n');
  assert.deepEqual(byContainer(text, 'pod.yaml'), [
    'a: no-host-namespaces,drop-capabilities,no-root-user,read-only-root-filesystem,resource-limits,no-privileged',
    'b: no-host-namespaces,drop-capabilities,no-privilege-escalation,no-root-user,read-only-root-filesystem,resource-limits',
  ]);
});

test('Compose: a finding in an anchor several services share belongs to none of them; the builtin ones to none', () => {
  const text = ['x-base: &base', '  privileged: true', 'services:', '  a:', '    <<: *base', '    image: example/a:1.0', '  b:', '    <<: *base', '    image: example/b:1.0', ''].join('\n');
  const r = engine.analyze({ text, path: 'compose.yaml' }, config);
  const all = findingsByContainer(r);
  const owned = new Set([...all.values()].flat());
  assert.deepEqual(r.findings.filter((f) => !owned.has(f)).map((f) => f.rule), ['no-privileged']);
});

test('scores: rules that do not run are left out; the lens shows the core checks and counts the rest', () => {
  const text = 'FROM node:20\nUSER 1000\n';
  const r = engine.analyze({ text, path: 'Dockerfile' }, config);
  const [s] = scoreContainers(r, rules, config);
  assert.equal(lensTitle(s), '🛡 6/6 · non-root ✓ · secrets ✓ · +4 ✓');
  const off = mergeConfig({ rules: { 'no-root-user': 'off' } });
  const [t] = scoreContainers(engine.analyze({ text, path: 'Dockerfile' }, off), rules, off);
  assert.equal(lensTitle(t), '🛡 5/5 · secrets ✓ · +4 ✓');
});
