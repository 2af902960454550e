/**
 * The host-access rules (no-docker-socket, no-sensitive-host-mounts, resource-limits,
 * encrypted-overlay-network) through the real server on one stack file: exact diagnostics,
 * the code actions offered (none preferred; no-docker-socket only the ignore actions) and
 * the exact text of a fix.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { range, TempWorkspace, serverPerSuite } from './workspace';

const RULES = new Set(['no-docker-socket', 'no-sensitive-host-mounts', 'resource-limits', 'encrypted-overlay-network']);

const STACK = "version: '3.9'\nservices:\n  agent:\n    image: portainer/agent:2.21.0\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - /etc:/host/etc\n    deploy:\n      resources:\n        limits: {memory: 128m}\nnetworks:\n  default:\n    driver: overlay\n";
const RO = STACK.replace('/etc:/host/etc', '/etc:/host/etc:ro');

const mine = (ds: Diagnostic[]) =>
  ds.filter((d) => RULES.has(String(d.code))).map((d) => ({ code: String(d.code), severity: d.severity, range: d.range, message: d.message }));

describe('host-access rules, push client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => ({ capabilities: pushCapabilities(), rootUri: ws.uri('') }));

  test('stack file: socket, /etc and the unencrypted overlay, exact ranges and severities', async () => {
    const uri = ws.uri('app-stack.yml');
    await client.open(uri, STACK, 'dockercompose');
    const p = await client.waitForVersion(uri, (ds) => mine(ds).length === 3, 'the host-access findings');
    assert.deepEqual(mine(p.diagnostics), [
      { code: 'no-docker-socket', severity: 1, range: range(5, 8, 5, 28), message: "Service 'agent' mounts the Docker socket (/var/run/docker.sock): whoever reaches it can start a privileged container and own the host (read-only does not help)" },
      { code: 'no-sensitive-host-mounts', severity: 2, range: range(6, 8, 6, 12), message: "Service 'agent' mounts the host's /etc writable: a compromise of the container can change the host" },
      { code: 'encrypted-overlay-network', severity: 3, range: range(11, 2, 11, 9), message: "Network 'default' is an overlay without encryption: traffic between services on different nodes crosses the network in clear" },
    ]);
  });

  test('no-docker-socket offers only the ignore actions; the :ro fix is offered, not preferred, with the exact text', async () => {
    const uri = ws.uri('app-stack.yml');
    const ds = (await client.waitForVersion(uri, (x) => mine(x).length === 3)).diagnostics;
    const sock = await client.codeActions(uri, [ds.find((x) => x.code === 'no-docker-socket')!], ['quickfix']);
    assert.deepEqual(sock.map((a) => [a.title, a.isPreferred === true]), [
      ['Ignore no-docker-socket on this line', false],
      ['Ignore no-docker-socket in this file', false],
      ['Show documentation for no-docker-socket', false],
    ]);
    const etc = await client.codeActions(uri, [ds.find((x) => x.code === 'no-sensitive-host-mounts')!], ['quickfix']);
    assert.deepEqual(etc.map((a) => [a.title, a.isPreferred === true])[0], ['Mount it read-only (:ro; the container can no longer write there)', false]);
    assert.equal(applyToDocument(etc[0].edit, uri, client.text(uri)), RO);
  });
});
