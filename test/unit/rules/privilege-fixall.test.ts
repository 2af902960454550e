/**
 * Fix-all over every rule on containers that are privileged or add CAP_SYS_ADMIN: the API
 * refuses allowPrivilegeEscalation: false next to them, so fix-all must never write it there
 * (removing privileged / CAP_SYS_ADMIN is never preferred, so they stay); a container next to
 * them is fixed as usual.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig } from '../../../server/src/core/config';
import { engine } from '../../../server/src/rules';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: priv
          image: example/agent:1
          securityContext:
            privileged: true
        - name: admin
          image: example/fuse:1
          securityContext:
            capabilities:
              add: [CAP_SYS_ADMIN]
        - name: app
          image: nginxinc/nginx-unprivileged:1.27
`;

describe('fix-all and the API rules for allowPrivilegeEscalation', () => {
  test('privileged and CAP_SYS_ADMIN containers keep their settings and get no allowPrivilegeEscalation: false', () => {
    const r = engine.fixAll({ text: DEPLOY, path: 'deploy.yaml' }, mergeConfig());
    const blocks = r.text.split('        - name: ');
    const priv = blocks.find((b) => b.startsWith('priv\n'))!;
    const admin = blocks.find((b) => b.startsWith('admin\n'))!;
    const app = blocks.find((b) => b.startsWith('app\n'))!;
    assert.match(priv, /privileged: true/);
    assert.doesNotMatch(priv, /allowPrivilegeEscalation/);
    assert.match(admin, /CAP_SYS_ADMIN/);
    assert.doesNotMatch(admin, /allowPrivilegeEscalation/);
    assert.match(app, /allowPrivilegeEscalation: false/);
    assert.match(app, /drop:\n\s+- ALL/);
    const left = r.result.findings.filter((f) => f.rule === 'no-privilege-escalation');
    assert.deepEqual(left, [], 'no escalation finding is left, none is reported where false is refused');
    assert.deepEqual(r.result.findings.filter((f) => f.rule === 'no-privileged' || f.rule === 'no-dangerous-capabilities').map((f) => f.rule), ['no-privileged', 'no-dangerous-capabilities']);
  });
});
