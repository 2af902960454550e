import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ContainerSpec, EnvFact } from '../../core/model/container';
import type { KubeObject } from '../../core/model/fromKubernetes';
import { get, getMap, getSeq, seqItems, str } from '../../core/model/yamlTree';
import type { RuleContext } from '../../core/rule';
import type { FileRequest, Fix } from '../../core/types';
import {
  commandHits, envFileValues, envName, exemptName, ignoreRequests, isNonSecretShape, isPlaceholder, literalRegion, scanText, scanValue,
  secretName, strongHits, type SecretHit,
} from '../../secrets';
import { messages, shown } from './messages';
import { CleanDocuments, envFactsByOffset, Reporter, shift } from './report';
import { scanOtherValues } from './otherValues';
import { execCommand, scalarMapped, scalarText, scalarWord, seqScalarTexts, walkScalars, type ScalarText } from './yamlText';

/** Keys of a Secret whose values are settings, not secrets. */
const SECRET_SETTING_KEYS = /^(?:database|db|dbname|db_name|schema|namespace|cluster|bucket|region|project|tenant|org|organization|account|scheme|protocol|driver|sslmode|ssl_mode)$/i;
/** Name heuristics strong enough for annotation keys (`auth-secret: basic-auth` names a Secret object). */
const ANNOTATION_KINDS = new Set(['password', 'token', 'API key', 'credentials', 'private key', 'access key', 'secret key']);
const FILE_KEY = /\.(?:properties|ya?ml|json|conf|cfg|config|env|ini|xml|toml|txt|sh|py|js|rb|php)$/i;

/** Containers (env, args, command, exec probes and hooks, HTTP headers), Secrets, ConfigMaps, annotations; then every other value for tokens. */
export function checkKubernetes(ctx: RuleContext): void {
  const model = ctx.file.kubernetes;
  if (!model) return;
  const out = new Reporter(ctx);
  const visited = new Set<Node>();
  const envFacts = envFactsByOffset(model.containers);
  const sops = new Set((ctx.file.yaml ?? []).filter((d) => d.root && isMap(get(d.root, 'sops', d.doc)?.value)).map((d) => d.doc));

  for (const ydoc of ctx.file.yaml ?? []) {
    if (sops.has(ydoc.doc)) continue;
    CLEAN.scan(ydoc.doc, out, () => {
      for (const obj of model.objects) {
        if (obj.ydoc !== ydoc) continue;
        if (obj.kind === 'SealedSecret') {
          walkScalars(obj.map, (s) => visited.add(s));
          continue;
        }
        if (obj.kind === 'Secret') secretData(obj, visited, out);
        if (obj.kind === 'ConfigMap') configMapData(obj, visited, out);
        for (const meta of [getMap(obj.map, 'metadata', obj.ydoc.doc), obj.podMeta]) annotations(obj, meta, visited, out);
        if (obj.podSpec) podSpec(ctx, obj, visited, out, envFacts);
      }
      scanOtherValues(ydoc, visited, out);
    });
  }
}

const CLEAN = new CleanDocuments();

function pairs(map: YAMLMap | null): [string, Node][] {
  if (!map) return [];
  return (map.items as Pair<Node, Node | null>[]).filter((p) => isScalar(p.key) && p.value).map((p) => [String((p.key as { value: unknown }).value), p.value!]);
}

function decodeBase64(s: string): string | null {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return null;
  const bytes = Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** `kind: Secret`: a literal in `data` or `stringData` is a secret committed with the manifest. */
function secretData(obj: KubeObject, visited: Set<Node>, out: Reporter): void {
  const { doc } = obj.ydoc;
  for (const [field, encoded] of [['data', true], ['stringData', false]] as const) {
    for (const [key, node] of pairs(getMap(obj.map, field, doc))) {
      visited.add(node);
      const t = scalarText(obj.ydoc, node);
      if (!t || !literalRegion(t.raw)) continue;
      const content = encoded ? decodeBase64(t.parsed) ?? t.parsed : t.parsed;
      const where = `Secret '${shown(obj.name ?? '(unnamed)')}' key ${shown(key)}`;
      const strong = encoded ? strongHits(content) : strongHits(t.raw);
      if (strong.length) {
        out.hits(encoded ? [{ start: t.start, end: t.start + t.raw.length, kind: strong[0].kind, detector: strong[0].detector }] : shift(strong, t.start), where, key);
        continue;
      }
      const short = content.length < 100 && !/\n/.test(content);
      if ((short && (isPlaceholder(content) || isNonSecretShape(content))) || content.trim() === '' || exemptName(key) || SECRET_SETTING_KEYS.test(key)) continue;
      if (/-----BEGIN CERTIFICATE-----/.test(content)) continue;
      const info = secretName(key);
      out.hits([{ start: t.start, end: t.start + t.raw.length, kind: `Hardcoded ${info?.kind ?? 'secret value'}`, detector: 'name', name: key }], where, key);
    }
  }
}

function configMapData(obj: KubeObject, visited: Set<Node>, out: Reporter): void {
  for (const [key, node] of pairs(getMap(obj.map, 'data', obj.ydoc.doc))) {
    visited.add(node);
    const t = scalarText(obj.ydoc, node);
    if (!t) continue;
    const where = `ConfigMap '${shown(obj.name ?? '(unnamed)')}' key ${shown(key)}`;
    const file = /\n/.test(t.parsed) || FILE_KEY.test(key);
    out.hits(shift(file ? scanText(t.raw) : scanValue(key, t.raw, t.parsed), t.start), where, key);
  }
}

function annotations(obj: KubeObject, meta: YAMLMap | null, visited: Set<Node>, out: Reporter): void {
  for (const [key, node] of pairs(getMap(meta, 'annotations', obj.ydoc.doc))) {
    if (visited.has(node)) continue;
    visited.add(node);
    const t = scalarText(obj.ydoc, node);
    if (!t) continue;
    const where = `annotation ${shown(key)}`;
    const local = key.slice(key.lastIndexOf('/') + 1);
    const strongName = ANNOTATION_KINDS.has(secretName(local)?.kind ?? '') ? local : null;
    const file = /\n/.test(t.parsed) || /^\s*[{[]/.test(t.parsed);
    out.hits(shift(file ? scanText(t.raw) : scanValue(strongName, t.raw, t.parsed), t.start), where, strongName ?? undefined);
  }
}

function podSpec(ctx: RuleContext, obj: KubeObject, visited: Set<Node>, out: Reporter, envFacts: Map<number, { spec: ContainerSpec; env: EnvFact }>): void {
  const { ydoc } = obj;
  const { doc, base } = ydoc;
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of seqItems(getSeq(obj.podSpec, group, doc), doc)) {
      if (!isMap(c)) continue;
      const cname = shown(str(get(c, 'name', doc)?.value) ?? '(unnamed)');
      for (const item of seqItems(getSeq(c, 'env', doc), doc)) {
        if (!isMap(item)) continue;
        const n = get(item, 'name', doc);
        const name = str(n?.value);
        const v = get(item, 'value', doc)?.value;
        if (!name || !v || visited.has(v)) continue;
        visited.add(v);
        const t = scalarText(ydoc, v);
        if (!t) continue;
        const fact = n?.value?.range ? envFacts.get(base + n.value.range[0]) : undefined;
        out.hits(shift(scanValue(name, t.raw, t.parsed), t.start), `env ${shown(name)} of container '${cname}'`, name, () => secretKeyRefFix(ctx, obj, fact, cname, t));
      }
      for (const key of ['command', 'args']) commandSite(ydoc, get(c, key, doc)?.value, `${key} of container '${cname}'`, visited, out);
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const p = getMap(c, probe, doc);
        commandSite(ydoc, get(getMap(p, 'exec', doc), 'command', doc)?.value, `${probe} of container '${cname}'`, visited, out);
        for (const h of seqItems(getSeq(getMap(p, 'httpGet', doc), 'httpHeaders', doc), doc)) header(ydoc, h, `${probe} of container '${cname}'`, visited, out);
      }
      const lifecycle = getMap(c, 'lifecycle', doc);
      for (const hook of ['postStart', 'preStop']) {
        const h = getMap(lifecycle, hook, doc);
        commandSite(ydoc, get(getMap(h, 'exec', doc), 'command', doc)?.value, `${hook} hook of container '${cname}'`, visited, out);
        for (const x of seqItems(getSeq(getMap(h, 'httpGet', doc), 'httpHeaders', doc), doc)) header(ydoc, x, `${hook} hook of container '${cname}'`, visited, out);
      }
    }
  }
}

function header(ydoc: KubeObject['ydoc'], item: Node, where: string, visited: Set<Node>, out: Reporter): void {
  if (!isMap(item)) return;
  const name = str(get(item, 'name', ydoc.doc)?.value);
  const v = get(item, 'value', ydoc.doc)?.value;
  if (!name || !v || visited.has(v)) return;
  visited.add(v);
  const t = scalarText(ydoc, v);
  if (t) out.hits(shift(scanValue(name, t.raw, t.parsed), t.start), where, name);
}

function commandSite(ydoc: KubeObject['ydoc'], node: Node | null | undefined, where: string, visited: Set<Node>, out: Reporter): void {
  if (!node || visited.has(node)) return;
  visited.add(node);
  if (isScalar(node)) {
    const t = scalarText(ydoc, node);
    if (t) out.hits(commandHits(scalarMapped(t), []), where);
    return;
  }
  if (!isSeq(node)) return;
  const items = seqScalarTexts(ydoc, node.items as Node[], visited);
  const hits: SecretHit[] = [];
  for (const t of items) hits.push(...commandHits(scalarMapped(t), []));
  if (items.length) hits.push(...commandHits({ text: '', starts: [], ends: [] }, [execCommand(items.map(scalarWord))]));
  out.hits(hits, where);
}

/** `valueFrom.secretKeyRef` to `<workload>-secrets`, the value appended to `<workload>-secrets.env` beside the manifest. */
function secretKeyRefFix(ctx: RuleContext, obj: KubeObject, fact: { spec: ContainerSpec; env: EnvFact } | undefined, container: string, t: ScalarText): Fix[] {
  if (!fact || !fact.spec.setters.envToSecret || !obj.name || fact.env.shared) return [];
  const value = t.parsed;
  if (/[\r\n]/.test(value) || literalRegion(value)?.start !== 0 || literalRegion(value)?.end !== value.length || /\$\(/.test(value)) return [];
  const secret = `${obj.name}-secrets`;
  const envFile = `${secret}.env`;
  const existing = envFileValues(ctx.file.workspace?.read(envFile));
  let key = /^[-._a-zA-Z0-9]+$/.test(fact.env.name) ? fact.env.name : envName(fact.env.name);
  if (existing.has(key) && existing.get(key) !== value) key = envName(`${container}_${key}`);
  if (existing.has(key) && existing.get(key) !== value) return [];
  const edits = fact.spec.setters.envToSecret(fact.env, { name: secret, key });
  if (!edits) return [];
  const line = `${key}=${value}`;
  const files: FileRequest[] = [{ path: envFile, kind: 'append', text: `${line}\n`, unlessLine: line }, ...ignoreRequests(ctx.file.workspace, ctx.file.path, envFile)];
  const namespace = str(get(getMap(obj.map, 'metadata', obj.ydoc.doc), 'namespace', obj.ydoc.doc)?.value) ?? null;
  return [{ title: messages.kubeSecretKeyRef(fact.env.name, secret, envFile, namespace), preferred: false, edits, files }];
}
