import { isMap, isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import { YamlEditor, type YamlFile, type YamlValue } from '../edit/yaml';
import { nodeSpan, type YamlDoc } from '../parse/yaml';
import type { Span } from '../text';
import type { TextEdit } from '../types';
import { defaultFacts, type ContainerSpec, type EnvFact, type PortFact, type SecretTarget, type UserFact } from './container';
import { entries, get, getMap, getSeq, scalar, seqItems, str } from './yamlTree';
import { kubeDocuments, kubeStrings, ownStrings, type StringDocument } from './strings';

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

export function buildKubernetesModel(file: YamlFile, docs: YamlDoc[], opts: KubernetesOptions = {}): KubernetesModel {
  const objects: KubeObject[] = [];
  const containers: ContainerSpec[] = [];
  for (const ydoc of docs) {
    const objs = objectsOf(ydoc);
    objects.push(...objs);
    const patch = opts.isPatch?.(ydoc) ?? false;
    for (const obj of objs) {
      if (!obj.podSpec) continue;
      containers.push(...podContainers(file, obj, patch));
    }
  }
  return { objects, containers, documents: kubeDocuments(file, docs, objects, containers) };
}

function podContainers(file: YamlFile, obj: KubeObject, patch: boolean): ContainerSpec[] {
  const { ydoc } = obj;
  const { doc, base } = ydoc;
  const pod = obj.podSpec!;
  const windows = str(get(getMap(pod, 'os', doc), 'name', doc)?.value)?.toLowerCase() === 'windows';
  const editor = new YamlEditor(file, ydoc);
  const out: ContainerSpec[] = [];
  const groups: [string, boolean][] = [['initContainers', false], ['containers', false], ['ephemeralContainers', true]];
  const anyMounts = groups.some(([g]) => seqItems(getSeq(pod, g, doc), doc).some((c) => isMap(c) && seqItems(getSeq(c, 'volumeMounts', doc), doc).length > 0));
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
      const user = kubeUser(c, pod, doc, base);
      const partial = patch || ephemeral || !imageEntry;
      out.push({
        platform: 'kubernetes',
        name,
        anchor,
        image: image && imageSpan ? { ref: image, raw: image, span: imageSpan } : null,
        user,
        windows,
        partial,
        builds: false,
        ports: kubePorts(c, doc, base),
        env: kubeEnv(c, doc, base),
        ...defaultFacts(),
        get strings() { return ownStrings(this, () => kubeStrings(file, obj, c)); },
        setters: {
          runAsUser: (uidGid) => kubeRunAsUser(editor, c, pod, doc, uidGid, anyMounts),
          envToSecret: (env, target) => kubeEnvToSecretKeyRef(file, editor, c, doc, base, env, target),
        },
      });
    }
  }
  return out;
}

function kubePorts(c: YAMLMap, doc: Document, base: number): PortFact[] {
  const out: PortFact[] = [];
  for (const p of seqItems(getSeq(c, 'ports', doc), doc)) {
    if (!isMap(p)) continue;
    const cp = get(p, 'containerPort', doc)?.value;
    const span = nodeSpan(cp, base);
    if (!span) continue;
    const n = asNumber(scalar(cp));
    out.push({ port: n, portEnd: n, protocol: (str(get(p, 'protocol', doc)?.value) ?? 'TCP').toLowerCase(), span, source: 'containerPort' });
  }
  return out;
}

/** `env:` items: `value:` literals, and `valueFrom` as references (value null). */
function kubeEnv(c: YAMLMap, doc: Document, base: number): EnvFact[] {
  const out: EnvFact[] = [];
  for (const item of seqItems(getSeq(c, 'env', doc), doc)) {
    if (!isMap(item)) continue;
    const n = get(item, 'name', doc);
    const name = str(n?.value);
    const nameSpan = nodeSpan(n?.value, base);
    if (!name || !nameSpan) continue;
    const v = get(item, 'value', doc);
    const value = v && isScalar(v.value) && v.value.value !== null ? String(v.value.value) : null;
    out.push({ name, value, nameSpan, valueSpan: value !== null ? nodeSpan(v!.value, base) : null, shared: Boolean(v?.merged) });
  }
  return out;
}

function kubeUser(c: YAMLMap, pod: YAMLMap, doc: Document, base: number): UserFact {
  const runAsUser = effective(c, pod, 'runAsUser', doc, true);
  const runAsNonRoot = effective(c, pod, 'runAsNonRoot', doc, true);
  const uid = runAsUser ? asNumber(runAsUser.value) : null;
  const spanOf = (s: Setting) => nodeSpan(s.node, base) ?? undefined;
  if (runAsUser && uid === 0) {
    return { state: 'root', detail: runAsUser.level === 'pod' ? 'inherited' : 'explicit', value: 'runAsUser: 0', span: spanOf(runAsUser), fromName: runAsUser.level === 'pod' ? 'pod' : undefined };
  }
  if (uid !== null) return { state: 'nonroot', detail: 'explicit', value: `runAsUser: ${uid}` };
  if (runAsNonRoot?.value === true) return { state: 'nonroot', detail: 'guarded', value: 'runAsNonRoot: true' };
  if (runAsUser && runAsUser.value !== null && runAsUser.value !== undefined) return { state: 'unknown', detail: 'explicit' };
  return { state: 'unset', detail: 'image-default', span: runAsNonRoot?.value === false ? spanOf(runAsNonRoot) : undefined, value: runAsNonRoot?.value === false ? 'runAsNonRoot: false' : undefined };
}

function kubeRunAsUser(editor: YamlEditor, c: YAMLMap, pod: YAMLMap, doc: Document, uidGid: string, anyMounts: boolean) {
  const [uid, gid = uid] = uidGid.split(':');
  const edits: TextEdit[] = [];
  // Explicit container-level values override the pod: fix them where they are.
  const csc = getMap(c, 'securityContext', doc);
  const cUser = get(csc, 'runAsUser', doc);
  const cNonRoot = get(csc, 'runAsNonRoot', doc);
  if (cUser && asNumber(scalar(cUser.value)) === 0) {
    if (cUser.merged || !cUser.value) return null;
    const e = editor.replaceScalar(cUser.value, uid);
    if (!e) return null;
    edits.push(e);
  }
  if (cNonRoot && scalar(cNonRoot.value) === false) {
    if (cNonRoot.merged || !cNonRoot.value) return null;
    const e = editor.replaceScalar(cNonRoot.value, 'true');
    if (!e) return null;
    edits.push(e);
  }
  let inserted: string[] = [];
  const psc = getMap(pod, 'securityContext', doc);
  const pEntries = psc ? entries(psc, doc) : new Map();
  const pUser = pEntries.get('runAsUser');
  const pNonRoot = pEntries.get('runAsNonRoot');
  if (!cUser && pUser && asNumber(scalar(pUser.value)) === 0) {
    const e = pUser.merged ? null : editor.replaceScalar(pUser.value, uid);
    if (!e) return null;
    edits.push(e);
  }
  if (!cNonRoot && pNonRoot && scalar(pNonRoot.value) === false) {
    const e = pNonRoot.merged ? null : editor.replaceScalar(pNonRoot.value, 'true');
    if (!e) return null;
    edits.push(e);
  }
  if (edits.length === 0 || (!cUser && !pUser)) {
    const want: [string, YamlValue][] = [['runAsNonRoot', 'true'], ['runAsUser', uid], ['runAsGroup', gid]];
    if (anyMounts) want.push(['fsGroup', gid], ['fsGroupChangePolicy', 'OnRootMismatch']);
    const missing = want.filter(([k]) => !pEntries.has(k) && !(k === 'runAsUser' && cUser));
    if (missing.length) {
      const e = editor.ensurePairs(pod, ['securityContext'], missing, (m) => new Set(entries(m, doc).keys()));
      if (!e) return null;
      edits.push(e);
      inserted = missing.filter(([k]) => k === 'runAsNonRoot' || k === 'runAsUser' || k === 'runAsGroup').map(([k, v]) => `${k}: ${v}`);
    }
  }
  if (!edits.length) return null;
  const onlyReplaced = edits.length > 0 && (cUser || pUser) && !edits.some((e) => e.text.includes('runAsNonRoot'));
  return {
    edits,
    safe: false,
    caveat: `the image must work as uid ${uid}`,
    title: onlyReplaced
      ? `Set runAsUser: ${uid} instead of 0 (the image must work as uid ${uid})`
      : inserted.length
        ? `Run the pod as non-root: ${inserted.join(', ')} (the image must work as uid ${uid})`
        : undefined,
  };
}

/**
 * Replaces an env item's `value: <literal>` with `valueFrom.secretKeyRef` naming the
 * Secret and key, in the item's own block or flow style.
 */
function kubeEnvToSecretKeyRef(file: YamlFile, editor: YamlEditor, c: YAMLMap, doc: Document, base: number, env: EnvFact, target: SecretTarget): TextEdit[] | null {
  if (env.shared || !env.valueSpan) return null;
  const item = seqItems(getSeq(c, 'env', doc), doc).find((n) => isMap(n) && nodeSpan(get(n, 'name', doc)?.value, base)?.start === env.nameSpan.start);
  if (!isMap(item) || editor.shared(item)) return null;
  const v = get(item, 'value', doc);
  if (!v || v.merged || !v.value?.range || !(v.pair.key as Node | null)?.range) return null;
  if (get(item, 'valueFrom', doc)) return null;
  const keyStart = (v.pair.key as Node).range![0];
  let end = v.value.range[1];
  while (end > v.value.range[0] && /[\r\n]/.test(file.text[base + end - 1])) end--;
  const ref = { name: target.name, key: target.key };
  if (item.flow) {
    return [{ start: base + keyStart, end: base + end, text: `valueFrom: {secretKeyRef: {name: ${ref.name}, key: ${ref.key}}}` }];
  }
  const col = editor.column(keyStart);
  const unit = editor.indentUnit();
  const eol = file.index.eol;
  const pad = (n: number) => ' '.repeat(n);
  const text = `valueFrom:${eol}${pad(col + unit)}secretKeyRef:${eol}${pad(col + 2 * unit)}name: ${ref.name}${eol}${pad(col + 2 * unit)}key: ${ref.key}`;
  return [{ start: base + keyStart, end: base + end, text }];
}
