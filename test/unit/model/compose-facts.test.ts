/**
 * The Compose fact model: every fact with its effective value, origin, span (as text) and
 * path, for every spelling RULES.md lists; merges, legacy v1 files and stack files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSpec, MountFact } from '../../../server/src/core/model/container';
import type { Fact, ListFact } from '../../../server/src/core/model/facts';
import { buildComposeModel, type ComposeModel } from '../../../server/src/core/model/fromCompose';
import { parseSecurityOpt, parseGoBool, normaliseCapability } from '../../../server/src/core/model/composeFacts';
import { splitVolume } from '../../../server/src/core/model/composeMounts';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex, type Span } from '../../../server/src/core/text';
import { mergeConfig } from '../../../server/src/core/config';
import { engine } from '../../../server/src/rules';

export function composeModel(text: string, target: 'compose' | 'stack' = 'compose'): ComposeModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildComposeModel({ text, index: new TextIndex(text) }, docs, { nonRootImages: [], target });
}

function svc(text: string, name = 'app', target: 'compose' | 'stack' = 'compose'): ContainerSpec {
  const c = composeModel(text, target).containers.find((x) => x.name === name);
  assert.ok(c, `no service ${name}`);
  return c;
}

const slice = (text: string, s: Span | null | undefined) => (s ? text.slice(s.start, s.end) : null);

/** A fact as a row: value, origin, the text its span covers, the text its key span covers, path. */
function row<T>(text: string, f: Fact<T>): [T, string, string | null, string | null, string | null] {
  return [f.value, f.origin, slice(text, f.span), slice(text, f.keySpan), f.path ? f.path.join('.') : null];
}

function listRow<V>(text: string, l: ListFact<V>): [V[], string[], string[], string, string | null] {
  return [l.items.map((i) => i.value), l.items.map((i) => i.raw), l.items.map((i) => `${slice(text, i.span)}@${i.origin}`), l.origin, slice(text, l.keySpan)];
}

const S = (body: string) => `services:\n  app:\n    image: nginx:1.27\n${body}`;

type FactCase<T> = [name: string, text: string, pick: (c: ContainerSpec) => Fact<T>, expected: ReturnType<typeof row<T>>];

function factTable<T>(title: string, cases: FactCase<T>[], target: 'compose' | 'stack' = 'compose') {
  describe(title, () => {
    for (const [name, text, pick, expected] of cases) {
      test(name, () => assert.deepEqual(row(text, pick(svc(text, 'app', target))), expected));
    }
  });
}

const BASE = 'x-base: &base\n  image: nginx:1.27\n  privileged: true\n  read_only: false\n  network_mode: host\n  deploy:\n    resources:\n      limits:\n        memory: 256m\n';

factTable<boolean>('booleans: privileged, read_only, use_api_socket', [
  ['privileged: true', S('    privileged: true\n'), (c) => c.security.privileged, [true, 'own', 'true', 'privileged', 'privileged']],
  ['privileged: false', S('    privileged: false\n'), (c) => c.security.privileged, [false, 'own', 'false', 'privileged', 'privileged']],
  ['privileged: "true" (a string Compose converts)', S('    privileged: "true"\n'), (c) => c.security.privileged, [true, 'own', '"true"', 'privileged', 'privileged']],
  ['privileged: yes', S('    privileged: yes\n'), (c) => c.security.privileged, [true, 'own', 'yes', 'privileged', 'privileged']],
  ['privileged absent: default false', S(''), (c) => c.security.privileged, [false, 'default', null, null, null]],
  ['privileged: (empty) counts as absent, key kept', S('    privileged:\n'), (c) => c.security.privileged, [false, 'default', null, 'privileged', 'privileged']],
  ['privileged merged from an anchor', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.security.privileged, [true, 'merged', 'true', 'privileged', 'privileged']],
  ['own key wins over a merged one', `${BASE}services:\n  app:\n    <<: *base\n    privileged: false\n`, (c) => c.security.privileged, [false, 'own', 'false', 'privileged', 'privileged']],
  ['read_only: true', S('    read_only: true\n'), (c) => c.security.readOnlyRootFilesystem, [true, 'own', 'true', 'read_only', 'read_only']],
  ['read_only merged false', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.security.readOnlyRootFilesystem, [false, 'merged', 'false', 'read_only', 'read_only']],
  ['use_api_socket: true', S('    use_api_socket: true\n'), (c) => c.security.useApiSocket, [true, 'own', 'true', 'use_api_socket', 'use_api_socket']],
  ['a flow-style service', 'services: {app: {image: a, privileged: true}}\n', (c) => c.security.privileged, [true, 'own', 'true', 'privileged', 'privileged']],
]);

factTable<boolean>('no-new-privileges from security_opt (every spelling)', [
  ['bare', S('    security_opt:\n      - no-new-privileges\n'), (c) => c.security.noNewPrivileges, [true, 'own', 'no-new-privileges', 'security_opt', 'security_opt.0']],
  ['=true', S('    security_opt: [no-new-privileges=true]\n'), (c) => c.security.noNewPrivileges, [true, 'own', 'no-new-privileges=true', 'security_opt', 'security_opt.0']],
  [':true (deprecated separator)', S('    security_opt:\n      - no-new-privileges:true\n'), (c) => c.security.noNewPrivileges, [true, 'own', 'no-new-privileges:true', 'security_opt', 'security_opt.0']],
  ['=1', S('    security_opt: ["no-new-privileges=1"]\n'), (c) => c.security.noNewPrivileges, [true, 'own', '"no-new-privileges=1"', 'security_opt', 'security_opt.0']],
  [':t', S('    security_opt: ["no-new-privileges:t"]\n'), (c) => c.security.noNewPrivileges, [true, 'own', '"no-new-privileges:t"', 'security_opt', 'security_opt.0']],
  ['=T', S('    security_opt: [no-new-privileges=T]\n'), (c) => c.security.noNewPrivileges, [true, 'own', 'no-new-privileges=T', 'security_opt', 'security_opt.0']],
  ['=TRUE', S('    security_opt: [no-new-privileges=TRUE]\n'), (c) => c.security.noNewPrivileges, [true, 'own', 'no-new-privileges=TRUE', 'security_opt', 'security_opt.0']],
  ['=True', S('    security_opt: [no-new-privileges=True]\n'), (c) => c.security.noNewPrivileges, [true, 'own', 'no-new-privileges=True', 'security_opt', 'security_opt.0']],
  ['=false: value false, the entry spanned', S('    security_opt:\n      - seccomp=unconfined\n      - no-new-privileges=false\n'), (c) => c.security.noNewPrivileges, [false, 'own', 'no-new-privileges=false', 'security_opt', 'security_opt.1']],
  [':0', S('    security_opt: [no-new-privileges:0]\n'), (c) => c.security.noNewPrivileges, [false, 'own', 'no-new-privileges:0', 'security_opt', 'security_opt.0']],
  ['=yes is not a Go bool: false, raw kept', S('    security_opt: [no-new-privileges=yes]\n'), (c) => c.security.noNewPrivileges, [false, 'own', 'no-new-privileges=yes', 'security_opt', 'security_opt.0']],
  ['the last entry wins', S('    security_opt: [no-new-privileges, "no-new-privileges=false"]\n'), (c) => c.security.noNewPrivileges, [false, 'own', '"no-new-privileges=false"', 'security_opt', 'security_opt.1']],
  ['absent', S('    security_opt: [seccomp=unconfined]\n'), (c) => c.security.noNewPrivileges, [false, 'default', null, 'security_opt', null]],
  ['no security_opt', S(''), (c) => c.security.noNewPrivileges, [false, 'default', null, null, null]],
  ['merged list', 'x-s: &s\n  security_opt: [no-new-privileges:true]\nservices:\n  app:\n    <<: *s\n    image: a\n', (c) => c.security.noNewPrivileges, [true, 'merged', 'no-new-privileges:true', 'security_opt', 'security_opt.0']],
  ['a list that is an alias', 'x-l: &l [no-new-privileges]\nservices:\n  app:\n    image: a\n    security_opt: *l\n', (c) => c.security.noNewPrivileges, [true, 'merged', 'no-new-privileges', 'security_opt', 'security_opt.0']],
]);

factTable<string | null>('seccomp, apparmor, SELinux label, systempaths from security_opt', [
  ['seccomp=unconfined', S('    security_opt: [seccomp=unconfined]\n'), (c) => c.security.seccomp, ['unconfined', 'own', 'seccomp=unconfined', 'security_opt', 'security_opt.0']],
  ['seccomp:unconfined', S('    security_opt: ["seccomp:unconfined"]\n'), (c) => c.security.seccomp, ['unconfined', 'own', '"seccomp:unconfined"', 'security_opt', 'security_opt.0']],
  ['seccomp with a profile path', S('    security_opt: [seccomp=./profile.json]\n'), (c) => c.security.seccomp, ['./profile.json', 'own', 'seccomp=./profile.json', 'security_opt', 'security_opt.0']],
  ['apparmor=unconfined', S('    security_opt:\n      - apparmor=unconfined\n'), (c) => c.security.apparmor, ['unconfined', 'own', 'apparmor=unconfined', 'security_opt', 'security_opt.0']],
  ['apparmor:docker-default', S('    security_opt:\n      - apparmor:docker-default\n'), (c) => c.security.apparmor, ['docker-default', 'own', 'apparmor:docker-default', 'security_opt', 'security_opt.0']],
  ['label=disable', S('    security_opt: [label=disable]\n'), (c) => c.security.selinux, ['disable', 'own', 'label=disable', 'security_opt', 'security_opt.0']],
  ['label:disable', S('    security_opt: ["label:disable"]\n'), (c) => c.security.selinux, ['disable', 'own', '"label:disable"', 'security_opt', 'security_opt.0']],
  ['bare disable is label disable', S('    security_opt: [disable]\n'), (c) => c.security.selinux, ['disable', 'own', 'disable', 'security_opt', 'security_opt.0']],
  ['label=type:spc_t', S('    security_opt: ["label=type:spc_t"]\n'), (c) => c.security.selinux, ['type:spc_t', 'own', '"label=type:spc_t"', 'security_opt', 'security_opt.0']],
  ['label:type:spc_t', S('    security_opt: ["label:type:spc_t"]\n'), (c) => c.security.selinux, ['type:spc_t', 'own', '"label:type:spc_t"', 'security_opt', 'security_opt.0']],
  ['a type: label wins over a user: label', S('    security_opt: ["label=type:spc_t", "label=user:USER"]\n'), (c) => c.security.selinux, ['type:spc_t', 'own', '"label=type:spc_t"', 'security_opt', 'security_opt.0']],
  ['systempaths=unconfined', S('    security_opt: [systempaths=unconfined]\n'), (c) => c.security.systemPaths, ['unconfined', 'own', 'systempaths=unconfined', 'security_opt', 'security_opt.0']],
  ['none', S('    security_opt: [no-new-privileges]\n'), (c) => c.security.seccomp, [null, 'default', null, 'security_opt', null]],
]);

describe('security_opt items, capabilities', () => {
  test('parseSecurityOpt and Go ParseBool', () => {
    const table: [string, { key: string; value: string | null }][] = [
      ['no-new-privileges', { key: 'no-new-privileges', value: null }],
      ['no-new-privileges=true', { key: 'no-new-privileges', value: 'true' }],
      ['no-new-privileges:false', { key: 'no-new-privileges', value: 'false' }],
      ['seccomp=unconfined', { key: 'seccomp', value: 'unconfined' }],
      ['label=type:spc_t', { key: 'label', value: 'type:spc_t' }],
      ['label:user:USER', { key: 'label', value: 'user:USER' }],
      ['disable', { key: 'label', value: 'disable' }],
      ['seccomp=C:\\p.json', { key: 'seccomp', value: 'C:\\p.json' }],
    ];
    for (const [raw, want] of table) assert.deepEqual(parseSecurityOpt(raw), want, raw);
    assert.deepEqual(['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'false', 'yes', 'on', ''].map(parseGoBool), [true, true, true, true, true, true, false, false, false, null, null, null]);
  });

  test('security_opt items as {key, value}', () => {
    const text = S('    security_opt:\n      - seccomp:unconfined\n      - "label=type:spc_t"\n      - no-new-privileges\n');
    assert.deepEqual(listRow(text, svc(text).security.securityOpt), [
      [{ key: 'seccomp', value: 'unconfined' }, { key: 'label', value: 'type:spc_t' }, { key: 'no-new-privileges', value: null }],
      ['seccomp:unconfined', 'label=type:spc_t', 'no-new-privileges'],
      ['seccomp:unconfined@own', '"label=type:spc_t"@own', 'no-new-privileges@own'],
      'own',
      'security_opt',
    ]);
  });

  test('capabilities are upper-cased without CAP_, raw kept', () => {
    assert.deepEqual(['sys_admin', 'CAP_NET_ADMIN', 'cap_chown', ' ALL '].map(normaliseCapability), ['SYS_ADMIN', 'NET_ADMIN', 'CHOWN', 'ALL']);
    const text = S('    cap_add: [cap_sys_admin, NET_RAW]\n    cap_drop:\n      - all\n');
    const c = svc(text);
    assert.deepEqual(listRow(text, c.security.capAdd), [['SYS_ADMIN', 'NET_RAW'], ['cap_sys_admin', 'NET_RAW'], ['cap_sys_admin@own', 'NET_RAW@own'], 'own', 'cap_add']);
    assert.deepEqual(listRow(text, c.security.capDrop), [['ALL'], ['all'], ['all@own'], 'own', 'cap_drop']);
  });

  test('merged capability lists and aliased items', () => {
    const text = 'x-c: &c\n  cap_drop: [ALL]\nx-n: &n NET_ADMIN\nservices:\n  app:\n    <<: *c\n    image: a\n    cap_add: [*n, CHOWN]\n';
    const c = svc(text);
    assert.deepEqual(listRow(text, c.security.capDrop), [['ALL'], ['ALL'], ['ALL@merged'], 'merged', 'cap_drop']);
    assert.deepEqual(listRow(text, c.security.capAdd), [['NET_ADMIN', 'CHOWN'], ['NET_ADMIN', 'CHOWN'], ['NET_ADMIN@merged', 'CHOWN@own'], 'own', 'cap_add']);
  });

  test('absent lists', () => {
    const text = S('');
    assert.deepEqual(listRow(text, svc(text).security.capDrop), [[], [], [], 'default', null]);
  });
});

factTable<string | null>('namespaces', [
  ['network_mode: host', S('    network_mode: host\n'), (c) => c.namespaces.network, ['host', 'own', 'host', 'network_mode', 'network_mode']],
  ['network_mode: "service:db"', S('    network_mode: "service:db"\n'), (c) => c.namespaces.network, ['service:db', 'own', '"service:db"', 'network_mode', 'network_mode']],
  ['network_mode: container:x', S('    network_mode: container:x\n'), (c) => c.namespaces.network, ['container:x', 'own', 'container:x', 'network_mode', 'network_mode']],
  ['network_mode merged', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.namespaces.network, ['host', 'merged', 'host', 'network_mode', 'network_mode']],
  ['legacy net: host in a v2 file is read too', S('    net: host\n'), (c) => c.namespaces.network, ['host', 'own', 'host', 'net', 'net']],
  ['pid: host', S('    pid: host\n'), (c) => c.namespaces.pid, ['host', 'own', 'host', 'pid', 'pid']],
  ['pid: "service:db"', S('    pid: "service:db"\n'), (c) => c.namespaces.pid, ['service:db', 'own', '"service:db"', 'pid', 'pid']],
  ['ipc: host', S('    ipc: host\n'), (c) => c.namespaces.ipc, ['host', 'own', 'host', 'ipc', 'ipc']],
  ['ipc: shareable', S('    ipc: shareable\n'), (c) => c.namespaces.ipc, ['shareable', 'own', 'shareable', 'ipc', 'ipc']],
  ['userns_mode: host', S('    userns_mode: host\n'), (c) => c.namespaces.userns, ['host', 'own', 'host', 'userns_mode', 'userns_mode']],
  ['uts: host', S('    uts: host\n'), (c) => c.namespaces.uts, ['host', 'own', 'host', 'uts', 'uts']],
  ['none', S(''), (c) => c.namespaces.network, [null, 'default', null, null, null]],
]);

factTable<string | null>('resources: limits and reservations in both spellings', [
  ['deploy.resources.limits.memory', S('    deploy:\n      resources:\n        limits:\n          memory: 512m\n'), (c) => c.resources.memoryLimit, ['512m', 'own', '512m', 'memory', 'deploy.resources.limits.memory']],
  ['mem_limit', S('    mem_limit: 1g\n'), (c) => c.resources.memoryLimit, ['1g', 'own', '1g', 'mem_limit', 'mem_limit']],
  ['mem_limit as a byte count', S('    mem_limit: 1073741824\n'), (c) => c.resources.memoryLimit, ['1073741824', 'own', '1073741824', 'mem_limit', 'mem_limit']],
  ['deploy wins over mem_limit', S('    mem_limit: 1g\n    deploy: {resources: {limits: {memory: 512m}}}\n'), (c) => c.resources.memoryLimit, ['512m', 'own', '512m', 'memory', 'deploy.resources.limits.memory']],
  ['limits.cpus', S('    deploy:\n      resources:\n        limits:\n          cpus: "0.5"\n'), (c) => c.resources.cpuLimit, ['0.5', 'own', '"0.5"', 'cpus', 'deploy.resources.limits.cpus']],
  ['cpus', S('    cpus: 1.5\n'), (c) => c.resources.cpuLimit, ['1.5', 'own', '1.5', 'cpus', 'cpus']],
  ['limits.pids', S('    deploy:\n      resources:\n        limits:\n          pids: 100\n'), (c) => c.resources.pidsLimit, ['100', 'own', '100', 'pids', 'deploy.resources.limits.pids']],
  ['pids_limit', S('    pids_limit: 200\n'), (c) => c.resources.pidsLimit, ['200', 'own', '200', 'pids_limit', 'pids_limit']],
  ['reservations.memory', S('    deploy:\n      resources:\n        reservations:\n          memory: 128m\n'), (c) => c.resources.memoryReservation, ['128m', 'own', '128m', 'memory', 'deploy.resources.reservations.memory']],
  ['mem_reservation', S('    mem_reservation: 64m\n'), (c) => c.resources.memoryReservation, ['64m', 'own', '64m', 'mem_reservation', 'mem_reservation']],
  ['reservations.cpus', S('    deploy:\n      resources:\n        reservations:\n          cpus: "0.25"\n'), (c) => c.resources.cpuReservation, ['0.25', 'own', '"0.25"', 'cpus', 'deploy.resources.reservations.cpus']],
  ['a merged deploy', `${BASE}services:\n  app:\n    <<: *base\n`, (c) => c.resources.memoryLimit, ['256m', 'merged', '256m', 'memory', 'deploy.resources.limits.memory']],
  ['a merge inside deploy.resources', 'x-l: &l\n  limits:\n    memory: 64m\nservices:\n  app:\n    image: a\n    deploy:\n      resources:\n        <<: *l\n', (c) => c.resources.memoryLimit, ['64m', 'merged', '64m', 'memory', 'deploy.resources.limits.memory']],
  ['none', S('    deploy:\n      replicas: 2\n'), (c) => c.resources.memoryLimit, [null, 'default', null, null, null]],
]);

/** A mount as a comparable row. */
function mountRow(text: string, m: MountFact) {
  return {
    kind: m.kind,
    target: m.target,
    source: m.source,
    readOnly: m.readOnly,
    size: m.size,
    options: m.options ?? null,
    syntax: m.syntax,
    span: slice(text, m.span),
    sourceSpan: slice(text, m.sourceSpan),
    origin: m.origin,
  };
}

describe('mounts', () => {
  type MountRow = ReturnType<typeof mountRow>;
  const m = (over: Partial<MountRow>): MountRow => ({ kind: 'bind', target: null, source: null, readOnly: false, size: null, options: null, syntax: 'short', span: null, sourceSpan: null, origin: 'own', ...over });
  const cases: [string, string, MountRow[]][] = [
    ['tmpfs as a string', S('    tmpfs: /run\n'), [m({ kind: 'tmpfs', target: '/run', syntax: 'tmpfs', span: '/run' })]],
    [
      'tmpfs as a list with options',
      S('    tmpfs:\n      - /run:uid=33,size=16m\n      - "/tmp:size=64m,mode=1777"\n'),
      [
        m({ kind: 'tmpfs', target: '/run', options: 'uid=33,size=16m', size: '16m', syntax: 'tmpfs', span: '/run:uid=33,size=16m' }),
        m({ kind: 'tmpfs', target: '/tmp', options: 'size=64m,mode=1777', size: '64m', syntax: 'tmpfs', span: '"/tmp:size=64m,mode=1777"' }),
      ],
    ],
    [
      'short syntax: relative bind with :ro, named volume, absolute bind, anonymous volume',
      S('    volumes:\n      - ./data:/data:ro\n      - db:/var/lib/db\n      - /var/run/docker.sock:/var/run/docker.sock\n      - /cache\n'),
      [
        m({ target: '/data', source: './data', readOnly: true, options: 'ro', span: './data:/data:ro', sourceSpan: './data' }),
        m({ kind: 'volume', target: '/var/lib/db', source: 'db', span: 'db:/var/lib/db', sourceSpan: 'db' }),
        m({ target: '/var/run/docker.sock', source: '/var/run/docker.sock', span: '/var/run/docker.sock:/var/run/docker.sock', sourceSpan: '/var/run/docker.sock' }),
        m({ kind: 'volume', target: '/cache', span: '/cache' }),
      ],
    ],
    [
      'short syntax with ${VAR} sources, quotes, options, a Windows path and a named pipe',
      S('    volumes:\n      - "${DATA_DIR:-./data}:/data:rw,z"\n      - ${HOST_ETC}:/host/etc\n      - C:\\logs:/logs\n      - //./pipe/docker_engine://./pipe/docker_engine\n      - ~/.ssh:/root/.ssh:ro\n'),
      [
        m({ target: '/data', source: './data', options: 'rw,z', span: '"${DATA_DIR:-./data}:/data:rw,z"', sourceSpan: '${DATA_DIR:-./data}' }),
        m({ target: '/host/etc', source: '${HOST_ETC}', span: '${HOST_ETC}:/host/etc', sourceSpan: '${HOST_ETC}' }),
        m({ target: '/logs', source: 'C:\\logs', span: 'C:\\logs:/logs', sourceSpan: 'C:\\logs' }),
        m({ kind: 'npipe', target: '//./pipe/docker_engine', source: '//./pipe/docker_engine', span: '//./pipe/docker_engine://./pipe/docker_engine', sourceSpan: '//./pipe/docker_engine' }),
        m({ target: '/root/.ssh', source: '~/.ssh', readOnly: true, options: 'ro', span: '~/.ssh:/root/.ssh:ro', sourceSpan: '~/.ssh' }),
      ],
    ],
    [
      'long syntax: bind, volume, tmpfs with size, npipe',
      S('    volumes:\n      - type: bind\n        source: /etc\n        target: /host/etc\n        read_only: true\n      - {type: volume, source: data, target: /data}\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 67108864\n      - type: npipe\n        source: \\\\.\\pipe\\docker_engine\n        target: \\\\.\\pipe\\docker_engine\n'),
      [
        m({ target: '/host/etc', source: '/etc', readOnly: true, syntax: 'long', span: 'type: bind\n        source: /etc\n        target: /host/etc\n        read_only: true', sourceSpan: '/etc' }),
        m({ kind: 'volume', target: '/data', source: 'data', syntax: 'long', span: '{type: volume, source: data, target: /data}', sourceSpan: 'data' }),
        m({ kind: 'tmpfs', target: '/tmp', size: '67108864', syntax: 'long', span: 'type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 67108864' }),
        m({ kind: 'npipe', target: '\\\\.\\pipe\\docker_engine', source: '\\\\.\\pipe\\docker_engine', syntax: 'long', span: 'type: npipe\n        source: \\\\.\\pipe\\docker_engine\n        target: \\\\.\\pipe\\docker_engine', sourceSpan: '\\\\.\\pipe\\docker_engine' }),
      ],
    ],
    [
      'named volumes resolved against the top level: tmpfs-backed, bind-backed, plain',
      'services:\n  app:\n    image: a\n    volumes:\n      - scratch:/scratch\n      - type: volume\n        source: etc\n        target: /e\n      - plain:/p\nvolumes:\n  scratch:\n    driver: local\n    driver_opts:\n      type: tmpfs\n      device: tmpfs\n      o: "size=100m,uid=1000"\n  etc:\n    driver_opts: {type: none, o: bind, device: /etc}\n  plain: {}\n',
      [
        m({ kind: 'tmpfs', target: '/scratch', source: 'scratch', size: '100m', span: 'scratch:/scratch', sourceSpan: 'scratch' }),
        m({ target: '/e', source: '/etc', syntax: 'long', span: 'type: volume\n        source: etc\n        target: /e', sourceSpan: 'etc' }),
        m({ kind: 'volume', target: '/p', source: 'plain', span: 'plain:/p', sourceSpan: 'plain' }),
      ],
    ],
    [
      'merged volumes and tmpfs',
      'x-v: &v\n  volumes: [./a:/a]\n  tmpfs: /run\nservices:\n  app:\n    <<: *v\n    image: a\n',
      [m({ kind: 'tmpfs', target: '/run', syntax: 'tmpfs', span: '/run', origin: 'merged' }), m({ target: '/a', source: './a', span: './a:/a', sourceSpan: './a', origin: 'merged' })],
    ],
  ];
  for (const [name, text, want] of cases) {
    test(name, () => assert.deepEqual(svc(text).mounts.map((x) => mountRow(text, x)), want));
  }

  test('splitVolume keeps ${...} and drive letters whole', () => {
    assert.deepEqual(splitVolume('${A:-/x:y}:/data:ro').parts, ['${A:-/x:y}', '/data', 'ro']);
    assert.deepEqual(splitVolume('C:\\data:/data').parts, ['C:\\data', '/data']);
    assert.deepEqual(splitVolume('/a').parts, ['/a']);
  });
});

describe('file facts: version, stack, legacy v1, networks', () => {
  test('version as written, stack from the target', () => {
    const m = composeModel('version: "3.8"\nservices:\n  app:\n    image: a\n', 'stack');
    assert.deepEqual([m.version, m.stack, m.legacy], ['3.8', true, false]);
    const n = composeModel('services:\n  app:\n    image: a\n');
    assert.deepEqual([n.version, n.stack, n.legacy], [null, false, false]);
  });

  test('legacy v1: services at the top level, net: host is host networking', () => {
    const text = 'web:\n  image: nginx:1.27\n  net: host\n  privileged: true\n  cap_add: [SYS_ADMIN]\ndb:\n  build: ./db\n';
    const m = composeModel(text);
    assert.equal(m.legacy, true);
    assert.deepEqual(m.services.map((s) => [s.name, s.legacy]), [['web', true], ['db', true]]);
    const web = m.containers[0];
    assert.equal(web.platform, 'compose');
    assert.deepEqual(row(text, web.namespaces.network), ['host', 'own', 'host', 'net', 'net']);
    assert.deepEqual(row(text, web.security.privileged), [true, 'own', 'true', 'privileged', 'privileged']);
    assert.deepEqual(web.security.capAdd.items.map((i) => i.value), ['SYS_ADMIN']);
    assert.equal(m.containers[1].builds, true);
    assert.deepEqual(m.networks, []);
  });

  test('a v1-shaped document next to a services: document is not a service list', () => {
    const m = composeModel('services:\n  app:\n    image: a\n---\nweb:\n  image: b\n');
    assert.deepEqual(m.services.map((s) => s.name), ['app']);
    assert.equal(m.legacy, false);
  });

  test('networks: driver, encrypted (key presence), external; services join them', () => {
    const text =
      'services:\n  app:\n    image: a\n    networks: [front, back]\n  db:\n    image: b\n    networks:\n      back:\n        aliases: [db]\nnetworks:\n  front:\n    driver: overlay\n    driver_opts:\n      encrypted: ""\n  back:\n    driver: overlay\n  ext:\n    external: true\n  plain:\n';
    const m = composeModel(text);
    assert.deepEqual(
      m.networks.map((n) => [n.name, n.driver.value, slice(text, n.driver.span), n.encrypted, n.external, n.implicit, n.overlay, slice(text, n.keySpan), n.origin]),
      [
        ['front', 'overlay', 'overlay', true, false, false, true, 'front', 'own'],
        ['back', 'overlay', 'overlay', false, false, false, true, 'back', 'own'],
        ['ext', null, null, false, true, false, false, 'ext', 'own'],
        ['plain', null, null, false, false, false, false, 'plain', 'own'],
      ],
    );
    assert.deepEqual(m.services.map((s) => [s.name, s.networks.map((n) => `${n.name}@${slice(text, n.span)}`)]), [
      ['app', ['front@front', 'back@back']],
      ['db', ['back@back']],
    ]);
  });

  test('in a stack: networks without driver are overlays, the implicit default network is listed when used', () => {
    const text = 'services:\n  app:\n    image: a\n  api:\n    image: b\n    networks: [back]\nnetworks:\n  back: {}\n';
    const m = composeModel(text, 'stack');
    assert.deepEqual(m.networks.map((n) => [n.name, n.overlay, n.implicit, n.keySpan === null, n.origin]), [
      ['back', true, false, false, 'own'],
      ['default', true, true, true, 'default'],
    ]);
    const c = composeModel(text);
    assert.deepEqual(c.networks.map((n) => [n.name, n.overlay]), [['back', false]]);
    assert.deepEqual(composeModel('services:\n  api:\n    image: b\n    networks: [back]\nnetworks:\n  back: {}\n', 'stack').networks.map((n) => n.name), ['back']);
  });

  test('in a stack, joining the external network host is host networking', () => {
    const text = 'services:\n  app:\n    image: a\n    networks: [hostnet]\nnetworks:\n  hostnet:\n    external: true\n    name: host\n';
    assert.deepEqual(row(text, svc(text, 'app', 'stack').namespaces.network), ['host', 'own', 'hostnet', 'hostnet', 'networks.hostnet']);
    assert.deepEqual(row(text, svc(text, 'app').namespaces.network), [null, 'default', null, null, null]);
  });

  test('merge keys resolve in every mapping: environment, deploy, networks', () => {
    const text = 'x-env: &env\n  A: "1"\nx-net: &net\n  driver: overlay\nservices:\n  app:\n    image: a\n    environment:\n      <<: *env\n      B: "2"\nnetworks:\n  front:\n    <<: *net\n';
    const m = composeModel(text);
    assert.deepEqual(m.containers[0].env.map((e) => [e.name, e.value, e.shared]), [['B', '2', false], ['A', '1', true]]);
    assert.deepEqual(m.networks.map((n) => [n.name, n.driver.value, n.driver.origin]), [['front', 'overlay', 'merged']]);
  });
});

describe('through the engine: classification and the model agree', () => {
  const analyze = (text: string, path: string) => engine.analyze({ text, path }, mergeConfig());
  const rootFindings = (text: string, path: string) => {
    const r = analyze(text, path);
    return [r.kind, r.findings.filter((f) => f.rule === 'no-root-user').map((f) => r.text.slice(f.start, f.end))];
  };

  test('a legacy v1 file under a Compose name is analysed service by service', () => {
    const text = 'web:\n  image: nginx:1.27\n  net: host\ndb:\n  image: postgres:16\n  user: root\n';
    assert.deepEqual(rootFindings(text, 'docker-compose.yml'), ['compose', ['web', 'root']]);
  });

  test('the same text under another name, or a GitLab CI file, is not Compose', () => {
    assert.deepEqual(rootFindings('web:\n  image: nginx:1.27\n', 'values.yaml'), ['unknown', []]);
    assert.deepEqual(rootFindings('test:\n  image: node:20\n  script: [npm test]\n', '.gitlab-ci.yml'), ['unknown', []]);
  });
});
