/**
 * no-host-namespaces, no-unconfined-profiles, no-host-ports and no-service-account-token
 * through the real server (push client): exact diagnostics and quick fixes on a manifest, and
 * the manifest re-checked when a ServiceAccount in another resource of its kustomization
 * changes (the token setting is read from there).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { range, TempWorkspace, serverPerSuite } from './workspace';
import { CATALOG_IDS } from '../../server/src/core/rule';

const RULES = ['no-host-namespaces', 'no-unconfined-profiles', 'no-host-ports', 'no-service-account-token'];

const MANIFEST =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: app\n          image: nginx:1.27\n          ports:\n            - containerPort: 8080\n              hostPort: 8080\n          securityContext:\n            seccompProfile:\n              type: Unconfined\n';
const SA = (automount: boolean) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: ${automount}\n`;
const KUSTOMIZATION = 'resources:\n  - deploy.yaml\n  - sa.yaml\n';

const HOST_NETWORK = "Deployment 'web' shares the host's network namespace (hostNetwork: true): it sees every host interface and can bind any host port";
const HOST_PORT = "Container 'app' binds host port 8080 (hostPort): it is reachable on the node's address, past network policies, and the pod can only run where the port is free";
const SECCOMP = "Container 'app' sets seccompProfile type: Unconfined: seccomp is off, so every system call reaches the node's kernel";
const TOKEN = "Deployment 'web' mounts the default service account's API token (automountServiceAccountToken is not false): anyone who takes over a container can call the Kubernetes API with it";

const own = (ds: Diagnostic[]) => ds.filter((d) => RULES.includes(String(d.code)));
const view = (ds: Diagnostic[]) => own(ds).map((d) => ({ code: d.code, range: d.range, message: d.message, severity: d.severity }));

describe('host namespaces, profiles, host ports and service-account tokens over LSP', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    ws.write('k/kustomization.yaml', KUSTOMIZATION);
    ws.write('k/sa.yaml', SA(true));
    const rules = Object.fromEntries(CATALOG_IDS.filter((id) => !RULES.includes(id)).map((id) => [id, 'off']));
    return { capabilities: pushCapabilities(), rootUri: ws.uri(''), settings: { rules } };
  });

  const uri = () => ws.uri('k/deploy.yaml');
  let diags: Diagnostic[];

  test('every finding with its exact range, message and severity', async () => {
    ws.write('k/deploy.yaml', MANIFEST);
    await client.open(uri(), MANIFEST, 'yaml');
    diags = own((await client.waitForVersion(uri(), (d) => own(d).length === 4, 'four findings')).diagnostics);
    assert.deepEqual(view(diags), [
      { code: 'no-host-namespaces', range: range(7, 19, 7, 23), message: HOST_NETWORK, severity: 1 },
      { code: 'no-service-account-token', range: range(9, 16, 9, 19), message: TOKEN, severity: 3 },
      { code: 'no-host-ports', range: range(13, 24, 13, 28), message: HOST_PORT, severity: 2 },
      { code: 'no-unconfined-profiles', range: range(16, 20, 16, 30), message: SECCOMP, severity: 1 },
    ]);
  });

  test('the removal fixes are offered, never preferred, and give the exact text', async () => {
    const [fix] = await client.codeActions(uri(), [diags[0]], ['quickfix']);
    assert.equal(fix.title, 'Remove hostNetwork: true (reach the pod through a Service or containerPort instead)');
    assert.equal(fix.isPreferred ?? false, false);
    assert.equal(applyToDocument(fix.edit, uri(), client.text(uri())), MANIFEST.replace('      hostNetwork: true\n', ''));
    const [port] = await client.codeActions(uri(), [diags[2]], ['quickfix']);
    assert.equal(port.title, 'Remove hostPort (reach the container through a Service instead)');
    assert.equal(applyToDocument(port.edit, uri(), client.text(uri())), MANIFEST.replace('              hostPort: 8080\n', ''));
  });

  test("turning the token off on the kustomization's ServiceAccount re-checks the manifest", async () => {
    const saUri = ws.uri('k/sa.yaml');
    await client.open(saUri, SA(true), 'yaml');
    const version = client.version(uri());
    ws.write('k/sa.yaml', SA(false));
    await client.change(saUri, SA(false));
    const after = await client.waitForDiagnostics(uri(), (p) => p.version === version && !own(p.diagnostics).some((d) => d.code === 'no-service-account-token'), 'the manifest without the token finding');
    assert.deepEqual(own(after.diagnostics).map((d) => d.code), ['no-host-namespaces', 'no-host-ports', 'no-unconfined-profiles']);
  });
});
