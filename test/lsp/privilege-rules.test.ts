/**
 * The privilege rules (no-privileged, no-privilege-escalation, drop-capabilities,
 * no-dangerous-capabilities) through the real server on one Compose file and one
 * Deployment: exact diagnostics, which quick fixes are preferred, their exact text, and
 * fix-all (only the preferred fixes: privileged and added capabilities stay).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { CATALOG_IDS } from '../../server/src/core/rule';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { range, TempWorkspace, serverPerSuite } from './workspace';

const RULES = new Set(['no-privileged', 'no-privilege-escalation', 'drop-capabilities', 'no-dangerous-capabilities']);

const COMPOSE = 'services:\n  cache:\n    image: redis:8\n    privileged: true\n    cap_add: [SYS_ADMIN]\n';
const REMOVED = 'services:\n  cache:\n    image: redis:8\n    cap_add: [SYS_ADMIN]\n';
const FIXED_ALL =
  'services:\n  cache:\n    image: redis:8\n    privileged: true\n    cap_add: [SYS_ADMIN, CHOWN, FOWNER, SETUID, SETGID]\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges=true\n';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: agent
          image: example/agent:1
          securityContext:
            privileged: true
`;

const mine = (ds: Diagnostic[]) =>
  ds.filter((d) => RULES.has(String(d.code))).map((d) => ({ code: String(d.code), severity: d.severity, range: d.range, message: d.message }));

describe('privilege rules, push client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    // every other rule off: fix-all then changes only what these rules fix
    const rules = Object.fromEntries(CATALOG_IDS.filter((id) => !RULES.has(id)).map((id) => [id, 'off']));
    return { capabilities: pushCapabilities(), rootUri: ws.uri(''), settings: { rules } };
  });

  test('Compose: four findings, exact ranges and severities', async () => {
    const uri = ws.uri('compose.yaml');
    await client.open(uri, COMPOSE, 'dockercompose');
    const p = await client.waitForVersion(uri, (ds) => mine(ds).length === 4, 'the privilege findings');
    assert.deepEqual(mine(p.diagnostics), [
      { code: 'drop-capabilities', severity: 2, range: range(1, 2, 1, 7), message: "Service 'cache' keeps the runtime's default capabilities (no cap_drop: [ALL]): drop them all and add back only what it needs" },
      { code: 'no-privilege-escalation', severity: 2, range: range(1, 2, 1, 7), message: "Service 'cache' does not set no-new-privileges: a setuid binary in it can gain privileges (no-new-privileges in security_opt blocks that)" },
      { code: 'no-privileged', severity: 1, range: range(3, 4, 3, 20), message: "Service 'cache' runs privileged (privileged: true): it gets every capability and the host's devices, so a compromise of it is a compromise of the host" },
      { code: 'no-dangerous-capabilities', severity: 1, range: range(4, 14, 4, 23), message: "Service 'cache' adds SYS_ADMIN, which Docker does not grant by default: it widens what a compromise of the container can do to the host" },
    ]);
  });

  test('Compose: removing privileged is offered, not preferred, and gives the exact text', async () => {
    const uri = ws.uri('compose.yaml');
    const ds = (await client.waitForVersion(uri, (x) => mine(x).length === 4)).diagnostics;
    const d = ds.find((x) => x.code === 'no-privileged')!;
    const actions = (await client.codeActions(uri, [d], ['quickfix'])).filter((a) => a.kind !== 'quickfix.bulkhead.harden'); // Harden: test/lsp/harden.test.ts
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred === true]),
      [
        ['Remove privileged: true (add only the capabilities or devices the service needs)', false],
        ['Ignore no-privileged on this line', false],
        ['Ignore no-privileged in this file', false],
        ['Show documentation for no-privileged', false],
      ],
    );
    assert.equal(applyToDocument(actions[0].edit, uri, client.text(uri)), REMOVED);
  });

  test('Compose: fix-all applies only the preferred fixes (privileged and SYS_ADMIN stay)', async () => {
    const uri = ws.uri('compose.yaml');
    const ds = (await client.waitForVersion(uri, (x) => mine(x).length === 4)).diagnostics;
    const all = (await client.codeActions(uri, ds, ['source.fixAll.bulkhead'])).filter((a) => a.kind === 'source.fixAll.bulkhead');
    assert.equal(all.length, 1);
    const text = applyToDocument(all[0].edit, uri, client.text(uri));
    assert.equal(text, FIXED_ALL);
    await client.change(uri, text);
    const after = await client.waitForVersion(uri);
    assert.deepEqual(mine(after.diagnostics).map((d) => d.code), ['no-privileged', 'no-dangerous-capabilities']);
  });

  test('Kubernetes: a privileged container gets no allowPrivilegeEscalation finding (the API would refuse false)', async () => {
    const uri = ws.uri('deploy.yaml');
    await client.open(uri, DEPLOY, 'yaml');
    const p = await client.waitForVersion(uri, (ds) => mine(ds).length > 0, 'the privilege findings');
    assert.deepEqual(
      mine(p.diagnostics).map((d) => [d.code, d.severity, d.range]),
      [
        ['drop-capabilities', 2, range(8, 16, 8, 21)],
        ['no-privileged', 1, range(11, 12, 11, 28)],
      ],
    );
  });
});
