// Writes bench/fixtures/large-manifest.yaml: 40 Kubernetes documents (~4,000 lines) for the
// keystroke benchmark. Deterministic (seeded PRNG, no dates), so the committed file only
// changes when this script does. Run: node bench/gen-large-manifest.mjs
import { writeFileSync } from 'node:fs';

let seed = 0x5eed;
/** mulberry32: a small deterministic PRNG. */
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const TEAMS = ['payments', 'catalog', 'search', 'checkout', 'identity', 'shipping', 'reviews', 'pricing'];
const ROLES = ['api', 'worker', 'gateway', 'indexer', 'scheduler', 'notifier'];
const IMAGES = ['registry.example.com/{t}/{r}:{v}', 'ghcr.io/example/{t}-{r}:{v}', 'docker.io/example/{t}-{r}:latest', 'registry.example.com/{t}/{r}@sha256:3f1c8e0b2a7d4c5e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f'];

function version() {
  return `${int(1, 4)}.${int(0, 20)}.${int(0, 9)}`;
}

/** A container block, indented for `containers:` under a pod template. */
function container(name, image, opts) {
  const l = [];
  l.push(`        - name: ${name}`);
  l.push(`          image: ${image}`);
  l.push(`          imagePullPolicy: IfNotPresent`);
  l.push(`          ports:`);
  l.push(`            - name: http`);
  l.push(`              containerPort: ${opts.port}`);
  l.push(`              protocol: TCP`);
  l.push(`          env:`);
  const envs = [
    ['LOG_LEVEL', pick(['info', 'debug', 'warn'])],
    ['HTTP_PORT', `"${opts.port}"`],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector.observability:4317'],
    ['CACHE_TTL_SECONDS', `"${int(30, 600)}"`],
    ['FEATURE_FLAGS', `"${pick(['a', 'b', 'c'])}-v${int(1, 3)},fast-path"`],
  ];
  if (opts.secret) envs.push(['DATABASE_PASSWORD', `${pick(['hunter2', 'Sup3rS3cret', 'changeme-now'])}${int(10, 99)}`]);
  for (const [k, v] of envs) {
    l.push(`            - name: ${k}`);
    l.push(`              value: ${v}`);
  }
  l.push(`            - name: DATABASE_URL`);
  l.push(`              valueFrom:`);
  l.push(`                secretKeyRef:`);
  l.push(`                  name: ${opts.app}-db`);
  l.push(`                  key: url`);
  l.push(`          readinessProbe:`);
  l.push(`            httpGet:`);
  l.push(`              path: /readyz`);
  l.push(`              port: http`);
  l.push(`            periodSeconds: 10`);
  l.push(`          livenessProbe:`);
  l.push(`            httpGet:`);
  l.push(`              path: /healthz`);
  l.push(`              port: http`);
  l.push(`            initialDelaySeconds: ${int(5, 30)}`);
  if (opts.limits) {
    l.push(`          resources:`);
    l.push(`            requests:`);
    l.push(`              cpu: ${int(1, 5) * 50}m`);
    l.push(`              memory: ${int(1, 8) * 64}Mi`);
    l.push(`            limits:`);
    l.push(`              cpu: ${int(2, 8) * 100}m`);
    l.push(`              memory: ${int(2, 16) * 64}Mi`);
  } else {
    l.push(`          resources:`);
    l.push(`            requests:`);
    l.push(`              cpu: ${int(1, 5) * 50}m`);
  }
  l.push(`          securityContext:`);
  if (opts.hardened) {
    l.push(`            runAsNonRoot: true`);
    l.push(`            runAsUser: 10001`);
    l.push(`            allowPrivilegeEscalation: false`);
    l.push(`            readOnlyRootFilesystem: true`);
    l.push(`            capabilities:`);
    l.push(`              drop: ["ALL"]`);
  } else {
    l.push(`            allowPrivilegeEscalation: ${pick(['true', 'false'])}`);
    if (opts.privileged) l.push(`            privileged: true`);
    l.push(`            capabilities:`);
    l.push(`              add: [${pick(['"NET_ADMIN"', '"SYS_PTRACE"', '"NET_BIND_SERVICE"'])}]`);
  }
  l.push(`          volumeMounts:`);
  l.push(`            - name: config`);
  l.push(`              mountPath: /etc/${opts.app}`);
  l.push(`            - name: tmp`);
  l.push(`              mountPath: /tmp`);
  return l;
}

function metadata(name, namespace, app, ver, extra = []) {
  return [
    `metadata:`,
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    `  labels:`,
    `    app.kubernetes.io/name: ${app}`,
    `    app.kubernetes.io/version: "${ver}"`,
    `    app.kubernetes.io/part-of: shop`,
    `    app.kubernetes.io/managed-by: kustomize`,
    ...extra,
  ];
}

function deployment(i, team, role) {
  const app = `${team}-${role}`;
  const ver = version();
  const kind = i % 7 === 3 ? 'StatefulSet' : 'Deployment';
  const hardened = rand() < 0.35;
  const l = [`apiVersion: apps/v1`, `kind: ${kind}`];
  l.push(...metadata(app, team, app, ver, [`  annotations:`, `    example.com/owner: team-${team}@example.com`, `    example.com/runbook: https://runbooks.example.com/${team}/${role}`]));
  l.push(`spec:`);
  if (kind === 'StatefulSet') l.push(`  serviceName: ${app}`);
  l.push(`  replicas: ${int(1, 6)}`);
  l.push(`  revisionHistoryLimit: 5`);
  l.push(`  selector:`);
  l.push(`    matchLabels:`);
  l.push(`      app.kubernetes.io/name: ${app}`);
  l.push(`  template:`);
  l.push(`    metadata:`);
  l.push(`      labels:`);
  l.push(`        app.kubernetes.io/name: ${app}`);
  l.push(`        app.kubernetes.io/version: "${ver}"`);
  l.push(`      annotations:`);
  l.push(`        prometheus.io/scrape: "true"`);
  l.push(`        prometheus.io/port: "9090"`);
  l.push(`    spec:`);
  l.push(`      serviceAccountName: ${app}`);
  if (!hardened && rand() < 0.3) l.push(`      hostNetwork: true`);
  if (hardened) {
    l.push(`      automountServiceAccountToken: false`);
    l.push(`      securityContext:`);
    l.push(`        runAsNonRoot: true`);
    l.push(`        seccompProfile:`);
    l.push(`          type: RuntimeDefault`);
  }
  l.push(`      terminationGracePeriodSeconds: ${int(10, 60)}`);
  l.push(`      containers:`);
  const image = pick(IMAGES).replace('{t}', team).replace('{r}', role).replace('{v}', ver);
  l.push(...container(role, image, { port: 8000 + int(0, 99), app, secret: !hardened && rand() < 0.5, limits: hardened || rand() < 0.5, hardened, privileged: !hardened && rand() < 0.25 }));
  l.push(...container('metrics-sidecar', `quay.io/prometheus/statsd-exporter:v0.${int(20, 26)}.0`, { port: 9090 + int(0, 9), app, secret: false, limits: true, hardened, privileged: false }));
  l.push(`      volumes:`);
  l.push(`        - name: config`);
  l.push(`          configMap:`);
  l.push(`            name: ${app}-config`);
  l.push(`        - name: tmp`);
  l.push(`          emptyDir: {}`);
  if (!hardened && rand() < 0.4) {
    l.push(`        - name: docker-sock`);
    l.push(`          hostPath:`);
    l.push(`            path: /var/run/docker.sock`);
  }
  return l;
}

function service(team, role) {
  const app = `${team}-${role}`;
  const nodePort = rand() < 0.3;
  const l = [`apiVersion: v1`, `kind: Service`];
  l.push(...metadata(app, team, app, version()));
  l.push(`spec:`);
  l.push(`  type: ${nodePort ? 'NodePort' : 'ClusterIP'}`);
  l.push(`  selector:`);
  l.push(`    app.kubernetes.io/name: ${app}`);
  l.push(`  ports:`);
  for (const [name, port] of [['http', 80], ['metrics', 9090]]) {
    l.push(`    - name: ${name}`);
    l.push(`      port: ${port}`);
    l.push(`      targetPort: ${name}`);
    l.push(`      protocol: TCP`);
    if (nodePort) l.push(`      nodePort: ${30000 + int(0, 2767)}`);
  }
  return l;
}

function configMap(team, role) {
  const app = `${team}-${role}`;
  const l = [`apiVersion: v1`, `kind: ConfigMap`];
  l.push(...metadata(`${app}-config`, team, app, version()));
  l.push(`data:`);
  l.push(`  LOG_FORMAT: json`);
  l.push(`  REGION: ${pick(['eu-west-1', 'us-east-1', 'ap-south-1'])}`);
  l.push(`  config.yaml: |`);
  l.push(`    server:`);
  l.push(`      port: 8080`);
  l.push(`      readTimeout: ${int(1, 30)}s`);
  l.push(`      writeTimeout: ${int(1, 30)}s`);
  l.push(`    upstreams:`);
  for (let k = 0; k < 16; k++) {
    const peer = `${pick(TEAMS)}-${pick(ROLES)}`;
    l.push(`      - name: ${peer}`);
    l.push(`        url: http://${peer}.svc.cluster.local:80`);
    l.push(`        timeoutMs: ${int(100, 5000)}`);
    l.push(`        retries: ${int(0, 5)}`);
  }
  l.push(`    features:`);
  for (let k = 0; k < 8; k++) l.push(`      flag-${k}: ${pick(['true', 'false'])}`);
  return l;
}

const docs = [];
for (let i = 0; i < 40; i++) {
  const team = TEAMS[i % TEAMS.length];
  const role = ROLES[Math.floor(i / TEAMS.length) % ROLES.length];
  const slot = i % 4;
  if (slot === 0 || slot === 2) docs.push(deployment(i, team, role));
  else if (slot === 1) docs.push(service(team, role));
  else docs.push(configMap(team, role));
}
const text = `# Generated by bench/gen-large-manifest.mjs; do not edit by hand.\n${docs.map((d) => d.join('\n')).join('\n---\n')}\n`;
writeFileSync(new URL('./fixtures/large-manifest.yaml', import.meta.url), text);
process.stdout.write(`large-manifest.yaml: ${docs.length} documents, ${text.split('\n').length - 1} lines\n`);
