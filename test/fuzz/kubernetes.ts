/**
 * Realistic Kubernetes manifests: Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob and
 * List objects with pod and container securityContext, env with value and valueFrom,
 * volumes and volumeMounts, resources, host namespaces, service accounts, next to Service,
 * ConfigMap, Secret and ServiceAccount documents, several per file with `---`; sometimes as
 * JSON. Marked text (see secrets.ts).
 */
import fc from 'fast-check';
import { heldBack } from './flags';
import { envPairArb, passwordArb, secretValueArb } from './secrets';
import { alias, map, pair, raw, render, renderJson, seq, str, type P, type Style, type Y } from './yamlRender';

const styleArb: fc.Arbitrary<Style> = fc.record({ indent: fc.constantFrom(2 as const, 2 as const, 4 as const), seqIndent: fc.boolean() });

const GOOD_NAMES = ['web', 'api', 'api-server', 'worker', 'db', 'nightly-report', 'a.b.c'];
const nameArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...GOOD_NAMES) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('../../outside/pwn', '{{ .Release.Name }}-api', 'app: x', 'a#b', '*ref', 'UPPER_case', ''), fc.constantFrom(...GOOD_NAMES))
      .map(([hostile, good]) => (heldBack('ISSUE11_ITEM3_HOSTILE_OBJECT_NAMES') ? good : hostile)),
  },
);

const imageArb = fc.constantFrom('nginx:1.27', 'nginx', 'example/api:1.0', 'busybox', 'gcr.io/distroless/static:nonroot', `registry.example.com/app@sha256:${'ef56'.repeat(16)}`, 'postgres:16');

const intOr = (xs: string[]) => fc.constantFrom(...xs).map((x) => raw(x, Number.isNaN(Number(x)) ? x : Number(x)));
const boolArb = fc.constantFrom<Y>(raw('true', true), raw('false', false), raw('"true"', 'true'));

const containerSecurityArb: fc.Arbitrary<Y> = fc
  .tuple(
    fc.option(intOr(['0', '1000', '10001', '"0"']), { nil: undefined }),
    fc.option(boolArb, { nil: undefined }),
    fc.option(boolArb, { nil: undefined }),
    fc.option(boolArb, { nil: undefined }),
    fc.option(boolArb, { nil: undefined }),
    fc.option(fc.tuple(fc.subarray(['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW', 'CAP_SYS_PTRACE']), fc.subarray(['ALL', 'NET_RAW'])), { nil: undefined }),
  )
  .map(([user, nonRoot, ape, priv, rofs, caps]) => {
    const items: P[] = [];
    if (user) items.push(pair('runAsUser', user));
    if (nonRoot) items.push(pair('runAsNonRoot', nonRoot));
    if (ape) items.push(pair('allowPrivilegeEscalation', ape));
    if (priv) items.push(pair('privileged', priv));
    if (rofs) items.push(pair('readOnlyRootFilesystem', rofs));
    if (caps) {
      const c: P[] = [];
      if (caps[0].length) c.push(pair('add', seq(caps[0].map((x) => str(x)))));
      if (caps[1].length) c.push(pair('drop', seq(caps[1].map((x) => str(x)), true)));
      items.push(pair('capabilities', map(c)));
    }
    return map(items);
  });

const podSecurityArb: fc.Arbitrary<Y> = fc
  .tuple(fc.option(intOr(['0', '1000', '65534']), { nil: undefined }), fc.option(boolArb, { nil: undefined }), fc.option(fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost'), { nil: undefined }), fc.boolean())
  .map(([user, nonRoot, seccomp, fsGroup]) => {
    const items: P[] = [];
    if (user) items.push(pair('runAsUser', user));
    if (nonRoot) items.push(pair('runAsNonRoot', nonRoot));
    if (fsGroup) items.push(pair('fsGroup', raw('2000', 2000)));
    if (seccomp) items.push(pair('seccompProfile', map([pair('type', str(seccomp))])));
    return map(items);
  });

const envItemArb: fc.Arbitrary<Y> = fc.oneof(
  { weight: 3, arbitrary: envPairArb.map(([k, v]) => map([pair('name', str(k)), pair('value', v === '' ? raw('""', '') : str(v))])) },
  { weight: 1, arbitrary: envPairArb.map(([k, v]) => map([pair('name', str(k)), pair('value', str(v === '' ? 'x' : v))], true)) },
  { weight: 1, arbitrary: fc.constantFrom('DB_PASSWORD', 'API_TOKEN').map((k) => map([pair('name', str(k)), pair('valueFrom', map([pair('secretKeyRef', map([pair('name', str('app-secrets')), pair('key', str(k.toLowerCase()))]))]))])) },
  { weight: 1, arbitrary: fc.constant(map([pair('name', str('POD_IP')), pair('valueFrom', map([pair('fieldRef', map([pair('fieldPath', str('status.podIP'))]))]))])) },
);

const VOLUMES: Record<string, Y> = {
  tmp: map([pair('emptyDir', map([]))]),
  cache: map([pair('emptyDir', map([pair('medium', str('Memory')), pair('sizeLimit', str('64Mi'))]))]),
  docker: map([pair('hostPath', map([pair('path', str('/var/run/docker.sock')), pair('type', str('Socket'))]))]),
  root: map([pair('hostPath', map([pair('path', str('/'))]))]),
  config: map([pair('configMap', map([pair('name', str('app-config'))]))]),
  creds: map([pair('secret', map([pair('secretName', str('app-secrets'))]))]),
};
const MOUNT_PATHS: Record<string, string> = { tmp: '/tmp', cache: '/var/cache/app', docker: '/var/run/docker.sock', root: '/host', config: '/etc/app', creds: '/run/secrets/app' };

const containerArb = (volumes: string[]) =>
  fc
    .tuple(
      nameArb,
      imageArb,
      fc.option(containerSecurityArb, { nil: undefined }),
      fc.array(envItemArb, { maxLength: 3 }),
      fc.subarray(volumes),
      fc.boolean(),
      fc.option(fc.constantFrom<Y>(seq([map([pair('containerPort', raw('8080', 8080))])]), seq([map([pair('containerPort', raw('80', 80)), pair('hostPort', raw('80', 80))])]), seq([map([pair('containerPort', raw('22', 22)), pair('protocol', str('TCP'))])])), { nil: undefined }),
      fc.option(fc.oneof(fc.constant(seq([str('--port=8080')], true)), passwordArb.map((pw) => seq([str('--db-password'), str(`\uE000${pw}\uE001`)])), secretValueArb.map((v) => seq([str(`--token=${v}`)]))), { nil: undefined }),
      fc.option(fc.constantFrom('TODO harden', 'from the wiki', 'bulkhead-ignore no-root-user'), { nil: undefined, freq: 5 }),
    )
    .map(([name, image, sc, env, mounts, resources, ports, args, comment]) => {
      const items: P[] = [pair('name', str(name)), pair('image', str(image), comment ? { comment } : {})];
      if (args) items.push(pair('args', args));
      if (ports) items.push(pair('ports', ports));
      if (env.length) items.push(pair('env', seq(env)));
      if (resources) items.push(pair('resources', map([pair('limits', map([pair('cpu', str('500m')), pair('memory', str('256Mi'))])), pair('requests', map([pair('cpu', str('100m'))]))])));
      if (sc) items.push(pair('securityContext', sc));
      if (mounts.length) items.push(pair('volumeMounts', seq(mounts.map((m) => map([pair('name', str(m)), pair('mountPath', str(MOUNT_PATHS[m])), ...(m === 'config' ? [pair('readOnly', raw('true', true))] : [])])))));
      return map(items);
    });

const podSpecArb: fc.Arbitrary<Y> = fc
  .tuple(fc.subarray(Object.keys(VOLUMES), { maxLength: 2 }), fc.constantFrom(1, 1, 2), fc.nat(3).map((x) => x === 0), fc.option(podSecurityArb, { nil: undefined }), fc.subarray(['hostNetwork', 'hostPID', 'hostIPC', 'automountServiceAccountToken', 'serviceAccountName', 'hostUsers']), fc.boolean())
  .chain(([vols, n, init, psc, extras, shareSc]) =>
    fc.tuple(fc.array(containerArb(vols), { minLength: n, maxLength: n }), init ? containerArb(vols).map((c) => [c]) : fc.constant([] as Y[])).map(([generated, inits]) => {
      const containers = [...generated];
      const items: P[] = [];
      for (const e of extras) {
        if (e === 'serviceAccountName') items.push(pair(e, str('app')));
        else items.push(pair(e, e === 'hostUsers' ? raw('false', false) : raw('true', true)));
      }
      if (psc) items.push(pair('securityContext', psc));
      // the same container securityContext shared through an anchor (issue 11, item 9)
      if (shareSc && containers.length > 1) {
        const first = containers[0] as Extract<Y, { t: 'm' }>;
        const sc = first.items.find((p) => p.key === 'securityContext');
        if (sc && sc.value?.t === 'm' && !sc.value.flow && sc.value.items.length) {
          const anchored = { ...sc.value, anchor: 'sc' };
          containers[0] = map(first.items.map((p) => (p === sc ? { ...p, value: anchored } : p)));
          const second = containers[1] as Extract<Y, { t: 'm' }>;
          containers[1] = map([...second.items.filter((p) => p.key !== 'securityContext'), pair('securityContext', alias('sc'))]);
        }
      }
      if (inits.length) items.push(pair('initContainers', seq(inits)));
      items.push(pair('containers', seq(containers)));
      if (vols.length) items.push(pair('volumes', seq(vols.map((v) => map([pair('name', str(v)), ...(VOLUMES[v] as Extract<Y, { t: 'm' }>).items])))));
      return map(items);
    }),
  );

const metadata = (name: string, annotations: boolean): Y =>
  map([
    pair('name', str(name)),
    pair('labels', map([pair('app', str('web'))])),
    ...(annotations ? [pair('annotations', map([pair('container.apparmor.security.beta.kubernetes.io/web', str('unconfined')), pair('bulkhead.dev/ignore', str('resource-limits'))]))] : []),
  ]);

const workloadArb: fc.Arbitrary<P[]> = fc
  .tuple(fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Rollout'), nameArb, podSpecArb, fc.boolean())
  .map(([kind, name, spec, annotations]) => {
    const api = { Pod: 'v1', Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1', Rollout: 'argoproj.io/v1alpha1' }[kind]!;
    const head = [pair('apiVersion', str(api)), pair('kind', str(kind)), pair('metadata', metadata(name, annotations && kind === 'Pod'))];
    if (kind === 'Pod') return [...head, pair('spec', spec)];
    const template = map([pair('metadata', map([pair('labels', map([pair('app', str('web'))]))])), pair('spec', spec)]);
    if (kind === 'CronJob') return [...head, pair('spec', map([pair('schedule', str('*/5 * * * *')), pair('jobTemplate', map([pair('spec', map([pair('template', template)]))]))]))];
    if (kind === 'Job') return [...head, pair('spec', map([pair('template', template)]))];
    return [...head, pair('spec', map([pair('replicas', raw('2', 2)), pair('selector', map([pair('matchLabels', map([pair('app', str('web'))]))])), pair('template', template)]))];
  });

const otherArb: fc.Arbitrary<P[]> = fc.oneof(
  fc.constant<P[]>([pair('apiVersion', str('v1')), pair('kind', str('Service')), pair('metadata', metadata('web', false)), pair('spec', map([pair('ports', seq([map([pair('port', raw('80', 80))])]))]))]),
  fc.array(envPairArb, { minLength: 1, maxLength: 3 }).map((kv) => [pair('apiVersion', str('v1')), pair('kind', str('ConfigMap')), pair('metadata', metadata('app-config', false)), pair('data', map(kv.filter(([k], i) => kv.findIndex(([x]) => x === k) === i).map(([k, v]) => pair(k, str(v)))))]),
  fc.tuple(secretValueArb, passwordArb).map(([tok, pw]) => [pair('apiVersion', str('v1')), pair('kind', str('Secret')), pair('metadata', metadata('app-secrets', false)), pair('type', str('Opaque')), pair('stringData', map([pair('token', str(tok)), pair('password', str(`\uE000${pw}\uE001`))]))]),
  fc.constant<P[]>([pair('apiVersion', str('v1')), pair('kind', str('ServiceAccount')), pair('metadata', metadata('app', false)), pair('automountServiceAccountToken', raw('false', false))]),
  fc.constant<P[]>([pair('apiVersion', str('v1')), pair('kind', str('LimitRange')), pair('metadata', metadata('limits', false)), pair('spec', map([pair('limits', seq([map([pair('type', str('Container')), pair('default', map([pair('memory', str('512Mi'))]))])]))]))]),
);

const docArb: fc.Arbitrary<P[]> = fc.oneof(
  { weight: 5, arbitrary: workloadArb },
  { weight: 2, arbitrary: otherArb },
  { weight: 1, arbitrary: fc.array(workloadArb, { minLength: 1, maxLength: 2 }).map((items): P[] => [pair('apiVersion', str('v1')), pair('kind', str('List')), pair('items', seq(items.map((i) => map(i))))]) },
);

export interface KubeText {
  text: string;
  json: boolean;
}

/** A whole manifest file (marked text): one to three documents, or one JSON object. */
export const kubernetesArb: fc.Arbitrary<KubeText> = fc
  .tuple(styleArb, fc.array(docArb, { minLength: 1, maxLength: 2 }), fc.boolean(), fc.boolean(), fc.nat(20), fc.option(fc.constantFrom('# Source: chart/templates/deployment.yaml', '# bulkhead-ignore-file pin-image-version'), { nil: undefined, freq: 3 }))
  .map(([st, docs, leadingMarker, endMarker, jsonDice, header]) => {
    if (jsonDice === 0 && docs.length === 1) return { text: renderJson(docs[0]), json: true };
    const body = docs.map((d) => render(d, st)).join(endMarker ? '...\n---\n' : '---\n');
    return { text: `${header ? `${header}\n` : ''}${leadingMarker ? '---\n' : ''}${body}`, json: false };
  });
