import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { EditBatch } from '../edit/batch';
import { YamlEditor, type YamlFile, type YamlValue } from '../edit/yaml';
import { nodeSpan, parseYamlFile, YamlDocCache, type YamlDoc } from '../parse/yaml';
import type { Span } from '../text';
import type { TextEdit } from '../types';
import type { ContainerSpec, EnvFact, MountFact, MountKind, PodRef, PortFact, ResourceFacts, SecretTarget, SecurityFacts, ServiceAccountFacts, SetterResult, UserFact, WritablePath } from './container';
import { absentFact, absentList, type Fact, type Plan } from './facts';
import { kubeDropCapabilities } from './capabilities';
import { bool11, find, KubeFacts, plan, renderQuantity, spanOf, string, writable, type KubeEditor, type KubeScope } from './kubeFacts';
import { kubeDocuments, kubeStrings, ownStrings, type StringDocument } from './strings';
import { deref, get, getMap, getSeq, scalar, seqItems, str } from './yamlTree';
import { lookupImage } from './imageTable';
import { imageUser, knownSummary } from './fromDockerfile';

/** A Kubernetes object found in a document (a List's items are objects too). */
export interface KubeObject {
  ydoc: YamlDoc;
  map: YAMLMap;
  apiVersion: string;
  kind: string;
  name: string | null;
  /** The pod spec map, if the object holds one. */
  podSpec: YAMLMap | null;
  /** The pod template's metadata (annotations for suppression), or the object's own for a Pod. */
  podMeta: YAMLMap | null;
}

export interface KubernetesModel {
  objects: KubeObject[];
  containers: ContainerSpec[];
  /** Per YAML document: its containers and every string no container owns (strings.ts). */
  documents: StringDocument[];
}

export interface KubernetesOptions {
  /** Paths of objects that a kustomization lists as patches (partial objects). */
  isPatch?: (ydoc: YamlDoc) => boolean;
  /**
   * Files beside the manifest (the engine's WorkspaceView): the same folder's kustomization
   * and the resources it lists are read for ServiceAccounts and LimitRanges (origin 'related').
   */
  workspace?: { read(relativePath: string): string | undefined };
  /** The manifest's own file name, left out when reading the kustomization's resources. */
  fileName?: string;
}

export function isKubeObject(map: YAMLMap | null, doc: Document): boolean {
  return Boolean(map && str(get(map, 'apiVersion', doc)?.value) && str(get(map, 'kind', doc)?.value));
}

const POD_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function mapAt(map: YAMLMap, path: string[], doc: Document): YAMLMap | null {
  let m: YAMLMap | null = map;
  for (const k of path) m = getMap(m, k, doc);
  return m;
}

function objectsOf(ydoc: YamlDoc): KubeObject[] {
  const { doc, root } = ydoc;
  if (!root || !isKubeObject(root, doc)) return [];
  const kind = str(get(root, 'kind', doc)?.value) ?? '';
  if (kind === 'List' || kind.endsWith('List')) {
    const out: KubeObject[] = [];
    for (const it of seqItems(getSeq(root, 'items', doc), doc)) if (isMap(it) && isKubeObject(it, doc)) out.push(toObject(ydoc, it));
    return out;
  }
  return [toObject(ydoc, root)];
}

function toObject(ydoc: YamlDoc, map: YAMLMap): KubeObject {
  const { doc } = ydoc;
  const kind = str(get(map, 'kind', doc)?.value) ?? '';
  const path = POD_PATHS[kind] ?? ['spec', 'template', 'spec'];
  let podSpec = mapAt(map, path, doc);
  // Custom resources: anything with a template.spec.containers shape.
  if (podSpec && !POD_PATHS[kind] && !getSeq(podSpec, 'containers', doc) && !getSeq(podSpec, 'initContainers', doc)) podSpec = null;
  const metaPath = kind === 'Pod' ? ['metadata'] : path.slice(0, -1).concat('metadata');
  return {
    ydoc,
    map,
    apiVersion: str(get(map, 'apiVersion', doc)?.value) ?? '',
    kind,
    name: str(get(getMap(map, 'metadata', doc), 'name', doc)?.value) ?? null,
    podSpec,
    podMeta: mapAt(map, metaPath, doc),
  };
}

interface Setting {
  value: string | number | boolean | null | undefined;
  node: Node | null;
  level: 'container' | 'pod';
}

/** A securityContext field with pod-to-container inheritance. */
function effective(container: YAMLMap, pod: YAMLMap, key: string, doc: Document, inherits: boolean): Setting | null {
  const own = get(getMap(container, 'securityContext', doc), key, doc);
  if (own) return { value: scalar(own.value), node: own.value, level: 'container' };
  if (!inherits) return null;
  const p = get(getMap(pod, 'securityContext', doc), key, doc);
  return p ? { value: scalar(p.value), node: p.value, level: 'pod' } : null;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

/* ---------- related objects: ServiceAccounts and LimitRanges (this file, the kustomization's resources) ---------- */

interface RelatedObject {
  kind: string;
  name: string | null;
  namespace: string | null;
  map: YAMLMap;
  doc: Document;
  base: number;
  /** In the analysed file: spans are file spans. */
  sameFile: boolean;
}

const relatedCache = new YamlDocCache(1024 * 1024);
const RELATED_KINDS = new Set(['ServiceAccount', 'LimitRange']);
const MAX_RELATED_FILES = 64;

function relatedOf(objects: KubeObject[], sameFile: boolean): RelatedObject[] {
  return objects
    .filter((o) => RELATED_KINDS.has(o.kind))
    .map((o) => {
      const meta = getMap(o.map, 'metadata', o.ydoc.doc);
      return { kind: o.kind, name: o.name, namespace: str(get(meta, 'namespace', o.ydoc.doc)?.value) ?? null, map: o.map, doc: o.ydoc.doc, base: o.ydoc.base, sameFile };
    });
}

/** The resource files a kustomization in the manifest's folder lists (plain relative file paths). */
function kustomizationResources(ws: NonNullable<KubernetesOptions['workspace']>, self: string | undefined): string[] {
  for (const k of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const text = ws.read(k);
    if (text === undefined) continue;
    const out: string[] = [];
    for (const d of parseYamlFile(text, relatedCache)) {
      for (const it of seqItems(getSeq(d.root, 'resources', d.doc), d.doc)) {
        const p = str(it);
        if (!p || p.includes('://') || p.startsWith('/') || /[\r\n\0]/.test(p) || !/\.(ya?ml|json)$/i.test(p)) continue;
        const rel = p.replace(/^\.\//, '');
        if (rel !== self && out.length < MAX_RELATED_FILES) out.push(rel);
      }
    }
    return out;
  }
  return [];
}

/** ServiceAccounts and LimitRanges of the file, then of the kustomization's resources (read once, when first needed). */
function relatedObjects(own: KubeObject[], opts: KubernetesOptions): () => RelatedObject[] {
  let all: RelatedObject[] | null = null;
  return () => {
    if (all) return all;
    all = relatedOf(own, true);
    const ws = opts.workspace;
    if (ws) {
      for (const path of kustomizationResources(ws, opts.fileName)) {
        const text = ws.read(path);
        if (text === undefined) continue;
        const docs = parseYamlFile(text, relatedCache).filter((d) => d.errors.length === 0);
        all.push(...relatedOf(docs.flatMap(objectsOf), false));
      }
    }
    return all;
  };
}

const sameNamespace = (a: string | null, b: string | null) => a === null || b === null || a === b;

/** A value written on a related object, as a fact: origin 'related', spans only when it is in this file. */
function relatedFact<T>(fact: Fact<T>, obj: RelatedObject, path: string[], node: Node | null, value: T): Fact<T> {
  const at = obj.sameFile ? nodeSpan(node, obj.base) : null;
  const f = find(obj.map, path, obj.doc);
  return {
    ...fact,
    value,
    origin: 'related',
    span: at,
    keySpan: obj.sameFile && f ? nodeSpan(f.entry.pair.key as Node | null, obj.base) : null,
    path,
    raw: isScalar(node) ? String(node.value) : undefined,
    remove: () => null,
  };
}

/* ---------- the model ---------- */

export function buildKubernetesModel(file: YamlFile, docs: YamlDoc[], opts: KubernetesOptions = {}): KubernetesModel {
  const objects: KubeObject[] = [];
  const containers: ContainerSpec[] = [];
  const perDoc = docs.map((ydoc) => ({ ydoc, objs: objectsOf(ydoc) }));
  for (const { objs } of perDoc) objects.push(...objs);
  const related = relatedObjects(objects, opts);
  for (const { ydoc, objs } of perDoc) {
    const patch = opts.isPatch?.(ydoc) ?? false;
    for (const obj of objs) {
      if (!obj.podSpec) continue;
      containers.push(...podContainers(file, obj, patch, related));
    }
  }
  return { objects, containers, documents: kubeDocuments(file, docs, objects, containers) };
}

/** The edit layer's operations for the facts' setters (server/src/core/edit). */
function kubeEditor(file: YamlFile, editor: YamlEditor): KubeEditor {
  return {
    setAt: (m, p, v) => editor.setAt(m, p, v),
    ensureItem: (m, p, i, same) => editor.ensureItem(m, p, i, same),
    ensureItems: (m, p, w) => editor.ensureItems(m, p, w),
    removeAt: (m, p) => editor.removeAt(m, p),
    removeItem: (s, i) => editor.removeItem(s, i),
    renderScalar: (v) => editor.renderScalar(v),
    shared: (n) => editor.shared(n),
    json: editor.json,
    combine: (parts) => {
      const batch = new EditBatch(file);
      for (const p of parts) if (!batch.add(p)) return null;
      return batch.edits();
    },
  };
}

function podContainers(file: YamlFile, obj: KubeObject, patch: boolean, related: () => RelatedObject[]): ContainerSpec[] {
  const { ydoc } = obj;
  const { doc, base } = ydoc;
  const pod = obj.podSpec!;
  const windows = str(get(getMap(pod, 'os', doc), 'name', doc)?.value)?.toLowerCase() === 'windows';
  const editor = new YamlEditor(file, ydoc);
  const edit = kubeEditor(file, editor);
  const namespace = str(get(getMap(obj.map, 'metadata', doc), 'namespace', doc)?.value) ?? null;
  const out: ContainerSpec[] = [];
  const groups: [string, boolean][] = [['initContainers', false], ['containers', false], ['ephemeralContainers', true]];
  const anyMounts = groups.some(([g]) => seqItems(getSeq(pod, g, doc), doc).some((c) => isMap(c) && seqItems(getSeq(c, 'volumeMounts', doc), doc).length > 0));
  const podRef = podRefOf(obj, patch, namespace);
  for (const [group, ephemeral] of groups) {
    for (const c of seqItems(getSeq(pod, group, doc), doc)) {
      if (!isMap(c)) continue;
      const nameEntry = get(c, 'name', doc);
      const name = str(nameEntry?.value) ?? '(unnamed)';
      // no name: the container's first key (a block map's own range runs to the next line)
      const firstKey = (c.items[0]?.key ?? null) as Node | null;
      const anchor: Span = nodeSpan(nameEntry?.value, base) ?? nodeSpan(firstKey, base) ?? { start: base, end: base };
      const imageEntry = get(c, 'image', doc);
      const imageSpan = nodeSpan(imageEntry?.value, base);
      const image = str(imageEntry?.value);
      const user = kubeUser(c, pod, doc, base, image);
      const partial = patch || ephemeral || !imageEntry;
      const scope: KubeScope = { text: file.text, doc, base, edit, container: c, pod, podMeta: obj.podMeta, name: str(nameEntry?.value) ?? null, ephemeral, windows };
      const k = new KubeFacts(scope);
      const security = securityFacts(k);
      const resources = resourceFacts(k, related, namespace);
      out.push({
        platform: 'kubernetes',
        name,
        anchor,
        ...(nodeSpan(c, base) ? { extent: nodeSpan(c, base)! } : {}),
        image: image && imageSpan ? { ref: image, raw: image, span: imageSpan } : null,
        user,
        windows,
        partial,
        builds: false,
        ports: kubePorts(scope),
        env: kubeEnv(c, doc, base),
        security,
        namespaces: {
          network: k.hostNamespace('hostNetwork'),
          pid: k.hostNamespace('hostPID'),
          ipc: k.hostNamespace('hostIPC'),
          userns: absentFact(null),
          uts: absentFact(null),
        },
        mounts: kubeMounts(scope),
        resources,
        serviceAccount: serviceAccountFacts(k, related, namespace),
        ...(podRef ? { pod: podRef } : {}),
        get strings() { return ownStrings(this, () => kubeStrings(file, obj, c)); },
        setters: {
          runAsUser: (uidGid, caveat) => kubeRunAsUser(scope, uidGid, anyMounts, caveat),
          envToSecret: (env, target) => kubeEnvToSecretKeyRef(file, editor, c, doc, base, env, target),
          addWritablePath: (target, sizeMiB) => addWritablePath(scope, target, sizeMiB),
          addWritablePaths: (paths) => addWritablePaths(scope, paths),
          setLimits: (limits) => setLimits(scope, limits),
          dropCapabilities: (addBack) => kubeDropCapabilities(scope, addBack),
        },
      });
    }
  }
  return out;
}

/**
 * The pod's reference for pod-wide findings: anchored on the first container's name (of
 * `containers`, else `initContainers`); partial when a patch or when a container lacks `image:`.
 */
function podRefOf(obj: KubeObject, patch: boolean, namespace: string | null): PodRef | null {
  const { doc, base } = obj.ydoc;
  const pod = obj.podSpec!;
  const regular = [...seqItems(getSeq(pod, 'containers', doc), doc), ...seqItems(getSeq(pod, 'initContainers', doc), doc)].filter(isMap);
  const first = regular[0];
  if (!first) return null;
  const nameEntry = get(first, 'name', doc);
  const anchor = nodeSpan(nameEntry?.value, base) ?? nodeSpan((first.items[0]?.key ?? null) as Node | null, base);
  if (!anchor) return null;
  const extent = nodeSpan(obj.map, base);
  return { object: { kind: obj.kind, name: obj.name, namespace }, anchor, ...(extent ? { extent } : {}), partial: patch || regular.some((c) => !get(c, 'image', doc)) };
}

/* ---------- security ---------- */

const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER = 'container.apparmor.security.beta.kubernetes.io/';

function securityFacts(k: KubeFacts): SecurityFacts {
  const sc = (...p: string[]) => ['securityContext', ...p];
  const name = k.s.name;
  const seccompField = sc('seccompProfile', 'type');
  const apparmorField = sc('appArmorProfile', 'type');
  const seccompAnnotations = [
    name !== null ? k.annotation(SECCOMP_CONTAINER + name, k.ownSource(seccompField)) : null,
    k.annotation(SECCOMP_POD, k.podSource(seccompField)),
  ].filter((x) => x !== null);
  const apparmorAnnotations = [name !== null ? k.annotation(APPARMOR_CONTAINER + name, k.ownSource(apparmorField)) : null].filter((x) => x !== null);
  const privileged = k.containerBool(sc('privileged'));
  const capAdd = k.containerList(sc('capabilities', 'add'));
  const escalation = k.containerBool(sc('allowPrivilegeEscalation'), true);
  // the API refuses allowPrivilegeEscalation: false next to privileged: true or an added CAP_SYS_ADMIN (RULES.md)
  const refused = privileged.value || capAdd.items.some((i) => i.value === 'CAP_SYS_ADMIN');
  const noNewPrivileges: Fact<boolean> = {
    ...escalation,
    value: escalation.origin !== 'default' && escalation.value === false,
    set: (v) => (v && refused ? null : withSummary(escalation.set(!v), `allowPrivilegeEscalation: ${!v}`)),
  };
  return {
    privileged,
    noNewPrivileges,
    capAdd,
    capDrop: k.containerList(sc('capabilities', 'drop')),
    readOnlyRootFilesystem: k.containerBool(sc('readOnlyRootFilesystem')),
    securityOpt: absentList(),
    seccomp: k.inherited(seccompField, seccompAnnotations),
    apparmor: k.inherited(apparmorField, apparmorAnnotations),
    selinux: k.inherited(sc('seLinuxOptions', 'type')),
    systemPaths: k.containerString(sc('procMount')),
    hostUsers: k.podBool(['hostUsers'], true),
    useApiSocket: absentFact(false),
  };
}

function withSummary(p: Plan | null, summary: string): Plan | null {
  return p ? { ...p, summary } : null;
}

/* ---------- resources ---------- */

const RESOURCE_KEYS: [keyof ResourceFacts, 'limits' | 'requests', 'memory' | 'cpu', 'default' | 'defaultRequest'][] = [
  ['memoryLimit', 'limits', 'memory', 'default'],
  ['cpuLimit', 'limits', 'cpu', 'default'],
  ['memoryReservation', 'requests', 'memory', 'defaultRequest'],
  ['cpuReservation', 'requests', 'cpu', 'defaultRequest'],
];

function resourceFacts(k: KubeFacts, related: () => RelatedObject[], namespace: string | null): ResourceFacts {
  // Built when first read: a LimitRange default may come from another file of the kustomization.
  const memo: Partial<ResourceFacts> = {};
  const fact = (key: keyof ResourceFacts): Fact<string | null> => {
    const known = memo[key];
    if (known) return known;
    const [, section, resource, dflt] = RESOURCE_KEYS.find(([k2]) => k2 === key)!;
    const own = k.containerQuantity(['resources', section, resource]);
    return (memo[key] = own.origin === 'default' ? (limitRangeDefault(own, related, namespace, dflt, resource) ?? own) : own);
  };
  return {
    get memoryLimit() {
      return fact('memoryLimit');
    },
    get cpuLimit() {
      return fact('cpuLimit');
    },
    // Kubernetes has no per-container PIDs limit
    pidsLimit: absentFact(null),
    get memoryReservation() {
      return fact('memoryReservation');
    },
    get cpuReservation() {
      return fact('cpuReservation');
    },
  };
}

/** A LimitRange item of type Container with a default for `resource`. */
function limitRangeDefault(fact: Fact<string | null>, related: () => RelatedObject[], namespace: string | null, section: string, resource: string): Fact<string | null> | null {
  for (const o of related()) {
    if (o.kind !== 'LimitRange' || !sameNamespace(o.namespace, namespace)) continue;
    const limits = getSeq(getMap(o.map, 'spec', o.doc), 'limits', o.doc);
    const items = seqItems(limits, o.doc);
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (!isMap(it) || str(get(it, 'type', o.doc)?.value) !== 'Container') continue;
      const path = ['spec', 'limits', String(i), section, resource];
      const node = get(getMap(it, section, o.doc), resource, o.doc)?.value ?? null;
      const value = string(node);
      if (value !== undefined) return relatedFact(fact, o, path, node, value);
    }
  }
  return null;
}

function setLimits(s: KubeScope, limits: { memory?: string; cpu?: string; pids?: number }): Plan | null {
  if (s.ephemeral) return null;
  const pairs: [string, YamlValue][] = [];
  if (limits.memory !== undefined) pairs.push(['memory', renderQuantity(s.edit, limits.memory)]);
  if (limits.cpu !== undefined) pairs.push(['cpu', renderQuantity(s.edit, limits.cpu)]);
  if (!pairs.length) return null;
  const path = ['resources', 'limits'];
  if (!writable(s.edit, s.container, [...path, pairs[0][0]], s.doc)) return null;
  const summary = pairs.map(([k, v]) => `${k}: ${String(v)}`).join(', ');
  return plan(() => setPairs(s, s.container, path, pairs), `resources.limits ${summary}`);
}

/** Makes the map at `path` hold all `pairs` (a missing parent is created once, an existing map keeps its other keys). */
function setPairs(s: KubeScope, root: YAMLMap, path: string[], pairs: [string, YamlValue][]): TextEdit[] | null {
  return s.edit.setAt(root, path, Object.fromEntries(pairs));
}

/* ---------- service account ---------- */

function serviceAccountFacts(k: KubeFacts, related: () => RelatedObject[], namespace: string | null): ServiceAccountFacts {
  const name = k.podStrings([['serviceAccountName'], ['serviceAccount']]);
  let token: Fact<boolean | null> | null = null;
  const automountToken = (): Fact<boolean | null> => {
    const own = k.podBool(['automountServiceAccountToken']);
    if (own.origin !== 'default') return own;
    const sa = name.value ?? 'default';
    for (const o of related()) {
      if (o.kind !== 'ServiceAccount' || o.name !== sa || !sameNamespace(o.namespace, namespace)) continue;
      const node = get(o.map, 'automountServiceAccountToken', o.doc)?.value ?? null;
      const v = bool11(node);
      return v === undefined ? own : relatedFact(own, o, ['automountServiceAccountToken'], node, v);
    }
    return own;
  };
  return {
    name,
    // built when first read: the ServiceAccount may be in another file of the kustomization
    get automountToken() {
      return (token ??= automountToken());
    },
  };
}

/* ---------- ports, env, mounts ---------- */

function kubePorts(s: KubeScope): PortFact[] {
  const { container: c, doc, base } = s;
  const out: PortFact[] = [];
  const f = find(c, ['ports'], doc);
  const seq = f && isSeq(f.node) ? (f.node as YAMLSeq) : null;
  if (!seq) return out;
  const seqMerged = f!.merged;
  for (const raw of seq.items as Node[]) {
    const p = isAlias(raw) ? deref(raw, doc) : raw;
    if (!isMap(p)) continue;
    const cp = get(p, 'containerPort', doc)?.value;
    const span = nodeSpan(cp, base);
    if (!span) continue;
    const n = asNumber(scalar(cp));
    const hp = get(p, 'hostPort', doc);
    // asked only when a fix is planned (the anchor index is built on first use)
    const shared = () => seqMerged || isAlias(raw) || Boolean(hp?.merged) || s.edit.shared(seq) || s.edit.shared(p);
    out.push({
      port: n,
      portEnd: n,
      protocol: (str(get(p, 'protocol', doc)?.value) ?? 'TCP').toLowerCase(),
      span,
      source: 'containerPort',
      hostPort: hp ? asNumber(scalar(hp.value)) : null,
      hostPortSpan: hp ? nodeSpan(hp.value, base) : null,
      removeHostPort: () => (hp && !shared() ? plan(() => s.edit.removeAt(p, ['hostPort']), 'remove hostPort') : null),
    });
  }
  return out;
}

/** `env:` items: `value:` literals, and `valueFrom` as references (value null). */
function kubeEnv(c: YAMLMap, doc: Document, base: number): EnvFact[] {
  const out: EnvFact[] = [];
  const list = find(c, ['env'], doc);
  if (!list || !isSeq(list.node)) return out;
  for (const raw of list.node.items as Node[]) {
    const item = isAlias(raw) ? deref(raw, doc) : raw;
    if (!isMap(item)) continue;
    const n = get(item, 'name', doc);
    const name = str(n?.value);
    const nameSpan = nodeSpan(n?.value, base);
    if (!name || !nameSpan) continue;
    const v = get(item, 'value', doc);
    const value = v && isScalar(v.value) && v.value.value !== null ? String(v.value.value) : null;
    // through an alias or merge: the value is not this container's to rewrite
    out.push({ name, value, nameSpan, valueSpan: value !== null ? nodeSpan(v!.value, base) : null, shared: Boolean(v?.merged) || list.merged || isAlias(raw) });
  }
  return out;
}

const VOLUME_KINDS: [string, MountKind][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['persistentVolumeClaim', 'volume'],
  ['ephemeral', 'volume'],
  ['configMap', 'other'],
  ['secret', 'other'],
  ['projected', 'other'],
  ['downwardAPI', 'other'],
];

/** The pod's volumes by name. */
function podVolumes(s: KubeScope): Map<string, YAMLMap> {
  const out = new Map<string, YAMLMap>();
  for (const v of seqItems(getSeq(s.pod, 'volumes', s.doc), s.doc)) {
    const n = isMap(v) ? str(get(v, 'name', s.doc)?.value) : undefined;
    if (n !== undefined && !out.has(n)) out.set(n, v as YAMLMap);
  }
  return out;
}

/** volumeMounts joined to the pod's volumes. */
function kubeMounts(s: KubeScope): MountFact[] {
  const { container: c, doc, base } = s;
  const f = find(c, ['volumeMounts'], doc);
  const seq = f && isSeq(f.node) ? (f.node as YAMLSeq) : null;
  if (!seq) return [];
  const volumes = podVolumes(s);
  const seqMerged = f!.merged;
  const out: MountFact[] = [];
  for (const raw of seq.items as Node[]) {
    const m = isAlias(raw) ? deref(raw, doc) : raw;
    if (!isMap(m)) continue;
    const span = spanOf(m, base, s.text);
    if (!span) continue;
    const volName = str(get(m, 'name', doc)?.value) ?? null;
    const vol = volName !== null ? (volumes.get(volName) ?? null) : null;
    let kind: MountKind = 'other';
    let source: string | null = null;
    let sourceSpan: Span | null = null;
    let size: string | null = null;
    let medium: string | null | undefined;
    let hostPathType: string | null | undefined;
    const kindKey = vol ? VOLUME_KINDS.find(([key]) => get(vol, key, doc)) : undefined;
    if (vol && kindKey) {
      kind = kindKey[1];
      const body = getMap(vol, kindKey[0], doc);
      if (kindKey[0] === 'emptyDir') {
        const sz = get(body, 'sizeLimit', doc)?.value;
        size = string(sz) ?? null;
        sourceSpan = nodeSpan(sz, base);
        medium = str(get(body, 'medium', doc)?.value) ?? null;
      } else if (kindKey[0] === 'hostPath') {
        const p = get(body, 'path', doc)?.value;
        source = string(p) ?? null;
        sourceSpan = nodeSpan(p, base);
        hostPathType = str(get(body, 'type', doc)?.value) ?? null;
      } else {
        const ref = get(body, kindKey[0] === 'persistentVolumeClaim' ? 'claimName' : kindKey[0] === 'secret' ? 'secretName' : 'name', doc)?.value;
        source = string(ref) ?? volName;
        sourceSpan = nodeSpan(ref, base);
      }
    }
    const ro = get(m, 'readOnly', doc);
    const viaAlias = seqMerged || isAlias(raw);
    // asked only when a fix is planned (the anchor index is built on first use)
    const shared = () => viaAlias || s.edit.shared(seq) || s.edit.shared(m);
    out.push({
      kind,
      target: str(get(m, 'mountPath', doc)?.value) ?? null,
      source,
      readOnly: bool11(ro?.value) === true,
      size,
      ...(medium !== undefined ? { medium } : {}),
      ...(hostPathType !== undefined ? { hostPathType } : {}),
      syntax: 'volumeMount',
      span,
      sourceSpan,
      origin: viaAlias ? 'merged' : 'own',
      setReadOnly: () => (shared() || (ro && !writable(s.edit, m, ['readOnly'], doc)) ? null : plan(() => s.edit.setAt(m, ['readOnly'], 'true'), 'readOnly: true')),
      remove: () => (shared() ? null : plan(() => s.edit.removeItem(seq, raw), `remove the volumeMount ${volName ?? ''}`.trim())),
    });
  }
  return out;
}

/** A DNS-1123 label for a volume mounted at `target`, unique among the pod's volumes. */
function volumeName(target: string, taken: Set<string>): string {
  const stem =
    target
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '') || 'scratch';
  const base = `${stem}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** An `emptyDir: {sizeLimit}` pod volume with a unique name, mounted at `target` on this container. */
function addWritablePath(s: KubeScope, target: string, sizeMiB: number): Plan | null {
  if (kubeMounts(s).some((m) => m.target === target)) return null;
  return addWritablePaths(s, [{ target, sizeMiB }]);
}

/**
 * addWritablePath for several paths in one edit: each its own emptyDir volume and volumeMount;
 * paths already mounted are skipped. At /tmp, an emptyDir another container of the pod already
 * mounts at /tmp (whole, no subPath) is mounted too instead of adding a second volume.
 */
function addWritablePaths(s: KubeScope, paths: WritablePath[]): Plan | null {
  if (s.ephemeral || paths.some((p) => !/^\//.test(p.target) || !Number.isInteger(p.sizeMiB) || p.sizeMiB <= 0)) return null;
  const { container: c, pod, doc } = s;
  const mounted = kubeMounts(s);
  const todo = paths.filter((p, i) => !mounted.some((m) => m.target === p.target) && paths.findIndex((q) => q.target === p.target) === i);
  if (!todo.length) return plan(() => [], 'nothing to add');
  const volumes = find(pod, ['volumes'], doc);
  const mounts = find(c, ['volumeMounts'], doc);
  if (volumes?.merged || mounts?.merged) return null;
  if (!writable(s.edit, pod, ['volumes'], doc) || !writable(s.edit, c, ['volumeMounts'], doc)) return null;
  const taken = new Set(podVolumes(s).keys());
  const r = (v: string) => s.edit.renderScalar(v);
  const named = todo.map((p) => {
    const reused = p.target.replace(/\/+$/, '') === '/tmp' ? sharedEmptyDirAt(s, '/tmp') : null;
    if (reused) return { ...p, name: reused, reused: true };
    const name = volumeName(p.target, taken);
    taken.add(name);
    return { ...p, name, reused: false };
  });
  const fresh = named.filter((p) => !p.reused);
  const emptyDir = (p: WritablePath) => ({ ...(p.medium ? { medium: r(p.medium) } : {}), sizeLimit: renderQuantity(s.edit, `${p.sizeMiB}Mi`) });
  return plan(
    () =>
      s.edit.combine([
        s.edit.ensureItems(c, ['volumeMounts'], named.map((p) => ({ item: { name: r(p.name), mountPath: r(p.target) }, same: () => false }))),
        ...(fresh.length ? [s.edit.ensureItems(pod, ['volumes'], fresh.map((p) => ({ item: { name: r(p.name), emptyDir: emptyDir(p) }, same: () => false })))] : []),
      ]),
    named.map((p) => (p.reused ? `emptyDir volume ${p.name} (already mounted at ${p.target} by another container)` : `emptyDir volume ${p.name} (${p.medium ? `medium: ${p.medium}, ` : ''}sizeLimit: ${p.sizeMiB}Mi) at ${p.target}`)).join(', '),
  );
}

/** The name of an emptyDir volume another container of the pod mounts whole at `target`, if any. */
function sharedEmptyDirAt(s: KubeScope, target: string): string | null {
  const { pod, doc } = s;
  const volumes = podVolumes(s);
  for (const group of ['initContainers', 'containers']) {
    for (const other of seqItems(getSeq(pod, group, doc), doc)) {
      if (!isMap(other) || other === s.container) continue;
      for (const m of seqItems(getSeq(other, 'volumeMounts', doc), doc)) {
        if (!isMap(m) || get(m, 'subPath', doc) || get(m, 'subPathExpr', doc)) continue;
        const path = str(get(m, 'mountPath', doc)?.value);
        const name = str(get(m, 'name', doc)?.value);
        if (path === undefined || name === undefined || path.replace(/\/+$/, '') !== target) continue;
        const vol = volumes.get(name);
        if (vol && get(vol, 'emptyDir', doc)) return name;
      }
    }
  }
  return null;
}

/* ---------- user ---------- */

function kubeUser(c: YAMLMap, pod: YAMLMap, doc: Document, base: number, image: string | undefined): UserFact {
  const runAsUser = effective(c, pod, 'runAsUser', doc, true);
  const runAsNonRoot = effective(c, pod, 'runAsNonRoot', doc, true);
  const uid = runAsUser ? asNumber(runAsUser.value) : null;
  const spanOf = (s: Setting) => nodeSpan(s.node, base) ?? undefined;
  if (runAsUser && uid === 0) {
    return { state: 'root', detail: runAsUser.level === 'pod' ? 'inherited' : 'explicit', value: 'runAsUser: 0', span: spanOf(runAsUser), fromName: runAsUser.level === 'pod' ? 'pod' : undefined };
  }
  if (uid !== null) return { state: 'nonroot', detail: 'explicit', value: `runAsUser: ${uid}` };
  const table = runAsUser ? null : image ? lookupImage(image) : null;
  if (runAsNonRoot?.value === true) {
    // the kubelet refuses a guard it cannot verify: an image user that is root or a name (RULES.md, Kubernetes)
    if (table && (table.startsAs === 'root' || !/^\d+$/.test(table.runsAs ?? ''))) {
      return { state: 'unset', detail: 'guard-refused', value: image, span: spanOf(runAsNonRoot), known: knownSummary(table) };
    }
    return { state: 'nonroot', detail: 'guarded', value: 'runAsNonRoot: true' };
  }
  if (runAsUser && runAsUser.value !== null && runAsUser.value !== undefined) return { state: 'unknown', detail: 'explicit' };
  if (runAsNonRoot?.value === false) return { state: 'unset', detail: 'image-default', span: spanOf(runAsNonRoot), value: 'runAsNonRoot: false', ...(table ? { known: knownSummary(table) } : {}) };
  if (image && table) {
    const u = imageUser(image);
    return u.detail === 'image-default' ? { ...u, value: undefined } : u;
  }
  return { state: 'unset', detail: 'image-default' };
}

/**
 * Makes the container run as `uid:gid`: an explicit `runAsUser: 0` / `runAsNonRoot: false`
 * is replaced where it is written (the container, else the pod), otherwise the pod's
 * securityContext gets what it lacks. Never through an anchor or alias others share (a
 * securityContext shared with `&sc`/`*sc` would change the other containers): no fix then.
 */
function kubeRunAsUser(s: KubeScope, uidGid: string, anyMounts: boolean, why?: string): SetterResult | null {
  const [uid, gid = uid] = uidGid.split(':');
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid) || s.windows) return null;
  const { container: c, pod, doc, edit } = s;
  const sc = (k: string) => ['securityContext', k];
  // what to write is decided here (the title says it); the edits are made when the fix is built
  const steps: (() => TextEdit[] | null)[] = [];
  const cUser = find(c, sc('runAsUser'), doc);
  const cNonRoot = find(c, sc('runAsNonRoot'), doc);
  const pUser = find(pod, sc('runAsUser'), doc);
  const pNonRoot = find(pod, sc('runAsNonRoot'), doc);
  let replacedUser = false;
  let replacedNonRoot = false;
  const replace = (root: YAMLMap, key: string, value: string): boolean => {
    if (!writable(edit, root, sc(key), doc)) return false;
    steps.push(() => edit.setAt(root, sc(key), value));
    return true;
  };
  if (cUser && asNumber(scalar(cUser.node)) === 0) {
    if (!replace(c, 'runAsUser', uid)) return null;
    replacedUser = true;
  }
  if (cNonRoot && bool11(cNonRoot.node) === false) {
    if (!replace(c, 'runAsNonRoot', 'true')) return null;
    replacedNonRoot = true;
  }
  if (!cUser && pUser && asNumber(scalar(pUser.node)) === 0) {
    if (!replace(pod, 'runAsUser', uid)) return null;
    replacedUser = true;
  }
  if (!cNonRoot && pNonRoot && bool11(pNonRoot.node) === false) {
    if (!replace(pod, 'runAsNonRoot', 'true')) return null;
    replacedNonRoot = true;
  }
  let inserted: [string, string][] = [];
  if ((!replacedUser && !replacedNonRoot) || (!cUser && !pUser)) {
    const want: [string, string][] = [['runAsNonRoot', 'true'], ['runAsUser', uid], ['runAsGroup', gid]];
    if (anyMounts) want.push(['fsGroup', gid], ['fsGroupChangePolicy', 'OnRootMismatch']);
    inserted = want.filter(([k]) => !find(pod, sc(k), doc) && !(k === 'runAsUser' && cUser));
    if (inserted.length) {
      if (s.ephemeral || !writable(edit, pod, sc(inserted[0][0]), doc)) return null;
      const pairs = inserted;
      steps.push(() => setPairs(s, pod, ['securityContext'], pairs));
    }
  }
  if (!steps.length) return null;
  const shown = inserted.filter(([k]) => k === 'runAsNonRoot' || k === 'runAsUser' || k === 'runAsGroup').map(([k, v]) => `${k}: ${v}`);
  const caveat = why ?? `the image must work as uid ${uid}`;
  let built: TextEdit[] | null | undefined;
  return {
    get edits() {
      if (built === undefined) {
        const edits = edit.combine(steps.map((step) => step()));
        built = edits && edits.length ? edits : null;
      }
      return built;
    },
    safe: false,
    caveat,
    title:
      replacedUser && !shown.length && !replacedNonRoot
        ? `Set runAsUser: ${uid} instead of 0 (${caveat})`
        : shown.length
          ? `Run the pod as non-root: ${shown.join(', ')} (${caveat})`
          : undefined,
  };
}

/* ---------- secrets ---------- */

/**
 * Replaces an env item's `value: <literal>` with `valueFrom.secretKeyRef` naming the
 * Secret and key (both quoted where YAML needs it), in the item's own block or flow style.
 */
function kubeEnvToSecretKeyRef(file: YamlFile, editor: YamlEditor, c: YAMLMap, doc: Document, base: number, env: EnvFact, target: SecretTarget): TextEdit[] | null {
  if (env.shared || !env.valueSpan) return null;
  const envSeq = find(c, ['env'], doc);
  if (!envSeq || envSeq.merged || editor.shared(envSeq.node)) return null;
  const item = seqItems(getSeq(c, 'env', doc), doc).find((n) => isMap(n) && nodeSpan(get(n, 'name', doc)?.value, base)?.start === env.nameSpan.start);
  if (!isMap(item) || editor.shared(item)) return null;
  const v = get(item, 'value', doc);
  if (!v || v.merged || !v.value?.range || !(v.pair.key as Node | null)?.range) return null;
  if (get(item, 'valueFrom', doc)) return null;
  const keyStart = (v.pair.key as Node).range![0];
  let end = v.value.range[1];
  while (end > v.value.range[0] && /[\r\n]/.test(file.text[base + end - 1])) end--;
  const render = (x: string) => editor.renderScalar(x);
  const ref = { name: render(target.name), key: render(target.key) };
  if (item.flow) {
    const k = (x: string) => (editor.json ? JSON.stringify(x) : x);
    return [{ start: base + keyStart, end: base + end, text: `${k('valueFrom')}: {${k('secretKeyRef')}: {${k('name')}: ${ref.name}, ${k('key')}: ${ref.key}}}` }];
  }
  const col = editor.column(keyStart);
  const unit = editor.indentUnit();
  const eol = file.index.eol;
  const pad = (n: number) => ' '.repeat(n);
  const text = `valueFrom:${eol}${pad(col + unit)}secretKeyRef:${eol}${pad(col + 2 * unit)}name: ${ref.name}${eol}${pad(col + 2 * unit)}key: ${ref.key}`;
  return [{ start: base + keyStart, end: base + end, text }];
}
