/**
 * Realistic Compose files: services with image/build/user/environment (map and list)/ports/
 * volumes/tmpfs/capabilities/security_opt/privileged/read_only/deploy.resources/networks,
 * `x-` fields with anchors and `<<` merges (at the service and inside environment), flow and
 * block style, comments, top-level volumes/networks/secrets. Marked text (see secrets.ts).
 */
import fc from 'fast-check';
import { heldBack } from './flags';
import { envPairArb, passwordArb, secretNameArb, secretValueArb } from './secrets';
import { alias, map, pair, raw, render, seq, str, type P, type Style, type Y } from './yamlRender';

const styleArb: fc.Arbitrary<Style> = fc.record({ indent: fc.constantFrom(2 as const, 2 as const, 4 as const), seqIndent: fc.boolean() });

const commentArb = fc.option(fc.constantFrom('TODO', 'keep in sync with prod', 'bulkhead-ignore no-root-user', 'ünïcödé 🚀', 'see README#setup', 'x: y'), { nil: undefined, freq: 4 });

const withComment = (p: P, c: string | undefined, above: boolean): P => (c ? (above ? { ...p, above: c } : { ...p, comment: c }) : p);

const imageArb = fc.constantFrom(
  'nginx:1.27', 'nginx', 'postgres:16', 'redis:latest', 'bitnami/redis:7.2', '${IMAGE:-app:dev}', 'ghcr.io/org/app:2.1.0',
  `ghcr.io/org/app@sha256:${'cd34'.repeat(16)}`, 'traefik:v3.0', 'docker:dind', 'example/api', 'localhost:5000/app',
);

const userArb: fc.Arbitrary<Y | null> = fc.constantFrom<Y | null>(
  str('root'), raw('"0"', '0'), raw('0', 0), str('1000:1000'), raw('"${UID}"', '${UID}'), str('app'), raw('0:0', '0:0'), null, raw("'root'", 'root'), raw('1000', 1000),
);

const envArb: fc.Arbitrary<Y> = fc
  .tuple(fc.array(envPairArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('map', 'list', 'flowmap', 'flowlist'), fc.constantFrom<'plain' | 'single' | 'double' | undefined>(undefined, undefined, 'single', 'double'))
  .map(([pairs, generatedForm, quote]) => {
    let form = generatedForm;
    const uniq = pairs.filter(([k], i) => pairs.findIndex(([x]) => x === k) === i);
    if (form === 'flowlist' && heldBack('FOUND_COMPOSE_ENV_REF_FIX_QUOTES_INSIDE_LIST_ITEM')) form = 'list';
    if (form === 'map' || form === 'flowmap') return map(uniq.map(([k, v]) => pair(k, v === '' ? null : str(v, quote))), form === 'flowmap');
    return seq(uniq.map(([k, v]) => str(v === '' && k.startsWith('DB') ? k : `${k}=${v}`, quote)), form === 'flowlist');
  });

const portsArb: fc.Arbitrary<Y> = fc.oneof(
  fc.subarray(['"80:80"', '"22:22"', '"127.0.0.1:8080:80"', '8080', '"443:443/tcp"', '"5432:5432"', '3000-3005:3000-3005'], { minLength: 1 }).map((xs) => seq(xs.map((x) => raw(x)))),
  fc.constant(seq([map([pair('target', raw('80', 80)), pair('published', raw('"8080"', '8080')), pair('protocol', str('tcp'))])])),
  fc.constant(seq([raw('"80:80"')], true)),
);

const volumesArb: fc.Arbitrary<Y> = fc.oneof(
  fc
    .subarray(['./data:/data', '/var/run/docker.sock:/var/run/docker.sock', 'db:/var/lib/postgresql/data', '/:/host:ro', '/etc:/etc', 'logs:/var/log:rw', '~/.ssh:/root/.ssh'], { minLength: 1 })
    .map((xs) => seq(xs.map((x) => str(x)))),
  fc.constant(seq([map([pair('type', str('bind')), pair('source', str('.')), pair('target', str('/app')), pair('read_only', raw('true', true))])])),
  fc.constant(seq([map([pair('type', str('tmpfs')), pair('target', str('/tmp')), pair('tmpfs', map([pair('size', raw('65536', 65536))]))])])),
  fc.constant(seq([str('./app:/app'), str('cache:/cache')], true)),
);

const tmpfsArb: fc.Arbitrary<Y> = fc.constantFrom<Y>(str('/tmp'), seq([str('/tmp'), str('/run:size=64m')]), seq([str('/tmp')], true));
const capsArb = (drop: boolean) =>
  fc.subarray(drop ? ['ALL', 'NET_RAW', 'cap_chown'] : ['NET_ADMIN', 'SYS_ADMIN', 'CAP_NET_RAW', 'ALL', 'sys_ptrace', 'NET_BIND_SERVICE'], { minLength: 1 }).chain((xs) =>
    fc.boolean().map((flow) => seq(xs.map((x) => str(x)), flow)),
  );
const securityOptArb = fc
  .subarray(['no-new-privileges:true', 'no-new-privileges', 'no-new-privileges=true', 'no-new-privileges:false', 'seccomp:unconfined', 'apparmor=unconfined', 'label:disable', 'seccomp=./profile.json'], { minLength: 1, maxLength: 3 })
  .map((xs) => seq(xs.map((x) => str(x))));
const boolArb = fc.constantFrom<Y>(raw('true', true), raw('false', false), raw('"true"', 'true'), raw('yes', 'yes'), raw('True', true));

const deployArb: fc.Arbitrary<Y> = fc
  .tuple(fc.boolean(), fc.boolean(), fc.boolean())
  .map(([limits, reservations, replicas]) => {
    const res: P[] = [];
    if (limits) res.push(pair('limits', map([pair('cpus', raw("'0.50'", '0.50')), pair('memory', str('512M')), pair('pids', raw('100', 100))])));
    if (reservations) res.push(pair('reservations', map([pair('memory', str('128M'))])));
    const d: P[] = [pair('resources', res.length ? map(res) : map([]))];
    if (replicas) d.unshift(pair('replicas', raw('2', 2)));
    return map(d);
  });

const buildArb: fc.Arbitrary<Y> = fc.oneof(
  fc.constant(str('.')),
  fc.constant(str('./api')),
  fc
    .tuple(fc.boolean(), fc.option(fc.tuple(secretNameArb, secretValueArb), { nil: undefined }), fc.boolean(), fc.boolean())
    .map(([dockerfile, arg, listArgs, target]) => {
      const items: P[] = [pair('context', str('.'))];
      if (dockerfile) items.push(pair('dockerfile', str('Dockerfile')));
      if (arg) items.push(pair('args', listArgs ? seq([str(`${arg[0]}=${arg[1]}`)]) : map([pair(arg[0], str(arg[1]))])));
      if (target) items.push(pair('target', str('stage0')));
      return map(items);
    }),
);

type FieldGen = fc.Arbitrary<P>;
const field = (key: string, v: fc.Arbitrary<Y | null>): FieldGen => v.map((value) => pair(key, value));

const serviceFields: FieldGen[] = [
  field('user', userArb),
  field('environment', envArb),
  field('ports', portsArb),
  field('volumes', volumesArb),
  field('tmpfs', tmpfsArb),
  field('cap_add', capsArb(false)),
  field('cap_drop', capsArb(true)),
  field('security_opt', securityOptArb),
  field('privileged', boolArb),
  field('read_only', boolArb),
  field('deploy', deployArb),
  field('networks', fc.constantFrom<Y>(seq([str('front'), str('back')]), map([pair('front', map([pair('aliases', seq([str('api')]))]))]), seq([str('front')], true))),
  field('command', fc.oneof(fc.constant(str("sh -c 'echo hi'")), fc.constant(seq([str('npm'), str('start')], true)), passwordArb.map((pw) => str(`--password=\uE000${pw}\uE001`)))),
  field('labels', fc.constantFrom<Y>(map([pair('com.example.team', str('core'))]), seq([str('traefik.enable=true')]))),
  field('network_mode', fc.constantFrom<Y>(str('host'), str('bridge'), str('service:db'))),
  field('pid', fc.constant(str('host'))),
  field('ipc', fc.constantFrom<Y>(str('host'), str('shareable'))),
  field('restart', fc.constantFrom<Y>(str('unless-stopped'), str('always'))),
  field('depends_on', fc.constant(seq([str('db')]))),
  field('env_file', fc.constantFrom<Y>(str('.env'), seq([str('.env'), str('.env.local')]))),
  field('mem_limit', fc.constant(str('512m'))),
  field('cpus', fc.constant(raw('0.5', 0.5))),
  field('pids_limit', fc.constant(raw('100', 100))),
  field('secrets', fc.constant(seq([str('db_password')]))),
  field('healthcheck', fc.constant(map([pair('test', seq([str('CMD'), str('curl'), str('-f'), str('http://localhost')], true)), pair('interval', str('30s'))]))),
  field('x-custom', fc.oneof(fc.constant(str('anything')), secretValueArb.map((v) => str(v)))),
  field('container_name', fc.constant(str('my-app'))),
  field('userns_mode', fc.constant(str('host'))),
];

const serviceArb = (anchors: { service?: string; env?: string }) =>
  fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: imageArb.map((i) => pair('image', str(i))) }, { weight: 2, arbitrary: buildArb.map((b) => pair('build', b)) }, { weight: 1, arbitrary: fc.constant(null) }),
      fc.shuffledSubarray(serviceFields, { minLength: 0, maxLength: 5 }).chain((gens) => (gens.length ? fc.tuple(...gens) : fc.constant([] as P[]))),
      fc.boolean(),
      fc.boolean(),
      fc.array(commentArb, { minLength: 3, maxLength: 3 }),
      fc.nat(100),
    )
    .map(([head, fields, mergeService, mergeEnv, comments, flowDice]) => {
      const items: P[] = [];
      if (mergeService && anchors.service) items.push(pair('<<', alias(anchors.service)));
      if (head) items.push(head);
      for (const f of fields) {
        if (f.key === 'environment' && mergeEnv && anchors.env && f.value?.t === 'm') items.push({ ...f, value: { ...f.value, items: [pair('<<', alias(anchors.env)), ...f.value.items] } });
        else items.push(f);
      }
      if (mergeEnv && anchors.env && !items.some((p) => p.key === 'environment')) items.push(pair('environment', map([pair('<<', alias(anchors.env))])));
      const seen = new Set<string>();
      const unique = items.filter((p) => (seen.has(p.key) ? false : (seen.add(p.key), true)));
      unique.forEach((p, i) => {
        const c = comments[i % 3];
        if (p.key === 'environment' && heldBack('FOUND_COMPOSE_SECRET_FIX_DROPS_ENVIRONMENT_COMMENT')) return;
        if (c && i < 3) unique[i] = withComment(p, c, i % 2 === 0);
      });
      // a few services are written entirely in flow style
      return map(unique, flowDice < 8 && !unique.some((p) => p.comment || p.above));
    });

const SERVICE_NAMES = ['web', 'api', 'db', 'worker', 'cache', 'my-app', 'app_1', 'proxy'];

/** A whole Compose file (marked text). */
export const composeArb: fc.Arbitrary<string> = fc
  .tuple(
    styleArb,
    fc.option(fc.constantFrom('"3.8"', "'2.4'", '"3"', '3.9'), { nil: undefined, freq: 3 }),
    fc.boolean(),
    fc.boolean(),
    fc.array(envPairArb, { minLength: 1, maxLength: 3 }),
    fc.constantFrom(1, 1, 1, 2, 2, 3),
    fc.nat(3).map((x) => x === 0),
    fc.option(fc.constantFrom('# Compose file for local development', '# bulkhead-ignore-file pin-image-version', '#!/usr/bin/env docker compose'), { nil: undefined, freq: 3 }),
  )
  .chain(([style, version, xCommon, xEnv, commonEnv, n, topLevel, header]) => {
    const anchors = { service: xCommon ? 'common' : undefined, env: xEnv ? 'env' : undefined };
    return fc.tuple(fc.constant(style), fc.array(serviceArb(anchors), { minLength: n, maxLength: n }), fc.shuffledSubarray(SERVICE_NAMES, { minLength: n, maxLength: n })).map(([st, services, names]) => {
      const root: P[] = [];
      if (version) root.push(pair('version', raw(version)));
      if (xEnv) root.push(pair('x-env', map(commonEnv.filter(([k], i) => commonEnv.findIndex(([x]) => x === k) === i).map(([k, v]) => pair(k, v === '' ? null : str(v))), false, 'env')));
      if (xCommon) root.push(pair('x-common', map([pair('restart', str('always')), pair('user', str('root')), pair('read_only', raw('false', false)), pair('cap_add', seq([str('NET_ADMIN')])), pair('logging', map([pair('driver', str('json-file'))]))], false, 'common')));
      root.push(pair('services', map(services.map((s, i) => pair(names[i], s)))));
      if (topLevel) {
        root.push(pair('volumes', map([pair('db', null), pair('scratch', map([pair('driver', str('local')), pair('driver_opts', map([pair('type', str('tmpfs')), pair('device', str('tmpfs'))]))]))])));
        root.push(pair('networks', map([pair('front', null), pair('back', map([pair('driver', str('overlay')), pair('driver_opts', map([pair('encrypted', raw('""', ''))]))]))])));
        root.push(pair('secrets', map([pair('db_password', map([pair('file', str('./db_password.txt'))]))])));
      }
      const body = render(root, st);
      return header ? `${header}\n${body}` : body;
    });
  });
