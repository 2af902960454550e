import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { V1_SERVICE_KEYS } from '../classify';
import { EditBatch } from '../edit/batch';
import type { YamlEditor, YamlFile, YamlValue } from '../edit/yaml';
import { nodeSpan, type YamlDoc } from '../parse/yaml';
import type { Span } from '../text';
import type { TextEdit } from '../types';
import type { Fact, Item, ListFact, Origin, Plan } from './facts';
import { entries, seqItems, type Entry } from './yamlTree';

/**
 * The one path-based helper that builds Compose facts (DESIGN.md, "The normalised model"):
 * a fact is read by walking a key path through the service's map with merge keys resolved
 * at every level, and written back through the edit layer at the same path. A new boolean
 * fact is one line: `boolFact(ctx, ['privileged'])`.
 */

/** What every fact of one service needs: the document, its editor, and the file's format. */
export interface ComposeContext {
  file: YamlFile;
  ydoc: YamlDoc;
  editor: YamlEditor;
  /** The service's own map. */
  svc: YAMLMap;
  /** The document's top-level map. */
  root: YAMLMap | null;
  /** The service is itself an alias or carries an anchor others may merge: no edit at all. */
  shared: boolean;
  /** Legacy v1 file (no `services:`). */
  legacy: boolean;
  /** A stack file (`docker stack deploy`). */
  stack: boolean;
  /** The file's `version:` as written, or null. */
  version: string | null;
}

/** A value found at a path, with how it got there. */
export interface Located {
  entry: Entry;
  /** The path as written, from the service map. */
  path: string[];
  /** True when the value, or any map on the way to it, comes from an anchor or alias. */
  merged: boolean;
  /** The map that holds the last key. */
  parent: YAMLMap;
}

/** Walks `path` from `map` with merges resolved; undefined when a key is missing or a step is not a map. */
export function locate(map: YAMLMap, path: string[], doc: Document): Located | undefined {
  let current: YAMLMap = map;
  let merged = false;
  for (let i = 0; i < path.length; i++) {
    const e = entries(current, doc).get(path[i]);
    if (!e) return undefined;
    merged ||= e.merged;
    if (i === path.length - 1) return { entry: e, path, merged, parent: current };
    if (!isMap(e.value)) return undefined;
    current = e.value;
  }
  return undefined;
}

/**
 * Whether a write at `path` must go under a map that comes from an anchor (YAML merges are
 * shallow: writing the parent on the service would drop the anchor's other keys). The last
 * key itself may be merged: a scalar is overridden by writing it on the service.
 */
export function blockedByMerge(map: YAMLMap, path: string[], doc: Document): boolean {
  let current: YAMLMap = map;
  for (let i = 0; i < path.length - 1; i++) {
    const e = entries(current, doc).get(path[i]);
    if (!e) return false;
    if (e.merged) return true;
    if (!isMap(e.value)) return false;
    current = e.value;
  }
  return false;
}

/** A node's file span without the line breaks a block collection's range takes in. */
export function spanOf(ctx: ComposeContext, node: Node | null | undefined): Span | null {
  const s = nodeSpan(node, ctx.ydoc.base);
  if (!s) return null;
  const t = ctx.ydoc.text;
  const base = ctx.ydoc.base;
  let end = s.end;
  while (end > s.start && /\s/.test(t[end - 1 - base])) end--;
  return { start: s.start, end };
}

/** The text of a node as written in the document. */
export function written(ctx: ComposeContext, node: Node): string {
  return node.range ? ctx.ydoc.text.slice(node.range[0], node.range[1]) : '';
}

/** A YAML `true` in any spelling Compose reads as true (YAML 1.2 `true`, and the 1.1 words it converts). */
export function yamlTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(?:true|yes|on|y)$/i.test(v));
}

/** One edit step of a plan: a list of edits, or null when refused. */
export type Step = () => TextEdit[] | null;

/** A plan whose build runs the steps in one batch (null when any step is refused). */
export function plan(ctx: ComposeContext, steps: Step[], summary?: string, caveat?: string): Plan {
  return {
    summary,
    caveat,
    build: () => {
      const batch = newBatch(ctx);
      for (const s of steps) if (!batch.add(tidy(ctx.file.text, s()))) return null;
      const edits = batch.edits();
      return edits ? { edits } : null;
    },
  };
}

/** A plan that changes nothing (the fact already holds the value). */
export function noop(): Plan {
  return { build: () => ({ edits: [] }) };
}

/**
 * A replacement that ends with the same line break it removes keeps that line break out of
 * its range (`[s, e)` -> `T\n` over text ending in `\n` becomes `[s, e-1)` -> `T`), so an
 * insertion at the end of that line (a key added after it) is not inside it.
 */
export function tidy(text: string, edits: TextEdit[] | null): TextEdit[] | null {
  if (!edits) return null;
  return edits.map((e) => {
    for (const eol of ['\r\n', '\n', '\r']) {
      if (e.end - e.start > eol.length && e.text.endsWith(eol) && e.text.length > eol.length && text.slice(e.end - eol.length, e.end) === eol) {
        return { start: e.start, end: e.end - eol.length, text: e.text.slice(0, -eol.length) };
      }
    }
    return e;
  });
}

function newBatch(ctx: ComposeContext): EditBatch {
  return new EditBatch(ctx.file);
}

/** Whether the file format has a key at all (legacy v1: only its own service keys). */
function formatHas(ctx: ComposeContext, path: string[]): boolean {
  if (!ctx.legacy) return true;
  return path.length === 1 && V1_SERVICE_KEYS.has(path[0]);
}

/** `version:` as [major, minor], or null when absent or not a number. */
export function versionOf(ctx: ComposeContext): [number, number] | null {
  const m = /^\s*(\d+)(?:\.(\d+))?/.exec(ctx.version ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : null;
}

/** A stack file accepts a feature introduced in `min` (a file without `version:` is the latest 3.x). */
export function stackVersionAtLeast(ctx: ComposeContext, major: number, minor: number): boolean {
  const v = versionOf(ctx);
  if (!v) return true;
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

export interface ScalarOptions<T> {
  /** Another spelling read when `path` is absent (e.g. `mem_limit` for deploy.resources.limits.memory). */
  alt?: string[][];
  /** Renders a value for writing (already YAML text); default: the editor's renderScalar. */
  render?: (v: T) => string;
  /** Where a new value is written when nothing is written yet; default `path`. */
  writeAt?: (ctx: ComposeContext) => string[] | null;
  /** Refuses writes (a stack ignores the key, the file version lacks it...). */
  writable?: (ctx: ComposeContext) => boolean;
}

/** A scalar fact at a key path, with its platform default when absent. */
export function scalarFact<T>(ctx: ComposeContext, path: string[], parse: (v: unknown) => T, def: T, opts: ScalarOptions<T> = {}): Fact<T> {
  const { doc } = ctx.ydoc;
  let found = locate(ctx.svc, path, doc);
  for (const alt of opts.alt ?? []) found ??= locate(ctx.svc, alt, doc);
  const render = opts.render ?? ((v: T) => ctx.editor.renderScalar(v as unknown as string | number | boolean));
  const writable = () => !ctx.shared && (opts.writable?.(ctx) ?? true);
  const node = found?.entry.value ?? null;
  const present = found !== undefined && node !== null && !(isScalar(node) && (node.value === null || node.value === undefined));
  const value = present && isScalar(node) ? parse(node.value) : present ? parse(undefined) : def;
  const origin: Origin = present ? (found!.merged ? 'merged' : 'own') : 'default';
  const fact: Fact<T> = {
    value,
    origin,
    span: present ? spanOf(ctx, node) : null,
    keySpan: found ? spanOf(ctx, found.entry.pair.key) : null,
    path: found ? found.path : null,
    raw: present && isScalar(node) ? written(ctx, node) : undefined,
    set: (v: T) => {
      if (value === v) return noop();
      if (!writable()) return null;
      const at = found ? found.path : (opts.writeAt ? opts.writeAt(ctx) : path);
      if (!at || !formatHas(ctx, at) || blockedByMerge(ctx.svc, at, doc)) return null;
      const text = render(v);
      return plan(ctx, [() => ctx.editor.setAt(ctx.svc, at, text)], `${at.join('.')}: ${text}`);
    },
    remove: () => {
      if (!found) return noop();
      if (!writable() || found.merged) return null;
      const at = found.path;
      return plan(ctx, [() => ctx.editor.removeAt(ctx.svc, at)], `remove ${at.join('.')}`);
    },
  };
  return fact;
}

/** A boolean key (default false): `privileged`, `read_only`, `use_api_socket`... */
export function boolFact(ctx: ComposeContext, path: string[], opts: ScalarOptions<boolean> = {}): Fact<boolean> {
  return scalarFact(ctx, path, yamlTrue, false, { render: (v) => (v ? 'true' : 'false'), ...opts });
}

/** A string key (default null): `network_mode`, `pid`, `deploy.resources.limits.memory` (alt `mem_limit`)... */
export function stringFact(ctx: ComposeContext, path: string[], opts: ScalarOptions<string | null> = {}): Fact<string | null> {
  return scalarFact(ctx, path, (v) => (v === undefined || v === null ? null : String(v)), null, {
    render: (v) => ctx.editor.renderScalar(v ?? ''),
    ...opts,
  });
}

/** A list of scalars at a key path, each item normalised (`cap_add`, `cap_drop`, `security_opt`). */
export function listFact<V>(ctx: ComposeContext, path: string[], normalise: (raw: string) => V, opts: { same?: (a: V, b: V) => boolean; writable?: (ctx: ComposeContext) => boolean } = {}): ListFact<V> & { seq: YAMLSeq | null; nodes: Scalar[]; merged: boolean } {
  const { doc } = ctx.ydoc;
  const found = locate(ctx.svc, path, doc);
  const node = found?.entry.value ?? null;
  const merged = found?.merged ?? false;
  const origin: Origin = !found || node === null ? 'default' : merged ? 'merged' : 'own';
  const writable = () => !ctx.shared && !merged && (opts.writable?.(ctx) ?? true) && formatHas(ctx, path) && !blockedByMerge(ctx.svc, path, doc);
  const seq = isSeq(node) ? node : null;
  const nodes: Scalar[] = [];
  const items: Item<V>[] = [];
  const scalars = seq ? seqItems(seq, doc) : isScalar(node) && node.value !== null ? [node] : [];
  for (const n of scalars) {
    if (!isScalar(n) || n.value === null || n.value === undefined || !n.range) continue;
    const raw = String(n.value);
    nodes.push(n);
    const itemMerged = merged || (seq !== null && !seq.items.includes(n));
    items.push({
      value: normalise(raw),
      raw,
      span: spanOf(ctx, n)!,
      origin: itemMerged ? 'merged' : 'own',
      remove: () => {
        if (!writable() || itemMerged) return null;
        if (!seq) return plan(ctx, [() => ctx.editor.removeAt(ctx.svc, path)], `remove ${path.join('.')}`);
        return plan(ctx, [() => ctx.editor.removeItem(seq, n)], `remove ${raw} from ${path.join('.')}`);
      },
    });
  }
  const same = opts.same ?? ((a: V, b: V) => a === b);
  return {
    items,
    span: spanOf(ctx, node),
    keySpan: found ? spanOf(ctx, found.entry.pair.key) : null,
    origin,
    seq,
    nodes,
    merged,
    add: (raw: string) => {
      if (!writable()) return null;
      const want = normalise(raw);
      if (items.some((i) => same(i.value, want))) return noop();
      const text = ctx.editor.renderScalar(raw);
      const isSame = (n: Node) => isScalar(n) && n.value !== null && n.value !== undefined && same(normalise(String(n.value)), want);
      return plan(ctx, [() => ctx.editor.ensureItem(ctx.svc, path, text, isSame)], `${path.join('.')}: ${raw}`);
    },
  };
}

/** Capability names as Compose compares them: upper-case, without `CAP_`. */
export function normaliseCapability(raw: string): string {
  return raw.trim().toUpperCase().replace(/^CAP_/, '');
}

/**
 * One `security_opt` entry as the engine reads it (moby's parseSecurityOpt): bare
 * `no-new-privileges`, bare `disable` (label), else split at the first `=`, or at the first
 * `:` (the deprecated separator) when there is no `=`.
 */
export function parseSecurityOpt(raw: string): { key: string; value: string | null } {
  const s = raw.trim();
  if (s === 'disable') return { key: 'label', value: 'disable' };
  const eq = s.indexOf('=');
  const at = eq >= 0 ? eq : s.indexOf(':');
  if (at < 0) return { key: s, value: null };
  return { key: s.slice(0, at), value: s.slice(at + 1) };
}

/** Go's strconv.ParseBool: true, false, or null for anything else. */
export function parseGoBool(v: string): boolean | null {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return null;
}

/** Where an entry's value starts inside the scalar (after `key=` / `key:`), or null for a bare entry. */
function valueOffset(raw: string): number | null {
  const s = raw;
  if (s.trim() === 'disable') return null;
  const eq = s.indexOf('=');
  const at = eq >= 0 ? eq : s.indexOf(':');
  return at < 0 ? null : at + 1;
}

type OptList = ReturnType<typeof listFact<{ key: string; value: string | null }>>;

/** The separator the list already uses (`=` unless its entries use `:`). */
function separatorOf(list: OptList): string {
  let colon = 0;
  let eq = 0;
  for (const i of list.items) {
    if (i.raw.includes('=')) eq++;
    else if (i.raw.includes(':')) colon++;
  }
  return colon > eq ? ':' : '=';
}

/**
 * A fact derived from the `security_opt` entries with one key (`seccomp`, `apparmor`,
 * `label`, `systempaths`): the last entry wins (the engine applies them in order). `label`
 * prefers `disable`, then a `type:` entry. set() rewrites that entry's value or appends one;
 * remove() removes every entry with the key.
 */
export function securityOptFact(ctx: ComposeContext, list: OptList, key: string, writable: boolean): Fact<string | null> {
  const idx = list.items.map((_, i) => i).filter((i) => list.items[i].value.key === key);
  let pick = idx.length ? idx[idx.length - 1] : -1;
  if (key === 'label') {
    const dis = idx.find((i) => list.items[i].value.value === 'disable');
    const type = idx.find((i) => list.items[i].value.value?.startsWith('type:'));
    pick = dis ?? type ?? pick;
  }
  const item = pick >= 0 ? list.items[pick] : null;
  const node = pick >= 0 ? list.nodes[pick] : null;
  const canEdit = () => writable && !ctx.shared && !list.merged && !ctx.stack;
  return {
    value: item ? item.value.value : null,
    origin: item ? item.origin : 'default',
    span: item ? item.span : null,
    keySpan: list.keySpan,
    path: item ? ['security_opt', String(pick)] : null,
    raw: item?.raw,
    set: (v) => {
      if (!canEdit()) return null;
      if (v === null) return removeOpts(ctx, list, idx);
      if (item?.value.value === v) return noop();
      if (item && node && item.origin === 'own') {
        const off = valueOffset(item.raw);
        if (off !== null) return plan(ctx, [() => editInScalar(ctx, node, off, item.raw.length, v)], `security_opt: ${key}=${v}`);
      }
      return list.add(`${key}${separatorOf(list)}${v}`);
    },
    remove: () => (canEdit() ? removeOpts(ctx, list, idx) : null),
  };
}

function removeOpts(ctx: ComposeContext, list: OptList, idx: number[]): Plan | null {
  if (!idx.length) return noop();
  if (idx.some((i) => list.items[i].origin !== 'own')) return null;
  if (idx.length === list.items.length || !list.seq) return plan(ctx, [() => ctx.editor.removeAt(ctx.svc, ['security_opt'])], 'remove security_opt');
  const seq = list.seq;
  return plan(ctx, idx.map((i) => () => ctx.editor.removeItem(seq, list.nodes[i])), 'remove security_opt entries');
}

/**
 * no-new-privileges from `security_opt` (RULES.md): on for a bare entry or a Go ParseBool
 * true value after `=` or `:`; the last entry wins. A false or unparseable value is value
 * false with its entry's span, so set(true) rewrites that value in place; otherwise an entry
 * is appended in the list's style. A stack ignores `security_opt`: no setter there.
 */
export function noNewPrivilegesFact(ctx: ComposeContext, list: OptList): Fact<boolean> {
  let pick = -1;
  list.items.forEach((it, i) => {
    if (it.value.key === 'no-new-privileges') pick = i;
  });
  const item = pick >= 0 ? list.items[pick] : null;
  const node = pick >= 0 ? list.nodes[pick] : null;
  const value = item ? item.value.value === null || parseGoBool(item.value.value) === true : false;
  const canEdit = () => !ctx.shared && !list.merged && !ctx.stack;
  return {
    value,
    origin: item ? item.origin : 'default',
    span: item ? item.span : null,
    keySpan: list.keySpan,
    path: item ? ['security_opt', String(pick)] : null,
    raw: item?.raw,
    set: (v) => {
      if (!canEdit()) return null;
      if (v === value && (item !== null || !v)) return noop();
      if (item && node && item.origin === 'own') {
        const off = valueOffset(item.raw);
        if (off !== null) return plan(ctx, [() => editInScalar(ctx, node, off, item.raw.length, v ? 'true' : 'false')], `security_opt: no-new-privileges${item.raw[off - 1]}${v}`);
        if (!v) return plan(ctx, [() => editInScalar(ctx, node, item.raw.length, item.raw.length, `${separatorOf(list)}false`)], 'security_opt: no-new-privileges=false');
      }
      return list.add(`no-new-privileges${separatorOf(list)}${v}`);
    },
    remove: () => {
      if (!canEdit()) return null;
      const idx = list.items.map((_, i) => i).filter((i) => list.items[i].value.key === 'no-new-privileges');
      return removeOpts(ctx, list, idx);
    },
  };
}

/**
 * Edits inside a scalar keeping its quotes (`:ro` on a short-syntax volume); where the edit
 * layer cannot keep the style (a plain scalar that would need quotes, say `,`), the whole
 * single-line scalar is rewritten, rendered safely.
 */
export function editInScalar(ctx: ComposeContext, node: Scalar, from: number, to: number, text: string): TextEdit[] | null {
  const inside = ctx.editor.replaceInScalar(node, from, to, text);
  if (inside || !node.range || ctx.editor.shared(node)) return inside;
  const value = String(node.value);
  const w = written(ctx, node);
  if (/[\r\n]/.test(w) || to > value.length) return null;
  const next = value.slice(0, from) + text + value.slice(to);
  return [{ start: ctx.ydoc.base + node.range[0], end: ctx.ydoc.base + node.range[1], text: ctx.editor.renderScalar(next) }];
}

/** Names of every alias in a document (an anchor still used when its name is here). */
const aliasMemo = new WeakMap<Document, Set<string>>();
export function aliasNames(doc: Document): Set<string> {
  let s = aliasMemo.get(doc);
  if (s) return s;
  s = new Set<string>();
  // a plain walk (the generic visitor costs more): every node once, aliases not followed
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isAlias(n)) s.add(n.source);
    else if (isMap(n) || isSeq(n)) {
      for (const it of n.items as unknown[]) stack.push(it);
    } else if (isPair(n)) stack.push(n.key, n.value);
  }
  aliasMemo.set(doc, s);
  return s;
}

/** True when this node, or a collection inside it, carries an anchor that an alias uses. */
export function anchorInUse(node: Node | null | undefined, doc: Document): boolean {
  if (!node) return false;
  const used = aliasNames(doc);
  if (!used.size) return false;
  let hit = false;
  const check = (n: unknown) => {
    const a = (n as { anchor?: string } | null)?.anchor;
    if (a && used.has(a)) hit = true;
  };
  check(node);
  if (isMap(node) || isSeq(node)) {
    visit(node, {
      Node(_, n) {
        check(n);
        return hit ? visit.BREAK : undefined;
      },
      Pair(_, p: Pair) {
        check(p.key);
        check(p.value);
        return hit ? visit.BREAK : undefined;
      },
    });
  }
  return hit;
}

export type { YamlValue };
