import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restrictLayer, TrustState } from '../../../server/src/lsp/trust';
import type { ConfigLayer } from '../../../server/src/core/config';

const strictOnly = (id: string) => id === 'pin-image-digest';

// [name, .bulkhead.yaml layer, editor settings layer, applied layer, ignored keys]
const table: [string, ConfigLayer, ConfigLayer, ConfigLayer, string[]][] = [
  ['off, info and warning are ignored; error is applied', { rules: { 'no-root-user': 'off', 'no-sudo': 'info', 'no-privileged': 'warning', 'verify-downloads': 'error' } }, {}, { rules: { 'verify-downloads': 'error' } }, ['rules.no-root-user', 'rules.no-sudo', 'rules.no-privileged']],
  ['a strict-only rule the preset leaves off may be switched on at any severity', { rules: { 'pin-image-digest': 'info' } }, {}, { rules: { 'pin-image-digest': 'info' } }, []],
  ['... but not lowered when the settings already set it', { rules: { 'pin-image-digest': 'info' } }, { rules: { 'pin-image-digest': 'error' } }, { rules: {} }, ['rules.pin-image-digest']],
  ['... nor when the strict preset already has it on', { preset: 'strict', rules: { 'pin-image-digest': 'info' } }, {}, { preset: 'strict', rules: {} }, ['rules.pin-image-digest']],
  ['a stricter preset is applied', { preset: 'strict' }, {}, { preset: 'strict' }, []],
  ['a quieter preset is ignored', { preset: 'recommended' }, { preset: 'strict' }, {}, ['preset']],
  ['the same preset is no change', { preset: 'recommended' }, {}, {}, []],
  ['globs, images, registries and the stack target are ignored', { ignore: ['**'], nonRootImages: ['evil/*'], trustedRegistries: ['evil.example'], compose: { target: 'stack' } }, {}, {}, ['ignore', 'nonRootImages', 'trustedRegistries', 'compose.target']],
  ['the stack target the settings already use is no change', { compose: { target: 'stack' } }, { compose: { target: 'stack' } }, {}, []],
  ['fix text settings are applied', { defaultUser: '2000:2000', defaultLimits: { memory: '1g' } }, {}, { defaultUser: '2000:2000', defaultLimits: { memory: '1g' } }, []],
];

for (const [name, file, settings, layer, ignored] of table) {
  test(`Restricted Mode: ${name}`, () => assert.deepEqual(restrictLayer(file, settings, strictOnly), { layer, ignored }));
}

test('TrustState: only an explicit trusted: false restricts; trusted applies the file as it is', () => {
  const t = new TrustState();
  const file: ConfigLayer = { rules: { 'no-root-user': 'off' } };
  for (const [init, trusted] of [[undefined, true], [{}, true], [{ trusted: true }, true], [{ trusted: 'no' }, true], [{ trusted: false }, false]] as const) {
    t.initialize(init);
    assert.equal(t.trusted, trusted, JSON.stringify(init));
    assert.deepEqual(t.apply(file, {}, strictOnly), trusted ? file : { rules: {} });
  }
});
