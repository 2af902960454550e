/** Presets (docs/presets.md): which rules and findings each one reports. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, type ConfigLayer } from '../../../server/src/core/config';
import { presetOf } from '../../../server/src/core/presets';
import { engine, rules } from '../../../server/src/rules';

const SAMPLES: Record<string, string> = {
  'compose.yaml': 'services:\n  web:\n    image: nginx:latest\n    privileged: true\n  app:\n    image: example/app:1.2\n    user: root\n',
  Dockerfile: 'FROM node\nRUN curl -fsSL https://example.com/i.sh | sh\nADD app.js /app/\nEXPOSE 22 80\n',
  'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: example/c:1\n',
};

/** [rule, 0-based line] of each finding. */
function found(path: string, layer: ConfigLayer): [string, number][] {
  const r = engine.analyze({ text: SAMPLES[path], path }, mergeConfig(layer));
  return r.findings.map((f) => [f.rule, r.index.positionAt(f.start).line]);
}

describe('presets: the findings of each', () => {
  const table: [string, string, [string, number][]][] = [
    ['compose.yaml', 'baseline', [['no-privileged', 3], ['no-root-user', 6]]],
    ['compose.yaml', 'recommended', [['drop-capabilities', 1], ['no-privilege-escalation', 1], ['no-root-user', 1], ['read-only-root-filesystem', 1], ['resource-limits', 1], ['pin-image-version', 2], ['no-privileged', 3], ['drop-capabilities', 4], ['no-privilege-escalation', 4], ['read-only-root-filesystem', 4], ['resource-limits', 4], ['no-root-user', 6]]],
    ['compose.yaml', 'strict', [['drop-capabilities', 1], ['no-privilege-escalation', 1], ['no-root-user', 1], ['read-only-root-filesystem', 1], ['resource-limits', 1], ['pin-image-digest', 2], ['pin-image-version', 2], ['no-privileged', 3], ['drop-capabilities', 4], ['no-privilege-escalation', 4], ['read-only-root-filesystem', 4], ['resource-limits', 4], ['pin-image-digest', 5], ['no-root-user', 6]]],
    // baseline: no USER at all is "missing hardening" (recommended); an explicit root user is baseline
    ['Dockerfile', 'baseline', [['verify-downloads', 1], ['no-privileged-ports', 3]]],
    ['Dockerfile', 'recommended', [['no-root-user', 0], ['pin-image-version', 0], ['verify-downloads', 1], ['prefer-copy-over-add', 2], ['no-privileged-ports', 3]]],
    ['Dockerfile', 'strict', [['no-root-user', 0], ['pin-image-digest', 0], ['pin-image-version', 0], ['verify-downloads', 1], ['prefer-copy-over-add', 2], ['no-privileged-ports', 3], ['no-privileged-ports', 3]]],
    ['pod.yaml', 'baseline', [['no-host-namespaces', 5]]],
    ['pod.yaml', 'recommended', [['no-host-namespaces', 5], ['drop-capabilities', 7], ['no-privilege-escalation', 7], ['no-root-user', 7], ['no-service-account-token', 7], ['read-only-root-filesystem', 7], ['resource-limits', 7]]],
    ['pod.yaml', 'strict', [['no-host-namespaces', 5], ['drop-capabilities', 7], ['no-privilege-escalation', 7], ['no-root-user', 7], ['no-service-account-token', 7], ['no-unconfined-profiles', 7], ['read-only-root-filesystem', 7], ['resource-limits', 7], ['pin-image-digest', 8]]],
  ];
  for (const [path, preset, expected] of table) {
    test(`${path}, ${preset}`, () => assert.deepEqual(found(path, { preset: preset as ConfigLayer['preset'] }), expected));
  }

  test('the default preset is recommended', () => {
    assert.deepEqual(found('compose.yaml', {}), found('compose.yaml', { preset: 'recommended' }));
  });

  test('a rule outside the preset runs when a severity is set for it', () => {
    assert.deepEqual(found('pod.yaml', { preset: 'baseline', rules: { 'drop-capabilities': 'error' } }), [['no-host-namespaces', 5], ['drop-capabilities', 7]]);
  });

  test("a severity set for no-root-user brings back its recommended findings in baseline", () => {
    assert.deepEqual(found('compose.yaml', { preset: 'baseline', rules: { 'no-root-user': 'warning' } }), [['no-root-user', 1], ['no-privileged', 3], ['no-root-user', 6]]);
  });

  test('off in baseline is off', () => {
    assert.deepEqual(found('compose.yaml', { preset: 'baseline', rules: { 'no-privileged': 'off' } }), [['no-root-user', 6]]);
  });
});

test('presets: the preset of every rule (docs/presets.md lists the same)', () => {
  assert.deepEqual(Object.fromEntries(rules.map((r) => [r.meta.id, presetOf(r.meta)])), {
    'no-root-user': 'baseline',
    'pin-image-version': 'recommended',
    'pin-image-digest': 'strict',
    'trusted-registry': 'baseline',
    'no-secret-files-in-image': 'baseline',
    'prefer-copy-over-add': 'recommended',
    'verify-downloads': 'baseline',
    'no-sudo': 'baseline',
    'no-privileged-ports': 'baseline',
    'no-hardcoded-secrets': 'baseline',
    'no-secrets-in-build-args': 'baseline',
    'no-privileged': 'baseline',
    'no-privilege-escalation': 'recommended',
    'drop-capabilities': 'recommended',
    'no-dangerous-capabilities': 'baseline',
    'no-host-namespaces': 'baseline',
    'no-unconfined-profiles': 'baseline',
    'no-host-ports': 'baseline',
    'no-service-account-token': 'recommended',
    'read-only-root-filesystem': 'recommended',
    'tmpfs-for-writable-paths': 'recommended',
    'no-docker-socket': 'baseline',
    'no-sensitive-host-mounts': 'baseline',
    'encrypted-overlay-network': 'recommended',
    'resource-limits': 'recommended',
  });
});
