import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig } from '../../../server/src/core/config';
import { engine } from '../../../server/src/rules';

/** A legacy v1 Compose file is analysed, and gets one info that current Compose refuses the format (RULES.md, Compose). */

const MESSAGE = "Legacy Compose v1 format (services at the top level): current docker compose and docker stack deploy refuse it; move the services under 'services:'";
const V1 = 'web:\n  build: .\n  links:\n    - db\ndb:\n  image: postgres:9.6\n  user: root\n';

function rows(text: string, path: string, config = mergeConfig()) {
  const r = engine.analyze({ text, path }, config);
  return { kind: r.kind, rows: r.findings.map((f) => [f.rule, f.severity, [r.index.rangeOf(f).start.line, r.index.rangeOf(f).start.character], [r.index.rangeOf(f).end.line, r.index.rangeOf(f).end.character], f.message]) };
}

test('a legacy v1 file: one info on its first service, and its services are analysed', () => {
  const r = rows(V1, 'docker-compose.yml');
  assert.equal(r.kind, 'compose');
  const legacy = r.rows.filter((x) => x[0] === 'legacy-compose-format');
  assert.deepEqual(legacy, [['legacy-compose-format', 'info', [0, 0], [0, 3], MESSAGE]]);
  assert.deepEqual(
    r.rows.filter((x) => x[0] === 'no-root-user').map((x) => x[4]),
    ["Service 'web' sets no user, so it runs as root unless its image sets one", "Service 'db' runs as root (user: root)"],
  );
});

test('a file with services: gets no such info, nor does YAML that is not Compose', () => {
  assert.deepEqual(rows('services:\n  web:\n    build: .\n', 'docker-compose.yml').rows.filter((x) => x[0] === 'legacy-compose-format'), []);
  const ci = rows('build:\n  image: node:20\n  script:\n    - npm test\n', '.gitlab-ci.yml');
  assert.equal(ci.kind, 'unknown');
  assert.deepEqual(ci.rows, []);
});

test('the info can be switched off and suppressed like any finding', () => {
  const off = rows(V1, 'docker-compose.yml', mergeConfig({ rules: { 'legacy-compose-format': 'off' } }));
  assert.deepEqual(off.rows.filter((x) => x[0] === 'legacy-compose-format'), []);
  const ignored = rows(`# bulkhead-ignore-file legacy-compose-format\n${V1}`, 'docker-compose.yml');
  assert.deepEqual(ignored.rows.filter((x) => x[0] === 'legacy-compose-format' || x[0] === 'unused-suppression'), []);
});
