import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { YamlValue } from '../edit/yaml';
import { nodeSpan } from '../parse/yaml';
import type { Span } from '../text';
import type { TextEdit } from '../types';
import type { Fact, Item, ListFact, Origin, Plan } from './facts';
import { get, type Entry } from './yamlTree';

/**
 * The one path-based helper that turns a Kubernetes container's YAML into facts
 * (facts.ts): every fact is a path under the container map, the pod spec, or the pod
 * template's annotations, read with merge keys and aliases resolved, and written back
 * through the edit layer (server/src/core/edit) only where no anchor others share is touched.
 *
 *     privileged: k.containerBool(['securityContext', 'privileged'])
 *     seccomp:    k.inherited(['securityContext', 'seccompProfile', 'type'], annotations)
 *
 * Origins and paths: `own` — the path is from the container map; `pod` — from the pod spec
 * (legacy annotations: `['annotations', key]` from the pod template's metadata, with `own`
 * for a per-container annotation); `merged` — read through a `<<` merge or an alias on the
 * way; `related` — from another object's map (fromKubernetes.ts); `default` — path null.
 * Booleans are read as Kubernetes' YAML 1.1 reader does (`yes`/`on` are true).
 *
 * Setters are two-step (facts.ts `Plan`): `set`/`remove` decide cheaply whether an edit can
 * exist (null: through a shared anchor or alias, under a map that only exists through a
 * merge, a new setting on an ephemeral container, a Linux-only setting in a Windows pod);
 * `build` makes it. `set` writes where the value is written now, else at the fact's home
 * (the container for container-only keys, the pod spec for inherited ones).
 */

/** The edit layer's "make this true" operations (docs: briefs/edit-api.md). */
export interface KubeEditor {
  setAt(map: YAMLMap, path: string[], value: YamlValue): TextEdit[] | null;
  ensureItem(map: YAMLMap, path: string[], item: YamlValue, same?: (n: Node) => boolean): TextEdit[] | null;
  ensureItems(map: YAMLMap, path: string[], wanted: { item: YamlValue; same?: (n: Node) => boolean }[]): TextEdit[] | null;
  removeAt(map: YAMLMap, path: string[]): TextEdit[] | null;
  removeItem(seq: YAMLSeq, item: Node): TextEdit[] | null;
  renderScalar(value: string | number | boolean): string;
  /** True when edits inside this node would change what others share through an anchor. */
  shared(node: Node | null | undefined): boolean;
  /** A JSON document: every string is written quoted. */
  readonly json: boolean;
  /** Joins the edits of one fix (EditBatch); null when any part is null. */
  combine(parts: (TextEdit[] | null)[]): TextEdit[] | null;
}

/** Where one container sits: its map, its pod spec and template metadata, and how it is edited. */
export interface KubeScope {
  /** The whole file's text (spans are file offsets). */
  text: string;
  doc: Document;
  base: number;
  edit: KubeEditor;
  container: YAMLMap;
  pod: YAMLMap;
  /** The pod template's metadata (the object's own for a Pod). */
  podMeta: YAMLMap | null;
  /** The container's name as written (annotations are keyed by it). */
  name: string | null;
  /** ephemeralContainers: explicit values count, "missing" fixes do not exist. */
  ephemeral: boolean;
  /** `spec.os.name: windows`: Linux-only settings cannot be set. */
  windows: boolean;
}

/** A value found at a path, with what reaching it went through. */
export interface Found {
  entry: Entry;
  /** The value node (an alias followed). */
  node: Node | null;
  /** Reached through a `<<` merge or an alias somewhere on the path. */
  merged: boolean;
}

/** Follows `path` from `map` with merges and aliases resolved. */
export function find(map: YAMLMap | null, path: string[], doc: Document): Found | null {
  let m: YAMLMap | null = map;
  let merged = false;
  for (let i = 0; i < path.length; i++) {
    const e = get(m, path[i], doc);
    if (!e) return null;
    merged ||= e.merged;
    if (i === path.length - 1) return { entry: e, node: e.value, merged };
    m = isMap(e.value) ? e.value : null;
  }
  return null;
}

function ownPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

/**
 * Whether an edit at `path` under `root` can stay on this container: no node on the way is an
 * alias or carries an anchor (others may share it), and nothing would be created under a map
 * that only exists through a merge (writing it would hide the anchor's other keys). The
 * last key may come from a merge: it is then overridden on the map itself.
 */
export function writable(edit: Pick<KubeEditor, 'shared'>, root: YAMLMap, path: string[], doc: Document, removing = false): boolean {
  let m: YAMLMap = root;
  if (edit.shared(m)) return false;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    const p = ownPair(m, path[i]);
    if (!p) {
      // merged in: removing is impossible (it would come back), creating under it drops the anchor
      if (get(m, path[i], doc)) return last && !removing;
      return !removing;
    }
    const v = p.value;
    if (isAlias(v) || edit.shared(v)) return false;
    if (last) return true;
    if (v === null || (isScalar(v) && (v.value === null || v.value === undefined || v.value === ''))) return !removing;
    if (!isMap(v)) return !removing;
    m = v;
  }
  return true;
}

const TRUE11 = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE11 = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

/**
 * A boolean as Kubernetes reads it: manifests go through a YAML 1.1 reader
 * (sigs.k8s.io/yaml), so plain `yes`/`on`/`y` are true there; a quoted string is not a boolean.
 */
export function bool11(node: Node | null | undefined): boolean | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'string' && node.type === 'PLAIN') {
    if (TRUE11.has(node.value)) return true;
    if (FALSE11.has(node.value)) return false;
  }
  return undefined;
}

export function string(node: Node | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** The scalar as written (quotes included), for `raw`. */
function rawOf(node: Node | null, text: string, base: number): string | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return text.slice(base + node.range[0], base + node.range[1]);
}

/** A node's file span without the line breaks and indentation a block collection's range takes in. */
export function spanOf(node: Node | null | undefined, base: number, text: string): Span | null {
  const s = nodeSpan(node, base);
  if (!s) return null;
  let end = s.end;
  while (end > s.start && /\s/.test(text[end - 1])) end--;
  return { start: s.start, end };
}

/**
 * A Kubernetes quantity with a unit suffix (`512Mi`, `500m`, `2G`) is written plain: no YAML
 * 1.1 or 1.2 reader takes it for anything but a string. Anything else goes through renderScalar.
 */
export function renderQuantity(edit: KubeEditor, v: string): string {
  return !edit.json && /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P)$/.test(v) ? v : edit.renderScalar(v);
}

export function plan(build: () => TextEdit[] | null, summary?: string, caveat?: string): Plan {
  return {
    build: () => {
      const edits = build();
      return edits ? { edits } : null;
    },
    summary,
    caveat,
  };
}

/** Where a fact is read: the container map, the pod spec, or a pod template annotation. */
export interface Source {
  root: YAMLMap;
  path: string[];
  origin: 'own' | 'pod';
  /** A legacy annotation: `set` removes it and writes this field instead (the API refuses the two disagreeing). */
  field?: Source;
}

interface FactSpec<T> {
  /** Places looked at, first written wins. */
  sources: Source[];
  read: (n: Node | null) => T | undefined;
  dflt: T;
  /** Where `set` writes when nothing is written yet. */
  home: Source;
  /** Renders a value; null means "remove the key" (e.g. a namespace back to private). */
  render: (v: T) => YamlValue | null;
  /** Settings the API refuses in Windows pods. */
  linuxOnly?: boolean;
  /** A value as written that the fact's `value` maps differently (annotations), to convert `set`. */
  summary?: (v: T) => string;
  /** Extra refusal for `set(v)` (e.g. API validation). */
  refuse?: (v: T) => boolean;
  /** Keys next to the written one that `set(v)` at `at` must remove (the API would refuse them). */
  stale?: (v: T, at: Source) => Source[];
}

/** Builds container facts for one Kubernetes container. */
export class KubeFacts {
  readonly text: string;

  constructor(readonly s: KubeScope) {
    this.text = s.text;
  }

  private span(n: Node | null | undefined): Span | null {
    return spanOf(n, this.s.base, this.text);
  }

  /** A fact read from the first source that writes it. */
  fact<T>(spec: FactSpec<T>): Fact<T> {
    const { doc } = this.s;
    for (const src of spec.sources) {
      const f = find(src.root, src.path, doc);
      if (!f) continue;
      const v = spec.read(f.node);
      if (v === undefined) continue;
      return this.written(spec, src, f, v);
    }
    return {
      value: spec.dflt,
      origin: 'default',
      span: null,
      keySpan: null,
      path: null,
      set: (v) => this.setAt(spec, spec.home, v, false),
      remove: () => null,
    };
  }

  private written<T>(spec: FactSpec<T>, src: Source, f: Found, value: T): Fact<T> {
    const origin: Origin = f.merged ? 'merged' : src.origin;
    return {
      value,
      origin,
      span: this.span(f.node),
      keySpan: this.span(f.entry.pair.key as Node | null),
      path: src.path,
      raw: rawOf(f.node, this.text, this.s.base),
      set: (v) => this.setAt(spec, src, v, true),
      remove: () => this.removeAt(src),
    };
  }

  private setAt<T>(spec: FactSpec<T>, src: Source, v: T, written: boolean): Plan | null {
    const { s } = this;
    if (spec.linuxOnly && s.windows) return null;
    if (spec.refuse?.(v)) return null;
    // an ephemeral container gets no new settings; explicit values can be fixed
    if (s.ephemeral && !written) return null;
    const value = spec.render(v);
    if (src.field && written) {
      const field = src.field;
      const drop = this.removeAt(src);
      if (!drop) return null;
      if (value === null) return drop;
      if (!writable(s.edit, field.root, field.path, s.doc)) return null;
      return plan(() => s.edit.combine([s.edit.removeAt(src.root, src.path), s.edit.setAt(field.root, field.path, value)]), `${field.path.join('.')}: ${String(v)}`);
    }
    const summary = spec.summary?.(v) ?? `${src.path[src.path.length - 1]}: ${value === null ? '(removed)' : typeof value === 'string' ? value : '…'}`;
    if (value === null) return written ? this.removeAt(src) : plan(() => [], summary);
    if (!writable(s.edit, src.root, src.path, s.doc)) return null;
    // keys the new value makes invalid (a Localhost profile's path once the type is RuntimeDefault)
    const stale = (spec.stale?.(v, src) ?? []).filter((x) => find(x.root, x.path, s.doc));
    if (stale.some((x) => !writable(s.edit, x.root, x.path, s.doc, true))) return null;
    if (stale.length) return plan(() => s.edit.combine([s.edit.setAt(src.root, src.path, value), ...stale.map((x) => s.edit.removeAt(x.root, x.path))]), summary);
    return plan(() => s.edit.setAt(src.root, src.path, value), summary);
  }

  private removeAt(src: Source): Plan | null {
    const { s } = this;
    if (!writable(s.edit, src.root, src.path, s.doc, true)) return null;
    return plan(() => s.edit.removeAt(src.root, src.path), `remove ${src.path[src.path.length - 1]}`);
  }

  private own(path: string[]): Source {
    return { root: this.s.container, path, origin: 'own' };
  }

  private ofPod(path: string[]): Source {
    return { root: this.s.pod, path, origin: 'pod' };
  }

  /** A boolean the container alone sets (privileged, readOnlyRootFilesystem). */
  containerBool(path: string[], dflt = false, linuxOnly = true): Fact<boolean> {
    const e = this.s.edit;
    return this.fact({ sources: [this.own(path)], read: bool11, dflt, home: this.own(path), render: (v) => e.renderScalar(v), linuxOnly });
  }

  /** A string the container alone sets (procMount). */
  containerString(path: string[], linuxOnly = true): Fact<string | null> {
    return this.fact<string | null>({ sources: [this.own(path)], read: string, dflt: null, home: this.own(path), render: (v) => this.renderOrRemove(v), linuxOnly });
  }

  /**
   * A securityContext string the pod sets for every container unless the container
   * overrides it (seccompProfile.type, appArmorProfile.type, seLinuxOptions.type); `set`
   * writes where it is written now, else on the pod.
   */
  inherited(path: string[], extra: Source[] = [], linuxOnly = true): Fact<string | null> {
    const [ownSrc, podSrc] = [this.own(path), this.ofPod(path)];
    return this.fact<string | null>({
      sources: [ownSrc, ...extra.filter((x) => x.origin === 'own'), podSrc, ...extra.filter((x) => x.origin === 'pod')],
      read: string,
      dflt: null,
      home: podSrc,
      render: (v) => this.renderOrRemove(v),
      linuxOnly,
      // `localhostProfile` is only allowed with `type: Localhost` (seccompProfile, appArmorProfile)
      stale: (v, at) => (path[path.length - 1] === 'type' && v !== 'Localhost' ? [{ ...at, path: [...at.path.slice(0, -1), 'localhostProfile'] }] : []),
    });
  }

  /** A boolean on the pod spec (hostUsers, automountServiceAccountToken). */
  podBool(path: string[], linuxOnly = false): Fact<boolean | null> {
    const src = this.ofPod(path);
    return this.fact<boolean | null>({ sources: [src], read: bool11, dflt: null, home: src, render: (v) => (v === null ? null : this.s.edit.renderScalar(v)), linuxOnly });
  }

  /** A string on the pod spec, first of several spellings (serviceAccountName, then the deprecated serviceAccount); `set` writes the first. */
  podStrings(paths: string[][]): Fact<string | null> {
    const srcs = paths.map((p) => this.ofPod(p));
    return this.fact<string | null>({ sources: srcs, read: string, dflt: null, home: srcs[0], render: (v) => this.renderOrRemove(v) });
  }

  /** hostNetwork / hostPID / hostIPC: `host` when true; `set('host')` writes true, `set(null)` removes the key. */
  hostNamespace(key: string): Fact<string | null> {
    const src = this.ofPod([key]);
    return this.fact<string | null>({
      sources: [src],
      read: (n) => {
        const b = bool11(n);
        return b === undefined ? undefined : b ? 'host' : null;
      },
      dflt: null,
      home: src,
      render: (v) => (v === null ? null : v === 'host' ? 'true' : null),
      refuse: (v) => v !== null && v !== 'host',
      summary: (v) => (v === 'host' ? `${key}: true` : `remove ${key}`),
    });
  }

  /** A quantity under the container's map (resources.limits.memory). */
  containerQuantity(path: string[]): Fact<string | null> {
    const src = this.own(path);
    return this.fact<string | null>({ sources: [src], read: string, dflt: null, home: src, render: (v) => (v === null ? null : renderQuantity(this.s.edit, v)) });
  }

  /** A pod template annotation as a fact source (seccomp/AppArmor legacy annotations). */
  annotation(key: string, field: Source): Source | null {
    const meta = this.s.podMeta;
    return meta ? { root: meta, path: ['annotations', key], origin: field.origin, field } : null;
  }

  ownSource(path: string[]): Source {
    return this.own(path);
  }

  podSource(path: string[]): Source {
    return this.ofPod(path);
  }

  private renderOrRemove(v: string | null): YamlValue | null {
    return v === null ? null : this.s.edit.renderScalar(v);
  }

  /** A list under the container's map (capabilities.add / drop): raw strings, never normalised. */
  containerList(path: string[], linuxOnly = true): ListFact<string> {
    const { s } = this;
    const f = find(s.container, path, s.doc);
    const seq = f && isSeq(f.node) ? (f.node as YAMLSeq) : null;
    const origin: Origin = f ? (f.merged ? 'merged' : 'own') : 'default';
    const items: Item<string>[] = [];
    if (seq) {
      for (const raw of seq.items as Node[]) {
        const node = isAlias(raw) ? (raw.resolve(s.doc) as Node | undefined) ?? null : raw;
        const value = string(node);
        const span = this.span(node);
        if (value === undefined || !span) continue;
        const viaAlias = isAlias(raw) || origin === 'merged';
        items.push({
          value,
          raw: value,
          span,
          origin: viaAlias ? 'merged' : 'own',
          remove: () => (f!.merged || !writable(s.edit, s.container, path, s.doc, true) ? null : plan(() => s.edit.removeItem(seq, raw), `remove ${value}`)),
        });
      }
    }
    return {
      items,
      span: f ? this.span(f.node) : null,
      keySpan: f ? this.span(f.entry.pair.key as Node | null) : null,
      origin,
      add: (raw) => {
        if (linuxOnly && s.windows) return null;
        if (s.ephemeral) return null;
        if (items.some((i) => i.value === raw)) return plan(() => [], `${path[path.length - 1]}: ${raw}`);
        if (!writable(s.edit, s.container, path, s.doc) || (f && f.merged)) return null;
        return plan(() => s.edit.ensureItem(s.container, path, s.edit.renderScalar(raw), (n) => string(n) === raw), `${path[path.length - 1]}: [${raw}]`);
      },
    };
  }
}
