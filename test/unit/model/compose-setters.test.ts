/**
 * Compose setters: exact text after plan.build(), a strict re-parse (duplicate keys are
 * errors), and the same setter on the result is a no-op (idempotent).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyEdits } from '../../../server/src/core/engine';
import type { ContainerSpec } from '../../../server/src/core/model/container';
import type { Plan } from '../../../server/src/core/model/facts';
import { buildComposeModel, type ComposeModel } from '../../../server/src/core/model/fromCompose';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';

type Target = 'compose' | 'stack';

function composeModel(text: string, target: Target = 'compose'): ComposeModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildComposeModel({ text, index: new TextIndex(text) }, docs, { nonRootImages: [], target });
}

type Action = (c: ContainerSpec, m: ComposeModel) => Plan | null | undefined;

/** The text after the plan is built and applied; null when the setter refuses (no plan, or build null). */
function run(text: string, action: Action, target: Target = 'compose', name = 'app'): string | null {
  const m = composeModel(text, target);
  const c = m.containers.find((x) => x.name === name) ?? m.containers[0];
  const p = action(c, m);
  if (p === undefined) return text; // nothing left to act on
  if (!p) return null;
  const change = p.build();
  if (!change) return null;
  return applyEdits(text, change.edits);
}

function strictParse(text: string): string[] {
  return parseDocument(text, { uniqueKeys: true, prettyErrors: false }).errors.map((e) => e.message);
}

type Case = [name: string, input: string, action: Action, expected: string | null, target?: Target];

function table(title: string, cases: Case[]) {
  describe(title, () => {
    for (const [name, input, action, expected, target] of cases) {
      test(name, () => {
        const out = run(input, action, target);
        assert.equal(out, expected);
        if (out === null) return;
        assert.deepEqual(strictParse(out), [], 'the result parses strictly');
        const again = run(out, action, target);
        assert.equal(again, out, 'the same setter on the result changes nothing');
      });
    }
  });
}

const S = (body: string) => `services:\n  app:\n    image: nginx:1.27\n${body}`;
const BASE = 'x-base: &base\n  image: nginx:1.27\n  read_only: false\n  deploy:\n    replicas: 2\n  security_opt: [seccomp=unconfined]\n';

table('boolean facts: set and remove', [
  ['read_only: true added', S(''), (c) => c.security.readOnlyRootFilesystem.set(true), S('    read_only: true\n')],
  ['read_only: false replaced', S('    read_only: false # keep\n'), (c) => c.security.readOnlyRootFilesystem.set(true), S('    read_only: true # keep\n')],
  ['read_only: in a flow service', 'services: {app: {image: a}}\n', (c) => c.security.readOnlyRootFilesystem.set(true), 'services: {app: {image: a, read_only: true}}\n'],
  ['a merged read_only: false is overridden on the service, the anchor untouched', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.security.readOnlyRootFilesystem.set(true), `${BASE}services:\n  app:\n    <<: *base\n    read_only: true\n`],
  ['privileged removed', S('    privileged: true\n    user: "1000"\n'), (c) => c.security.privileged.remove(), S('    user: "1000"\n')],
  ['a merged privileged cannot be removed', 'x: &x\n  privileged: true\nservices:\n  app:\n    <<: *x\n    image: a\n', (c) => c.security.privileged.remove(), null],
  ['network_mode: host removed', S('    network_mode: host\n'), (c) => c.namespaces.network.remove(), S('')],
  ['CRLF', 'services:\r\n  app:\r\n    image: a\r\n', (c) => c.security.readOnlyRootFilesystem.set(true), 'services:\r\n  app:\r\n    image: a\r\n    read_only: true\r\n'],
  ['no trailing newline', 'services:\n  app:\n    image: a', (c) => c.security.readOnlyRootFilesystem.set(true), 'services:\n  app:\n    image: a\n    read_only: true'],
  ['a service that carries an anchor is never edited', 'services:\n  app: &app\n    image: a\n  b:\n    <<: *app\n', (c) => c.security.readOnlyRootFilesystem.set(true), null],
]);

table('no-new-privileges and security_opt entries', [
  ['created', S(''), (c) => c.security.noNewPrivileges.set(true), S('    security_opt:\n      - no-new-privileges=true\n')],
  ['appended to a block list', S('    security_opt:\n      - seccomp=default.json\n'), (c) => c.security.noNewPrivileges.set(true), S('    security_opt:\n      - seccomp=default.json\n      - no-new-privileges=true\n')],
  ['appended to a flow list, in its `:` style', S('    security_opt: ["apparmor:docker-default"]\n'), (c) => c.security.noNewPrivileges.set(true), S('    security_opt: ["apparmor:docker-default", no-new-privileges:true]\n')],
  ['a false entry is rewritten in place', S('    security_opt:\n      - no-new-privileges=false\n'), (c) => c.security.noNewPrivileges.set(true), S('    security_opt:\n      - no-new-privileges=true\n')],
  ['a quoted `:` false entry keeps its quotes', S('    security_opt: ["no-new-privileges:0"]\n'), (c) => c.security.noNewPrivileges.set(true), S('    security_opt: ["no-new-privileges:true"]\n')],
  ['an unparseable value is replaced', S('    security_opt:\n      - no-new-privileges=yes\n'), (c) => c.security.noNewPrivileges.set(true), S('    security_opt:\n      - no-new-privileges=true\n')],
  ['not in a stack (security_opt is ignored there)', S(''), (c) => c.security.noNewPrivileges.set(true), null, 'stack'],
  ['not into a merged list (the service would lose the anchor\'s entries)', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.security.noNewPrivileges.set(true), null],
  ['seccomp=unconfined removed (the last entry: the key goes)', S('    security_opt: [seccomp=unconfined]\n    user: "1"\n'), (c) => c.security.seccomp.remove(), S('    user: "1"\n')],
  ['seccomp:unconfined removed, others kept', S('    security_opt:\n      - seccomp:unconfined\n      - no-new-privileges:true\n'), (c) => c.security.seccomp.remove(), S('    security_opt:\n      - no-new-privileges:true\n')],
  ['label=disable removed', S('    security_opt:\n      - label=disable\n      - no-new-privileges\n'), (c) => c.security.selinux.remove(), S('    security_opt:\n      - no-new-privileges\n')],
]);

table('capabilities', [
  ['cap_drop: [ALL] created', S(''), (c) => c.security.capDrop.add('ALL'), S('    cap_drop:\n      - ALL\n')],
  ['ALL added to a flow list', S('    cap_drop: [NET_RAW]\n'), (c) => c.security.capDrop.add('ALL'), S('    cap_drop: [NET_RAW, ALL]\n')],
  ['a scalar cap_drop becomes a list', S('    cap_drop: NET_RAW\n'), (c) => c.security.capDrop.add('ALL'), S('    cap_drop:\n      - NET_RAW\n      - ALL\n')],
  ['`all` already drops ALL (case-insensitive)', S('    cap_drop: [all]\n'), (c) => c.security.capDrop.add('ALL'), S('    cap_drop: [all]\n')],
  ['CAP_SYS_ADMIN removed from cap_add', S('    cap_add:\n      - CAP_SYS_ADMIN\n      - CHOWN\n'), (c) => c.security.capAdd.items.find((i) => i.value === 'SYS_ADMIN')?.remove(), S('    cap_add:\n      - CHOWN\n')],
]);

table('mounts: read-only', [
  ['short syntax: `:ro` appended', S('    volumes:\n      - /etc:/host/etc\n'), (c) => c.mounts[0].setReadOnly(), S('    volumes:\n      - /etc:/host/etc:ro\n')],
  ['short syntax in double quotes keeps them', S('    volumes:\n      - "/var/run/docker.sock:/var/run/docker.sock"\n'), (c) => c.mounts[0].setReadOnly(), S('    volumes:\n      - "/var/run/docker.sock:/var/run/docker.sock:ro"\n')],
  ["short syntax in single quotes keeps them", S("    volumes: ['/etc:/e']\n"), (c) => c.mounts[0].setReadOnly(), S("    volumes: ['/etc:/e:ro']\n")],
  ['`:rw` becomes `:ro`', S('    volumes:\n      - /etc:/e:rw\n'), (c) => c.mounts[0].setReadOnly(), S('    volumes:\n      - /etc:/e:ro\n')],
  ['`:z` becomes `:z,ro` (quoted: the edit layer keeps `,` out of plain scalars)', S('    volumes:\n      - /etc:/e:z\n'), (c) => c.mounts[0].setReadOnly(), S('    volumes:\n      - "/etc:/e:z,ro"\n')],
  ['long syntax: read_only: true', S('    volumes:\n      - type: bind\n        source: /etc\n        target: /e\n'), (c) => c.mounts[0].setReadOnly(), S('    volumes:\n      - type: bind\n        source: /etc\n        target: /e\n        read_only: true\n')],
  ['long syntax: read_only: false replaced', S('    volumes:\n      - {type: bind, source: /etc, target: /e, read_only: false}\n'), (c) => c.mounts[0].setReadOnly(), S('    volumes:\n      - {type: bind, source: /etc, target: /e, read_only: true}\n')],
  ['a merged volume is not edited', 'x: &x\n  volumes: [/etc:/e]\nservices:\n  app:\n    <<: *x\n    image: a\n', (c) => c.mounts[0].setReadOnly(), null],
  ['a bind mount removed', S('    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ./data:/data\n'), (c) => c.mounts.find((x) => x.source === '/var/run/docker.sock')?.remove(), S('    volumes:\n      - ./data:/data\n')],
]);

table('addWritablePath: a bounded tmpfs', [
  ['compose: tmpfs created', S(''), (c) => c.setters.addWritablePath?.('/tmp', 64), S('    tmpfs:\n      - /tmp:size=64m\n')],
  ['compose: a scalar tmpfs becomes a list', S('    tmpfs: /run\n'), (c) => c.setters.addWritablePath?.('/tmp', 64), S('    tmpfs:\n      - /run\n      - /tmp:size=64m\n')],
  ['compose: appended to a flow list', S('    tmpfs: [/run]\n'), (c) => c.setters.addWritablePath?.('/tmp', 64), S('    tmpfs: [/run, /tmp:size=64m]\n')],
  ['compose: something writable already at /tmp', S('    volumes: [scratch:/tmp]\n'), (c) => c.setters.addWritablePath?.('/tmp', 64), S('    volumes: [scratch:/tmp]\n')],
  ['stack: a type: tmpfs volume with an integer size in bytes', S(''), (c) => c.setters.addWritablePath?.('/tmp', 64), S('    volumes:\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 67108864\n'), 'stack'],
  ['stack: appended to the volumes list', `version: "3.8"\n${S('    volumes:\n      - data:/data\n')}`, (c) => c.setters.addWritablePath?.('/tmp', 64), `version: "3.8"\n${S('    volumes:\n      - data:/data\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 67108864\n')}`, 'stack'],
  ['stack: version 3.5 has no tmpfs.size', `version: "3.5"\n${S('')}`, (c) => c.setters.addWritablePath?.('/tmp', 64), null, 'stack'],
  ['legacy v1 has no tmpfs', 'app:\n  image: a\n', (c) => c.setters.addWritablePath?.('/tmp', 64), null],
]);

table('setLimits and resource facts', [
  ['deploy.resources.limits created', S(''), (c) => c.setters.setLimits?.({ memory: '512m', cpu: '0.5' }), S('    deploy:\n      resources:\n        limits:\n          memory: "512m"\n          cpus: "0.5"\n')],
  ['into an existing deploy', S('    deploy:\n      replicas: 2\n'), (c) => c.setters.setLimits?.({ memory: '512m' }), S('    deploy:\n      replicas: 2\n      resources:\n        limits:\n          memory: "512m"\n')],
  ['into existing limits', S('    deploy:\n      resources:\n        limits:\n          cpus: "1"\n'), (c) => c.setters.setLimits?.({ memory: '512m', pids: 100 }), S('    deploy:\n      resources:\n        limits:\n          cpus: "1"\n          memory: "512m"\n          pids: 100\n')],
  ['a service using the short keys gets the short keys', S('    mem_limit: 1g\n'), (c) => c.setters.setLimits?.({ memory: '1g', cpu: '0.5', pids: 100 }), S('    mem_limit: 1g\n    cpus: 0.5\n    pids_limit: 100\n')],
  ['refused under a merged deploy', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.setters.setLimits?.({ memory: '512m' }), null],
  ['stack: the short keys move into deploy', S('    mem_limit: 1g\n'), (c) => c.setters.setLimits?.({ memory: '1g' }), S('    deploy:\n      resources:\n        limits:\n          memory: "1g"\n'), 'stack'],
  ['stack: pids needs version 3.9', `version: "3.8"\n${S('')}`, (c) => c.setters.setLimits?.({ pids: 100 }), null, 'stack'],
  ['legacy v1: mem_limit', 'app:\n  image: a\n', (c) => c.setters.setLimits?.({ memory: '256m' }), 'app:\n  image: a\n  mem_limit: "256m"\n'],
  ['memoryLimit.set on the spelling in use', S('    mem_limit: 1g\n'), (c) => c.resources.memoryLimit.set('2g'), S('    mem_limit: "2g"\n')],
]);

table('networks: encrypted overlay', [
  ['driver_opts created', 'services:\n  app:\n    image: a\nnetworks:\n  back:\n    driver: overlay\n', (_c, m) => m.networks[0].setEncrypted(), 'services:\n  app:\n    image: a\nnetworks:\n  back:\n    driver: overlay\n    driver_opts:\n      encrypted: "true"\n'],
  ['merged into existing driver_opts', 'services:\n  app:\n    image: a\nnetworks:\n  back:\n    driver: overlay\n    driver_opts: {com.docker.network.driver.mtu: "1400"}\n', (_c, m) => m.networks[0].setEncrypted(), 'services:\n  app:\n    image: a\nnetworks:\n  back:\n    driver: overlay\n    driver_opts: {com.docker.network.driver.mtu: "1400", encrypted: "true"}\n'],
  ['an empty network', 'services:\n  app:\n    image: a\nnetworks:\n  back:\n', (_c, m) => m.networks[0].setEncrypted(), 'services:\n  app:\n    image: a\nnetworks:\n  back:\n    driver_opts:\n      encrypted: "true"\n', 'stack'],
  ['the implicit default network of a stack', 'services:\n  app:\n    image: a\n', (_c, m) => m.networks[0].setEncrypted(), 'services:\n  app:\n    image: a\nnetworks:\n  default:\n    driver_opts:\n      encrypted: "true"\n', 'stack'],
  ['an external network: no fix', 'services:\n  app:\n    image: a\nnetworks:\n  back:\n    external: true\n', (_c, m) => m.networks[0].setEncrypted(), null],
]);

describe('runAsUser', () => {
  const user = (text: string) => {
    const c = composeModel(text).containers[0];
    const r = c.setters.runAsUser('10001:10001');
    return r ? applyEdits(text, r.edits!) : null;
  };
  test('a merged root user is overridden on the service, never in the anchor', () => {
    const text = 'x: &x\n  image: a\n  user: root\nservices:\n  app:\n    <<: *x\n';
    assert.equal(user(text), 'x: &x\n  image: a\n  user: root\nservices:\n  app:\n    <<: *x\n    user: "10001:10001"\n');
  });
  test('an own user replaced, an empty one filled', () => {
    assert.equal(user(S('    user: root\n')), S('    user: "10001:10001"\n'));
    assert.equal(user(S('    user:\n')), S('    user: "10001:10001"\n'));
  });
});

/** Issue 11 item 7: the Compose secret fix (envToSecret) on the new edit layer. */
describe('envToSecret (issue 11 reproducers)', () => {
  const secret = (text: string, name: string, fileVariable: string | null = null, svcName = 'app') => {
    const m = composeModel(text);
    const c = m.containers.find((x) => x.name === svcName)!;
    const env = c.env.find((e) => e.name === name)!;
    const edits = c.setters.envToSecret?.(env, { name: 'db_password', key: './secrets/db_password.txt', fileVariable });
    return edits ? applyEdits(text, edits) : null;
  };
  const check = (out: string | null, want: string | null) => {
    assert.equal(out, want);
    if (out !== null) assert.deepEqual(strictParse(out), []);
  };

  test('without a trailing newline: no glued text, no invented service', () => {
    const text = 'services:\n  app:\n    image: postgres:16\n    environment:\n      - DB_PASSWORD=hunter2';
    check(secret(text, 'DB_PASSWORD'), 'services:\n  app:\n    image: postgres:16\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt');
  });

  test('without a trailing newline, map form with a file variable', () => {
    const text = 'services:\n  app:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2';
    check(
      secret(text, 'POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE'),
      'services:\n  app:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt',
    );
  });

  test("removing the last environment entry keeps `environment: {}` so the anchor's variables stay off", () => {
    const text = 'x-base: &base\n  image: postgres:16\n  environment:\n    DEBUG: "1"\nservices:\n  app:\n    <<: *base\n    environment:\n      DB_PASSWORD: hunter2\n';
    check(
      secret(text, 'DB_PASSWORD'),
      'x-base: &base\n  image: postgres:16\n  environment:\n    DEBUG: "1"\nservices:\n  app:\n    <<: *base\n    environment: {}\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n',
    );
  });

  test('the last list entry, with a merge: `environment: []`', () => {
    const text = 'x-base: &base\n  image: a\n  environment: [DEBUG=1]\nservices:\n  app:\n    <<: *base\n    environment:\n      - DB_PASSWORD=hunter2\n';
    const out = secret(text, 'DB_PASSWORD');
    assert.ok(out?.includes('    environment: []\n'), String(out));
    assert.deepEqual(strictParse(out!), []);
  });

  test('an anchored environment that an alias uses elsewhere is never edited (the anchor would go)', () => {
    const text = 'services:\n  app:\n    image: a\n    environment: &env\n      DB_PASSWORD: hunter2\nx-other:\n  environment: *env\n';
    assert.equal(composeModel(text).containers[0].env[0].shared, true);
    check(secret(text, 'DB_PASSWORD'), null);
  });

  test('an anchored environment nobody uses is edited', () => {
    const text = 'services:\n  app:\n    image: a\n    environment: &env\n      DB_PASSWORD: hunter2\n      A: b\n';
    check(secret(text, 'DB_PASSWORD'), 'services:\n  app:\n    image: a\n    environment: &env\n      A: b\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n');
  });

  test('a multi-line quoted list item is replaced whole', () => {
    const text = 'services:\n  app:\n    image: postgres:16\n    environment:\n      - "POSTGRES_PASSWORD=hunter2\n        and more"\n      - A=b\n';
    check(
      secret(text, 'POSTGRES_PASSWORD', 'POSTGRES_PASSWORD_FILE'),
      'services:\n  app:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n      - A=b\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n',
    );
  });

  test('a multi-line quoted list item is removed whole', () => {
    const text = 'services:\n  app:\n    image: a\n    environment:\n      - "DB_PASSWORD=hunter2\n        and more"\n      - A=b\n';
    check(secret(text, 'DB_PASSWORD'), 'services:\n  app:\n    image: a\n    environment:\n      - A=b\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n');
  });

  test('an existing secrets list and top-level secrets are extended in their style', () => {
    const text = 'services:\n  app:\n    image: a\n    environment:\n      DB_PASSWORD: x\n      A: b\n    secrets: [other]\nsecrets:\n  other:\n    file: ./o.txt\n';
    check(secret(text, 'DB_PASSWORD'), 'services:\n  app:\n    image: a\n    environment:\n      A: b\n    secrets: [other, db_password]\nsecrets:\n  other:\n    file: ./o.txt\n  db_password:\n    file: ./secrets/db_password.txt\n');
  });

  test('a merged environment: no edit', () => {
    check(secret('x: &x\n  environment:\n    DB_PASSWORD: x\nservices:\n  app:\n    <<: *x\n    image: a\n', 'DB_PASSWORD'), null);
  });
});

table('file formats: legacy v1 and stack versions', [
  ['v1: security_opt is a v1 key', 'app:\n  image: a\n', (c) => c.security.noNewPrivileges.set(true), 'app:\n  image: a\n  security_opt:\n    - no-new-privileges=true\n'],
  ['v1: net: host removed', 'app:\n  image: a\n  net: host\n  privileged: true\n', (c) => c.namespaces.network.remove(), 'app:\n  image: a\n  privileged: true\n'],
  ['v1: privileged removed', 'app:\n  image: a\n  privileged: true\n', (c) => c.security.privileged.remove(), 'app:\n  image: a\n'],
  ['v1: read_only exists', 'app:\n  image: a\n', (c) => c.security.readOnlyRootFilesystem.set(true), 'app:\n  image: a\n  read_only: true\n'],
  ['v1: no use_api_socket', 'app:\n  image: a\n', (c) => c.security.useApiSocket.set(false), 'app:\n  image: a\n'],
  ['v1: no deploy, so no cpu limit', 'app:\n  image: a\n', (c) => c.setters.setLimits?.({ memory: '256m', cpu: '1' }), null],
  ['stack 3.6: tmpfs volume', `version: "3.6"\n${S('')}`, (c) => c.setters.addWritablePath?.('/var/cache/nginx', 16), `version: "3.6"\n${S('    volumes:\n      - type: tmpfs\n        target: /var/cache/nginx\n        tmpfs:\n          size: 16777216\n')}`, 'stack'],
  ['stack 2.4 is refused by docker stack deploy', `version: "2.4"\n${S('')}`, (c) => c.setters.addWritablePath?.('/tmp', 64), null, 'stack'],
  ['stack 3.9: pids', `version: "3.9"\n${S('')}`, (c) => c.setters.setLimits?.({ pids: 100 }), `version: "3.9"\n${S('    deploy:\n      resources:\n        limits:\n          pids: 100\n')}`, 'stack'],
  ['stack: a merged tmpfs volume list is not extended', 'x: &x\n  volumes: [data:/data]\nservices:\n  app:\n    <<: *x\n    image: a\n', (c) => c.setters.addWritablePath?.('/tmp', 64), null, 'stack'],
]);

table('more merges and aliases', [
  ['a user that is an alias is replaced on the service, the anchor kept', 'x-u: &u root\nservices:\n  app:\n    image: a\n    user: *u\n', (c) => {
    const r = c.setters.runAsUser('10001:10001');
    return r ? { build: () => (r.edits ? { edits: r.edits } : null) } : null;
  }, 'x-u: &u root\nservices:\n  app:\n    image: a\n    user: "10001:10001"\n'],
  ['a network written in an anchor is not edited', 'x-n: &n\n  driver: overlay\nservices:\n  app:\n    image: a\nnetworks:\n  back: *n\n', (_c, m) => m.networks[0].setEncrypted(), null],
  ['a merged capability list is not extended (the service would lose its items)', 'x: &x\n  cap_drop: [NET_RAW]\nservices:\n  app:\n    <<: *x\n    image: a\n', (c) => c.security.capDrop.add('ALL'), null],
  ['a merged tmpfs string is not extended', 'x: &x\n  tmpfs: /run\nservices:\n  app:\n    <<: *x\n    image: a\n', (c) => c.setters.addWritablePath?.('/tmp', 64), null],
  ['security_opt entries added as written', S('    security_opt: [label=disable]\n'), (c) => c.security.securityOpt.add('seccomp=default.json'), S('    security_opt: [label=disable, seccomp=default.json]\n')],
  ['seccomp set rewrites the value in place', S('    security_opt:\n      - seccomp:unconfined\n'), (c) => c.security.seccomp.set('./seccomp.json'), S('    security_opt:\n      - seccomp:./seccomp.json\n')],
]);
