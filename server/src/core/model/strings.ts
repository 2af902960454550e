import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { YamlFile } from '../edit/yaml';
import type { YamlDoc } from '../parse/yaml';
import type { Span } from '../text';
import type { ContainerSpec, ObjectRef, StringFact, StringSite } from './container';
import type { Origin, Plan } from './facts';
import { deref, entries, get, getMap, getSeq, seqItems, str, type Entry } from './yamlTree';

/**
 * Every string scalar of a YAML file as model facts (StringFact), so the secret rules never
 * walk YAML: the strings each container owns (ContainerSpec.strings, merges and aliases
 * resolved, origin 'merged') and, per document, every other one (Secret and ConfigMap data,
 * annotations, `x-` fields, top-level configs and secrets, anything else).
 *
 * Both are built lazily, on first read: a rule that knows a document is clean (its parsed
 * document is unchanged and held no secret) never pays for walking it.
 */

/** One YAML document's strings that no container owns, and what the rules need to know about the document. */
export interface StringDocument {
  /**
   * The parsed document: immutable while the document's text is unchanged (the engine's parse
   * cache returns the same object), so a key for per-document results (a WeakMap/WeakSet).
   */
  key: object;
  /** Containers written in this document. */
  containers: ContainerSpec[];
  /** A SOPS-encrypted document (a top-level `sops:` map): its values are ciphertext. */
  sops: boolean;
  /** Compose: the top-level `secrets:` ids with their `file:` as written (null when not a file). */
  declaredSecrets: ReadonlyMap<string, string | null>;
  /** Every string of the document no container owns (lazy). */
  readonly strings: StringFact[];
}

/** A scalar as written, with its file offset. */
interface Written {
  node: Scalar;
  raw: string;
  start: number;
  value: string;
  quote: StringFact['quote'];
}

function written(ydoc: YamlDoc, node: unknown): Written | null {
  if (!isScalar(node) || !node.range || node.value === null || node.value === undefined) return null;
  const [s, e] = node.range;
  let src = ydoc.text.slice(s, e);
  let start = s;
  let quote: StringFact['quote'] = 'plain';
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    quote = node.type === Scalar.QUOTE_DOUBLE ? 'double' : 'single';
    const q = quote === 'double' ? '"' : "'";
    if (src.startsWith(q)) {
      src = src.slice(1);
      start++;
    }
    if (src.endsWith(q)) src = src.slice(0, -1);
  } else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    quote = 'block';
    const nl = src.search(/\r?\n/);
    if (nl < 0) return null;
    const skip = src[nl] === '\r' ? nl + 2 : nl + 1;
    src = src.slice(skip);
    start += skip;
  }
  src = src.replace(/\s+$/, '');
  return { node, raw: src, start: ydoc.base + start, value: String(node.value), quote };
}

/** Whether a document offset lies inside a flow collection. */
function inFlowCollection(node: unknown, offset: number, depth = 0): boolean {
  if (depth > 64 || !(isMap(node) || isSeq(node)) || !node.range) return false;
  if (offset < node.range[0] || offset >= node.range[2]) return false;
  if (node.flow) return true;
  for (const it of node.items as unknown[]) {
    const child = isPair(it) ? [it.key, it.value] : [it];
    if (child.some((c) => inFlowCollection(c, offset, depth + 1))) return true;
  }
  return false;
}

/** Characters that cannot start a plain scalar, and sequences that end one. */
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const PLAIN_BREAK = /: |:$| #|\s$/;

/** A string fact backed by a scalar node of a parsed document. */
class YamlString implements StringFact {
  site: StringSite = 'other';
  path: string[] = [];
  origin: Origin = 'own';
  name?: string;
  nameSpan?: Span;
  bare?: boolean;
  item?: number;
  within?: string;
  env?: StringFact['env'];
  object?: ObjectRef;
  /** The scalar's content before `raw` when the fact is a part of it (`NAME=` of a list item). */
  prefix = '';
  private flow?: boolean;

  constructor(
    private readonly ydoc: YamlDoc,
    /** The scalar (null for a bare name). */
    readonly node: Scalar | null,
    readonly value: string,
    readonly raw: string,
    readonly start: number,
    readonly quote: StringFact['quote'],
  ) {}

  get inFlow(): boolean {
    if (this.flow === undefined) this.flow = inFlowCollection(this.ydoc.doc.contents, this.start - this.ydoc.base);
    return this.flow;
  }

  private inside(from: number, to: number): boolean {
    return !this.bare && this.start <= from && from <= to && to <= this.start + this.raw.length;
  }

  read(from: number, to: number): string | null {
    if (this.quote === 'block' || !this.inside(from, to)) return null;
    const s = this.raw.slice(from - this.start, to - this.start);
    if (/[\r\n]/.test(s)) return null;
    if (this.quote === 'single') return s.replace(/''/g, "'");
    if (this.quote === 'double' && s.includes('\\')) return null;
    return s;
  }

  replace(from: number, to: number, text: string): Plan | null {
    if (this.quote === 'block' || !this.inside(from, to) || /[\r\n]/.test(text)) return null;
    const replaced = this.raw.slice(from - this.start, to - this.start);
    const whole = from === this.start && to === this.start + this.raw.length;
    let out: string;
    if (this.quote === 'single') {
      out = text.replace(/'/g, "''");
    } else if (this.quote === 'double') {
      if (replaced.includes('\\')) return null;
      out = JSON.stringify(text).slice(1, -1);
    } else {
      const after = this.prefix + this.raw.slice(0, from - this.start) + text + this.raw.slice(to - this.start);
      const plainOk = !PLAIN_START.test(after) && !PLAIN_BREAK.test(after) && !(this.inFlow && /[{}[\],]/.test(after));
      if (plainOk) out = text;
      else if (whole && !this.prefix) out = JSON.stringify(text);
      else return null;
    }
    const edit = { start: from, end: to, text: out };
    return { build: () => ({ edits: [edit] }) };
  }
}

function fact(ydoc: YamlDoc, w: Written, site: StringSite, path: string[], origin: Origin): YamlString {
  const f = new YamlString(ydoc, w.node, w.value, w.raw, w.start, w.quote);
  f.site = site;
  f.path = path;
  f.origin = origin;
  return f;
}

function keyName(p: Pair<unknown, unknown>): string | null {
  return isScalar(p.key) && p.key.value !== null && p.key.value !== undefined ? String(p.key.value) : null;
}

function spanOf(ydoc: YamlDoc, node: unknown): Span | null {
  const r = (node as Node | null)?.range;
  return r ? { start: ydoc.base + r[0], end: ydoc.base + r[1] } : null;
}

/** Collects facts, each scalar node once (a value reached twice through an alias belongs to its first owner). */
class Collector {
  readonly facts: YamlString[] = [];
  private readonly seen = new Set<unknown>();

  constructor(readonly ydoc: YamlDoc) {}

  /** False when the node was collected already. */
  claim(node: unknown): boolean {
    if (this.seen.has(node)) return false;
    this.seen.add(node);
    return true;
  }

  /**
   * Named values: a map (`NAME: value`, with `<<` merges resolved: merged entries come after
   * the map's own, origin 'merged') or a list (`- NAME=value`).
   */
  named(entry: Entry | undefined, site: StringSite, path: string[], origin: Origin, extra?: Partial<StringFact>): void {
    const node = entry?.value;
    if (!node) return;
    const o: Origin = entry.merged ? 'merged' : origin;
    const { ydoc } = this;
    if (isMap(node)) {
      const own = new Set<unknown>();
      const pairs: [Pair<Node, Node | null>, Origin][] = [];
      for (const p of node.items as Pair<Node, Node | null>[]) {
        own.add(p);
        const k = keyName(p);
        if (k === null || k === '<<') continue;
        pairs.push([p, isAlias(p.value) ? 'merged' : o]);
      }
      for (const e of entries(node, ydoc.doc).values()) if (!own.has(e.pair)) pairs.push([e.pair, 'merged']);
      for (const [p, po] of pairs) {
        const name = keyName(p)!;
        const nameSpan = spanOf(ydoc, p.key);
        if (!nameSpan) continue;
        const v = deref(p.value, ydoc.doc);
        if (v !== null && !isScalar(v)) continue;
        if (v !== null && !this.claim(v)) continue;
        const w = written(ydoc, v);
        if (!w) {
          if (v && !isScalar(v)) continue;
          this.push(this.bare(name, nameSpan, site, [...path, name], po), extra);
          continue;
        }
        const f = fact(ydoc, w, site, [...path, name], po);
        f.name = name;
        f.nameSpan = nameSpan;
        this.push(f, extra);
      }
    } else if (isSeq(node)) {
      (node.items as unknown[]).forEach((raw, i) => {
        const item = deref(raw, ydoc.doc);
        if (!isScalar(item) || !this.claim(item)) return;
        const w = written(ydoc, item);
        if (!w) return;
        const io: Origin = isAlias(raw) ? 'merged' : o;
        const eq = w.raw.indexOf('=');
        const peq = w.value.indexOf('=');
        if (eq < 0 && peq < 0) {
          this.push(this.bare(w.value, { start: w.start, end: w.start + w.raw.length }, site, [...path, String(i)], io, item), extra);
          return;
        }
        if (eq <= 0 || peq <= 0) return;
        const f = new YamlString(ydoc, w.node, w.value.slice(peq + 1), w.raw.slice(eq + 1), w.start + eq + 1, w.quote);
        f.prefix = w.raw.slice(0, eq + 1);
        f.site = site;
        f.path = [...path, String(i)];
        f.origin = io;
        f.name = w.raw.slice(0, eq);
        f.nameSpan = { start: w.start, end: w.start + eq };
        this.push(f, extra);
      });
    }
  }

  private bare(name: string, nameSpan: Span, site: StringSite, path: string[], origin: Origin, node: Scalar | null = null): YamlString {
    const f = new YamlString(this.ydoc, node, '', '', nameSpan.end, 'plain');
    f.site = site;
    f.path = path;
    f.origin = origin;
    f.name = name;
    f.nameSpan = nameSpan;
    f.bare = true;
    return f;
  }

  /** A command: one string (shell form), or a list of strings (exec form), items numbered. */
  command(entry: Entry | undefined, site: StringSite, path: string[], origin: Origin, extra?: Partial<StringFact>): void {
    const node = entry?.value;
    if (!node) return;
    const o: Origin = entry.merged ? 'merged' : origin;
    if (isScalar(node)) {
      if (!this.claim(node)) return;
      const w = written(this.ydoc, node);
      if (w) this.push(fact(this.ydoc, w, site, path, o), extra);
      return;
    }
    if (!isSeq(node) || !this.claim(node)) return;
    let n = 0;
    (node.items as unknown[]).forEach((raw, i) => {
      const item = deref(raw, this.ydoc.doc);
      if (!isScalar(item) || !this.claim(item)) return;
      const w = written(this.ydoc, item);
      if (!w) return;
      const f = fact(this.ydoc, w, site, [...path, String(i)], isAlias(raw) ? 'merged' : o);
      f.item = n++;
      this.push(f, extra);
    });
  }

  /** A `name`/`value` item (a Kubernetes env entry or HTTP header). */
  nameValue(item: unknown, site: StringSite, path: string[], origin: Origin, extra?: Partial<StringFact>): void {
    if (!isMap(item)) return;
    const { doc } = this.ydoc;
    const n = get(item, 'name', doc);
    const name = str(n?.value);
    const v = get(item, 'value', doc);
    if (!name || !v?.value || !isScalar(v.value) || !this.claim(v.value)) return;
    const w = written(this.ydoc, v.value);
    if (!w) return;
    const f = fact(this.ydoc, w, site, [...path, 'value'], v.merged ? 'merged' : origin);
    f.name = name;
    f.nameSpan = spanOf(this.ydoc, n?.value) ?? undefined;
    this.push(f, extra);
  }

  /** A map's own `key: scalar` pairs (no merges: data and annotations are written out). */
  pairs(map: YAMLMap | null, site: StringSite, path: string[], extra?: Partial<StringFact>): void {
    if (!map) return;
    for (const p of map.items as Pair<Node, Node | null>[]) {
      const k = keyName(p);
      if (k === null || !p.value || !this.claim(p.value)) continue;
      const w = written(this.ydoc, p.value);
      if (!w) continue;
      const f = fact(this.ydoc, w, site, [...path, k], 'own');
      f.name = k;
      f.nameSpan = spanOf(this.ydoc, p.key) ?? undefined;
      this.push(f, extra);
    }
  }

  push(f: YamlString, extra?: Partial<StringFact>): void {
    if (extra) Object.assign(f, extra);
    this.facts.push(f);
  }

  /**
   * Every scalar under `root` not collected yet (not through aliases: an anchored value is
   * visited where it is written), path from the document root; `objectOf` names the
   * Kubernetes object a map starts.
   */
  rest(root: unknown, objectOf?: (m: YAMLMap) => ObjectRef | undefined, skip?: ReadonlySet<unknown>): void {
    const walk = (node: unknown, path: string[], object: ObjectRef | undefined, depth: number): void => {
      if (depth > 64 || isAlias(node) || skip?.has(node)) return;
      if (isScalar(node)) {
        if (this.seen.has(node)) return;
        const w = written(this.ydoc, node);
        if (w) this.push(fact(this.ydoc, w, 'other', path, 'own'), object ? { object } : undefined);
      } else if (isMap(node)) {
        const o = objectOf?.(node) ?? object;
        for (const p of node.items) {
          if (!isPair(p) || !p.value) continue;
          walk(p.value, [...path, isScalar(p.key) ? String(p.key.value) : '?'], o, depth + 1);
        }
      } else if (isSeq(node)) node.items.forEach((it, i) => walk(it, [...path, String(i)], object, depth + 1));
    };
    walk(root, [], undefined, 0);
  }
}

/** The container's strings on first read, linked to its environment entries; later reads get the same list. */
export function ownStrings(spec: ContainerSpec, build: () => StringFact[]): StringFact[] {
  const facts = build();
  const env = new Map(spec.env.map((e) => [e.nameSpan.start, e]));
  for (const f of facts) if (f.site === 'environment' && f.nameSpan) f.env = env.get(f.nameSpan.start);
  Object.defineProperty(spec, 'strings', { value: facts, enumerable: true, configurable: true, writable: true });
  return facts;
}

/** What of a Compose service the strings need (structural: fromCompose imports this module). */
interface ServiceLike {
  ydoc: YamlDoc;
  fields: Map<string, Entry>;
}

/** A Compose service's strings: environment, build args, labels, command, entrypoint, healthcheck test. */
export function composeStrings(_file: YamlFile, svc: ServiceLike, merged = false): StringFact[] {
  const c = new Collector(svc.ydoc);
  collectService(c, svc, merged ? 'merged' : 'own');
  return c.facts;
}

function collectService(c: Collector, svc: ServiceLike, origin: Origin): void {
  const { doc } = svc.ydoc;
  c.named(svc.fields.get('environment'), 'environment', ['environment'], origin);
  const build = svc.fields.get('build');
  if (isMap(build?.value)) c.named(entries(build.value, doc).get('args'), 'build-arg', ['build', 'args'], build.merged ? 'merged' : origin);
  c.named(svc.fields.get('labels'), 'label', ['labels'], origin);
  c.command(svc.fields.get('command'), 'command', ['command'], origin);
  c.command(svc.fields.get('entrypoint'), 'entrypoint', ['entrypoint'], origin);
  const hc = svc.fields.get('healthcheck');
  if (isMap(hc?.value)) c.command(entries(hc.value, doc).get('test'), 'healthcheck', ['healthcheck', 'test'], hc.merged ? 'merged' : origin);
}

/** Every container-owned node of a document, from its containers' strings. */
function ownedBy(containers: ContainerSpec[]): Set<unknown> {
  const owned = new Set<unknown>();
  for (const spec of containers) for (const f of spec.strings) if (f instanceof YamlString && f.node) owned.add(f.node);
  return owned;
}

function inDocument(ydoc: YamlDoc, spec: ContainerSpec): boolean {
  return spec.anchor.start >= ydoc.base && spec.anchor.start <= ydoc.base + ydoc.text.length;
}

function isSops(ydoc: YamlDoc): boolean {
  return Boolean(ydoc.root && isMap(get(ydoc.root, 'sops', ydoc.doc)?.value));
}

/** One StringDocument per parsed document of a Compose file. */
export function composeDocuments(_file: YamlFile, docs: YamlDoc[], containers: ContainerSpec[]): StringDocument[] {
  return docs.map((ydoc) => {
    const mine = containers.filter((s) => inDocument(ydoc, s));
    return stringDocument(ydoc.doc, ydoc, mine, mine);
  });
}

/**
 * One part of a Compose document (engine per-service reuse): the given containers, and the
 * strings none of `owners` owns outside the `skip` subtrees. Its key is a new object, never
 * the parsed document: a part found clean says nothing about the whole document.
 */
export function composeDocumentPart(ydoc: YamlDoc, containers: ContainerSpec[], skip: ReadonlySet<unknown>, owners: ContainerSpec[] = containers): StringDocument {
  return stringDocument({}, ydoc, containers, owners, skip);
}

/** A Compose document's StringDocument: its other strings (none of `owners` owns, outside `skip`) collected when first read. */
function stringDocument(key: object, ydoc: YamlDoc, containers: ContainerSpec[], owners: ContainerSpec[], skip?: ReadonlySet<unknown>): StringDocument {
  let strings: StringFact[] | undefined;
  return {
    key,
    containers,
    sops: isSops(ydoc),
    declaredSecrets: declaredSecrets(ydoc),
    get strings() {
      if (!strings) {
        const c = new Collector(ydoc);
        for (const n of ownedBy(owners)) c.claim(n);
        c.rest(ydoc.doc.contents, undefined, skip);
        strings = c.facts;
      }
      return strings;
    },
  };
}

/**
 * A mention of gpg in a file: 40-hex values there are key fingerprints (`gpg --recv-keys
 * "$key"`), not secrets. File-wide: no-hardcoded-secrets reads it, and per-service reuse keys on it.
 */
export const GPG_CONTEXT = /\bgpg[2v]?\b|--recv-keys?\b|keyserver|apt-key|fingerprint/i;

function declaredSecrets(ydoc: YamlDoc): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const top = ydoc.root ? getMap(ydoc.root, 'secrets', ydoc.doc) : null;
  if (!top) return out;
  for (const [id, e] of entries(top, ydoc.doc)) out.set(id, isMap(e.value) ? str(get(e.value, 'file', ydoc.doc)?.value) ?? null : null);
  return out;
}

/** What of a Kubernetes object the strings need (structural: fromKubernetes imports this module). */
interface ObjectLike {
  ydoc: YamlDoc;
  map: YAMLMap;
  kind: string;
  name: string | null;
  podMeta: YAMLMap | null;
}

function objectRef(obj: ObjectLike): ObjectRef {
  const ns = str(get(getMap(obj.map, 'metadata', obj.ydoc.doc), 'namespace', obj.ydoc.doc)?.value) ?? null;
  return { kind: obj.kind, name: obj.name, namespace: ns };
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

/** A Kubernetes container's strings: env values, command, args, exec probes and hooks, HTTP headers. */
export function kubeStrings(_file: YamlFile, obj: ObjectLike, container: YAMLMap): StringFact[] {
  const { ydoc } = obj;
  const { doc } = ydoc;
  const c = new Collector(ydoc);
  const object = objectRef(obj);
  const env = get(container, 'env', doc);
  if (isSeq(env?.value)) {
    env.value.items.forEach((raw, i) => {
      c.nameValue(deref(raw, doc), 'environment', ['env', String(i)], env.merged || isAlias(raw) ? 'merged' : 'own', { object });
    });
  }
  for (const key of ['command', 'args'] as const) c.command(get(container, key, doc), key, [key], 'own', { object });
  const handlers: [string, StringSite, YAMLMap | null][] = [
    ...PROBES.map((p): [string, StringSite, YAMLMap | null] => [p, 'probe', getMap(container, p, doc)]),
    ...HOOKS.map((h): [string, StringSite, YAMLMap | null] => [h, 'hook', getMap(getMap(container, 'lifecycle', doc), h, doc)]),
  ];
  for (const [within, site, handler] of handlers) {
    const base = site === 'hook' ? ['lifecycle', within] : [within];
    c.command(get(getMap(handler, 'exec', doc), 'command', doc), site, [...base, 'exec', 'command'], 'own', { object, within });
    const headers = getSeq(getMap(handler, 'httpGet', doc), 'httpHeaders', doc);
    seqItems(headers, doc).forEach((h, i) => c.nameValue(h, 'header', [...base, 'httpGet', 'httpHeaders', String(i)], 'own', { object, within }));
  }
  return c.facts;
}

/** One StringDocument per parsed document of a Kubernetes file: Secret and ConfigMap data, annotations, then every other value. */
export function kubeDocuments(_file: YamlFile, docs: YamlDoc[], objects: ObjectLike[], containers: ContainerSpec[]): StringDocument[] {
  return docs.map((ydoc) => {
    const mine = containers.filter((s) => inDocument(ydoc, s));
    let strings: StringFact[] | undefined;
    return {
      key: ydoc.doc,
      containers: mine,
      sops: isSops(ydoc),
      declaredSecrets: new Map(),
      get strings() {
        if (!strings) strings = kubeFileStrings(ydoc, objects.filter((o) => o.ydoc === ydoc), mine);
        return strings;
      },
    };
  });
}

function kubeFileStrings(ydoc: YamlDoc, objects: ObjectLike[], containers: ContainerSpec[]): StringFact[] {
  const { doc } = ydoc;
  const c = new Collector(ydoc);
  for (const n of ownedBy(containers)) c.claim(n);
  const refs = new Map<YAMLMap, ObjectRef>();
  for (const obj of objects) {
    const object = objectRef(obj);
    refs.set(obj.map, object);
    if (obj.kind === 'Secret') {
      c.pairs(getMap(obj.map, 'data', doc), 'data', ['data'], { object });
      c.pairs(getMap(obj.map, 'stringData', doc), 'stringData', ['stringData'], { object });
    } else if (obj.kind === 'ConfigMap') c.pairs(getMap(obj.map, 'data', doc), 'data', ['data'], { object });
    const meta = getMap(obj.map, 'metadata', doc);
    c.pairs(getMap(meta, 'annotations', doc), 'annotation', ['metadata', 'annotations'], { object });
    const template = obj.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : obj.kind === 'PodTemplate' ? ['template'] : ['spec', 'template'];
    if (obj.podMeta && obj.podMeta !== meta) c.pairs(getMap(obj.podMeta, 'annotations', doc), 'annotation', [...template, 'metadata', 'annotations'], { object });
  }
  c.rest(ydoc.doc.contents, (m) => refs.get(m));
  return c.facts;
}

/**
 * File offsets of each character of a string fact's value (starts and ends), by walking the
 * value along the text as written: quotes' escapes (`\n`, `''`), line folding (a break read as
 * a space), block scalars' indentation and chomping. Exact wherever the value's characters are
 * written as themselves; an escape maps to the escape, a folded break to the break.
 */
export function valueOffsets(f: Pick<StringFact, 'value' | 'raw' | 'start' | 'quote'>): { starts: number[]; ends: number[] } {
  const { value, raw, start, quote } = f;
  const starts: number[] = new Array<number>(value.length);
  const ends: number[] = new Array<number>(value.length);
  const last = start + raw.length;
  let j = 0;
  const skipBlanks = () => {
    while (j < raw.length && (raw[j] === ' ' || raw[j] === '\t')) j++;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    let at = -1;
    let len = 1;
    while (j < raw.length) {
      const r = raw[j];
      if (quote === 'single' && r === "'" && raw[j + 1] === "'" && c === "'") {
        at = j;
        len = 2;
        j += 2;
        break;
      }
      if (r === c && !(quote === 'double' && r === '\\')) {
        at = j;
        j++;
        break;
      }
      if (r === '\r') {
        j++;
        continue;
      }
      if (r === '\n' && (c === ' ' || c === '\n')) {
        // a folded line break (or, in a literal block, the break itself)
        at = j;
        j++;
        if (c === ' ' || quote !== 'block') skipBlanks();
        break;
      }
      if (quote === 'double' && r === '\\') {
        const n = raw[j + 1];
        if (n === '\n' || n === '\r') {
          j += n === '\r' && raw[j + 2] === '\n' ? 3 : 2;
          skipBlanks();
          continue;
        }
        at = j;
        len = n === 'x' ? 4 : n === 'u' ? 6 : n === 'U' ? 10 : 2;
        j += len;
        break;
      }
      j++;
    }
    if (at < 0) {
      starts[i] = Math.max(start, last - 1);
      ends[i] = last;
    } else {
      starts[i] = start + at;
      ends[i] = start + at + len;
    }
  }
  return { starts, ends };
}
