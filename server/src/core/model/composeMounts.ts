import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../text';
import type { MountFact, MountKind, WritablePath } from './container';
import type { Origin, Plan } from './facts';
import { editInScalar, locate, noop, plan, spanOf, stackVersionAtLeast, written, yamlTrue, type ComposeContext } from './composeFacts';
import { entries, get, seqItems, str } from './yamlTree';

/**
 * Compose mounts: service-level `tmpfs:` (a string or a list, with options), `volumes:` in
 * short (`src:dst[:mode]`) and long syntax, and named volumes resolved against the file's
 * top-level `volumes:` (a local-driver volume backed by tmpfs is a tmpfs; one with
 * `o: bind` and a `device` is a bind mount of that device).
 */
export function composeMounts(ctx: ComposeContext): MountFact[] {
  return [...tmpfsMounts(ctx), ...volumeMounts(ctx)];
}

function tmpfsMounts(ctx: ComposeContext): MountFact[] {
  const { doc } = ctx.ydoc;
  const found = locate(ctx.svc, ['tmpfs'], doc);
  const node = found?.entry.value;
  if (!found || !node) return [];
  const seq = isSeq(node) ? node : null;
  const nodes = seq ? seqItems(seq, doc) : [node];
  const out: MountFact[] = [];
  for (const n of nodes) {
    if (!isScalar(n) || n.value === null || n.value === undefined || !n.range) continue;
    const raw = String(n.value);
    const colon = raw.indexOf(':');
    const target = colon >= 0 ? raw.slice(0, colon) : raw;
    const options = colon >= 0 ? raw.slice(colon + 1) : null;
    const size = options ? (/(?:^|,)size=([^,]+)/.exec(options)?.[1] ?? null) : null;
    const merged = found.merged || (seq !== null && !seq.items.includes(n));
    out.push({
      kind: 'tmpfs',
      target: target.trim(),
      source: null,
      readOnly: options !== null && options.split(',').includes('ro'),
      size,
      options,
      syntax: 'tmpfs',
      span: spanOf(ctx, n)!,
      sourceSpan: null,
      origin: merged ? 'merged' : 'own',
      setReadOnly: () => null,
      remove: () => {
        if (ctx.shared || merged) return null;
        if (!seq || seq.items.length === 1) return plan(ctx, [() => ctx.editor.removeAt(ctx.svc, ['tmpfs'])], 'remove tmpfs');
        return plan(ctx, [() => ctx.editor.removeItem(seq, n)], `remove tmpfs ${raw}`);
      },
    });
  }
  return out;
}

/** A top-level named volume as the engine mounts it. */
interface NamedVolume {
  kind: MountKind;
  source: string | null;
  size: string | null;
}

/** A named volume resolved against the top-level `volumes:` (local driver options). */
function namedVolume(ctx: ComposeContext, name: string): NamedVolume {
  const { doc } = ctx.ydoc;
  const top = ctx.root ? get(ctx.root, 'volumes', doc)?.value : null;
  const def = isMap(top) ? get(top, name, doc)?.value : null;
  if (!isMap(def)) return { kind: 'volume', source: name, size: null };
  const driver = str(get(def, 'driver', doc)?.value) ?? 'local';
  const opts = get(def, 'driver_opts', doc)?.value;
  if (driver !== 'local' || !isMap(opts)) return { kind: 'volume', source: name, size: null };
  const type = str(get(opts, 'type', doc)?.value);
  const device = str(get(opts, 'device', doc)?.value);
  const o = str(get(opts, 'o', doc)?.value) ?? '';
  if (type === 'tmpfs' || device === 'tmpfs') return { kind: 'tmpfs', source: name, size: /(?:^|,)size=([^,]+)/.exec(o)?.[1] ?? null };
  if (device && o.split(',').includes('bind')) return { kind: 'bind', source: device, size: null };
  return { kind: 'volume', source: name, size: null };
}

/** Splits a short-syntax volume at `:`, never inside `${...}`, keeping a Windows drive (`C:\x`) whole. */
export function splitVolume(spec: string): { parts: string[]; starts: number[] } {
  const parts: string[] = [];
  const starts: number[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '$' && spec[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) {
      const part = spec.slice(start, i);
      // a drive letter: `C:\data` or `C:/data`
      if (/^[A-Za-z]$/.test(part) && /[\\/]/.test(spec[i + 1] ?? '')) continue;
      parts.push(part);
      starts.push(start);
      start = i + 1;
    }
  }
  parts.push(spec.slice(start));
  starts.push(start);
  return { parts, starts };
}

/** Resolves `${VAR:-default}` / `${VAR-default}` at the start of a source; bare variables stay. */
function resolveSource(source: string): string {
  const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}(.*)$/.exec(source);
  return m ? m[1] + m[2] : source;
}

function isPath(source: string): boolean {
  return /^(?:[./~\\]|\$|[A-Za-z]:[\\/])/.test(source);
}

function isPipe(source: string): boolean {
  return /^(?:\\\\|\/\/)\.[\\/]pipe[\\/]/i.test(source);
}

/** A span inside a scalar's written text, when its value maps onto it one to one. */
function innerSpan(ctx: ComposeContext, n: Scalar, from: number, to: number): Span | null {
  const w = written(ctx, n);
  const value = String(n.value);
  const quote = w[0] === '"' || w[0] === "'" ? 1 : 0;
  if (w.slice(quote, quote + value.length) !== value) return null;
  const s = spanOf(ctx, n)!;
  return { start: s.start + quote + from, end: s.start + quote + to };
}

function volumeMounts(ctx: ComposeContext): MountFact[] {
  const { doc } = ctx.ydoc;
  const found = locate(ctx.svc, ['volumes'], doc);
  const seq = found?.entry.value;
  if (!found || !isSeq(seq)) return [];
  const out: MountFact[] = [];
  for (const n of seqItems(seq, doc)) {
    const merged = found.merged || !seq.items.includes(n);
    const origin: Origin = merged ? 'merged' : 'own';
    const canEdit = () => !ctx.shared && !merged;
    const remove = (): Plan | null => {
      if (!canEdit()) return null;
      if (seq.items.length === 1) return plan(ctx, [() => ctx.editor.removeAt(ctx.svc, ['volumes'])], 'remove volumes');
      return plan(ctx, [() => ctx.editor.removeItem(seq, n)], 'remove the volume');
    };
    if (isScalar(n) && n.value !== null && n.value !== undefined && n.range) {
      out.push(shortVolume(ctx, seq, n, origin, canEdit, remove));
    } else if (isMap(n) && n.range) {
      out.push(longVolume(ctx, n, origin, canEdit, remove));
    }
  }
  return out;
}

function shortVolume(ctx: ComposeContext, _seq: YAMLSeq, n: Scalar, origin: Origin, canEdit: () => boolean, remove: () => Plan | null): MountFact {
  const spec = String(n.value);
  const { parts, starts } = splitVolume(spec);
  const single = parts.length === 1;
  const source = single ? null : parts[0];
  const target = single ? parts[0] : parts[1];
  const mode = parts.length >= 3 ? parts[2] : null;
  const options = mode ? mode.split(',') : [];
  let kind: MountKind = single ? 'volume' : 'bind';
  let resolvedSource = source;
  let size: string | null = null;
  if (source !== null) {
    const r = resolveSource(source);
    if (isPipe(r)) kind = 'npipe';
    else if (isPath(r)) {
      kind = 'bind';
      resolvedSource = r;
    } else {
      const v = namedVolume(ctx, r);
      kind = v.kind;
      resolvedSource = v.source;
      size = v.size;
    }
  }
  const readOnly = options.includes('ro');
  return {
    kind,
    target: target ?? null,
    source: resolvedSource,
    readOnly,
    size,
    options: mode,
    syntax: 'short',
    span: spanOf(ctx, n)!,
    sourceSpan: source !== null ? innerSpan(ctx, n, starts[0], starts[0] + source.length) : null,
    origin,
    setReadOnly: () => {
      if (!canEdit()) return null;
      if (readOnly) return noop();
      if (single) return null;
      if (mode !== null) {
        const rw = options.indexOf('rw');
        const from = starts[2];
        if (rw >= 0) {
          const at = from + options.slice(0, rw).reduce((a, o) => a + o.length + 1, 0);
          return plan(ctx, [() => editInScalar(ctx, n, at, at + 2, 'ro')], ':ro');
        }
        return plan(ctx, [() => editInScalar(ctx, n, spec.length, spec.length, ',ro')], ':ro');
      }
      return plan(ctx, [() => editInScalar(ctx, n, spec.length, spec.length, ':ro')], ':ro');
    },
    remove,
  };
}

function longVolume(ctx: ComposeContext, m: YAMLMap, origin: Origin, canEdit: () => boolean, remove: () => Plan | null): MountFact {
  const { doc } = ctx.ydoc;
  const e = entries(m, doc);
  const type = str(e.get('type')?.value) ?? 'volume';
  const sourceNode = e.get('source')?.value;
  const source = str(sourceNode);
  const target = str(e.get('target')?.value) ?? null;
  const readOnly = yamlTrue((e.get('read_only')?.value as Scalar | null)?.value);
  let kind: MountKind = type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'other';
  let resolvedSource = source ?? null;
  let size: string | null = null;
  if (type === 'tmpfs') {
    const t = e.get('tmpfs')?.value;
    size = isMap(t) ? (str(get(t, 'size', doc)?.value) ?? null) : null;
    resolvedSource = null;
  } else if (type === 'volume' && source) {
    const v = namedVolume(ctx, source);
    kind = v.kind;
    resolvedSource = v.source;
    size = v.size;
  } else if (type === 'bind' && source) resolvedSource = resolveSource(source);
  return {
    kind,
    target,
    source: resolvedSource,
    readOnly,
    size,
    syntax: 'long',
    span: spanOf(ctx, m)!,
    sourceSpan: isScalar(sourceNode) ? spanOf(ctx, sourceNode) : null,
    origin,
    setReadOnly: () => {
      if (!canEdit()) return null;
      if (readOnly) return noop();
      if (kind === 'tmpfs') return null;
      return plan(ctx, [() => ctx.editor.setAt(m, ['read_only'], 'true')], 'read_only: true');
    },
    remove,
  };
}

/** The bytes of a MiB count, as the stack file's integer `tmpfs.size`. */
export function mibToBytes(mib: number): number {
  return Math.round(mib * 1024 * 1024);
}

/** Whether something writable is mounted exactly at `target`. */
function writableAt(mounts: MountFact[], target: string): boolean {
  const t = target.replace(/\/+$/, '') || '/';
  return mounts.some((m) => !m.readOnly && m.target !== null && (m.target.replace(/\/+$/, '') || '/') === t);
}

/**
 * setters.addWritablePath: a bounded tmpfs at `target`. docker compose: a `tmpfs:` entry
 * `/tmp:size=64m` (created, appended in the list's style, or a scalar turned into a list);
 * a stack file drops service-level tmpfs, so there a `type: tmpfs` volume with an integer
 * `tmpfs.size` in bytes (only for a version absent or >= 3.6); legacy v1 has no tmpfs.
 */
export function addWritablePath(ctx: ComposeContext, mounts: MountFact[], target: string, sizeMiB: number): Plan | null {
  return addWritablePaths(ctx, mounts, [{ target, sizeMiB }]);
}

/** setters.addWritablePaths: addWritablePath for several paths in one edit (one list created once). */
export function addWritablePaths(ctx: ComposeContext, mounts: MountFact[], paths: WritablePath[]): Plan | null {
  if (ctx.shared || ctx.legacy) return null;
  if (paths.some((p) => !Number.isFinite(p.sizeMiB) || p.sizeMiB <= 0)) return null;
  const { doc } = ctx.ydoc;
  if (ctx.stack) {
    if (!stackVersionAtLeast(ctx, 3, 6)) return null;
    const todo = paths.filter((p) => !mounts.some((m) => m.kind === 'tmpfs' && m.syntax !== 'tmpfs' && m.target === p.target));
    if (!todo.length) return noop();
    if (locate(ctx.svc, ['volumes'], doc)?.merged) return null;
    const wanted = todo.map((p) => ({
      item: { type: 'tmpfs', target: ctx.editor.renderScalar(p.target), tmpfs: { size: String(mibToBytes(p.sizeMiB)) } },
      same: (n: Node) => isMap(n) && str(get(n, 'type', doc)?.value) === 'tmpfs' && str(get(n, 'target', doc)?.value) === p.target,
    }));
    return plan(ctx, [() => ctx.editor.ensureItems(ctx.svc, ['volumes'], wanted)], todo.map((p) => `volumes: type: tmpfs at ${p.target}`).join(', '));
  }
  const todo = paths.filter((p) => !writableAt(mounts, p.target));
  if (!todo.length) return noop();
  if (locate(ctx.svc, ['tmpfs'], doc)?.merged) return null;
  const entry = (p: WritablePath) => `${p.target}:size=${p.sizeMiB}m${p.uid !== undefined ? `,uid=${p.uid}` : ''}${p.gid !== undefined ? `,gid=${p.gid}` : ''}`;
  const wanted = todo.map((p) => ({
    item: ctx.editor.renderScalar(entry(p)),
    same: (n: Node) => isScalar(n) && String(n.value ?? '').split(':')[0] === p.target,
  }));
  return plan(ctx, [() => ctx.editor.ensureItems(ctx.svc, ['tmpfs'], wanted)], todo.map((p) => `tmpfs: ${entry(p)}`).join(', '));
}

/** A Docker tmpfs `size=` value (bytes, or with a k/m/g suffix) in bytes; null when not a plain number. */
export function tmpfsSizeBytes(size: string): number | null {
  const m = /^(\d+)([kmg]?)b?$/i.exec(size.trim());
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

/**
 * setters.tmpfsToVolumes (stack files): the service-level `tmpfs:` entries, which docker stack
 * deploy drops, become `type: tmpfs` volumes with an integer `tmpfs.size` in bytes (an entry
 * without `size=` gets `defaultMiB`). Null outside stack files, for a version below 3.6, for
 * entries merged from an anchor, or for a size that is not a plain number. Options other than
 * `size` (uid=, mode=) have no stack equivalent and are left out. `extra` paths get a tmpfs volume too
 * (in the same `volumes:` edit).
 */
export function tmpfsToVolumes(ctx: ComposeContext, mounts: MountFact[], defaultMiB: number, extra: { target: string; sizeMiB: number }[] = []): Plan | null {
  if (!ctx.stack || ctx.shared || ctx.legacy || !stackVersionAtLeast(ctx, 3, 6)) return null;
  const { doc } = ctx.ydoc;
  const own = mounts.filter((m) => m.syntax === 'tmpfs');
  if (!own.length) return noop();
  // removing the key would lose a comment written on its lines: no fix then
  const key = locate(ctx.svc, ['tmpfs'], doc);
  const value = key?.entry.value;
  const keyNode = key?.entry.pair.key as Node | null | undefined;
  if (key && value?.range) {
    const t = ctx.ydoc.text;
    const from = keyNode?.range ? keyNode.range[0] : value.range[0];
    const end = t.indexOf('\n', value.range[1]);
    if (/(^|\s)#/.test(t.slice(from, end < 0 ? t.length : end))) return null;
  }
  if (own.some((m) => m.origin !== 'own' || !m.target) || locate(ctx.svc, ['volumes'], doc)?.merged) return null;
  const wanted: { item: { type: string; target: string; tmpfs: { size: string } }; same: (n: Node) => boolean }[] = [];
  for (const m of own) {
    const bytes = m.size === null ? mibToBytes(defaultMiB) : tmpfsSizeBytes(m.size);
    if (bytes === null) return null;
    const target = m.target!;
    if (mounts.some((x) => x.kind === 'tmpfs' && x.syntax !== 'tmpfs' && x.target === target)) continue;
    wanted.push({
      item: { type: 'tmpfs', target: ctx.editor.renderScalar(target), tmpfs: { size: String(bytes) } },
      same: (n: Node) => isMap(n) && str(get(n, 'type', doc)?.value) === 'tmpfs' && str(get(n, 'target', doc)?.value) === target,
    });
  }
  for (const p of extra) {
    if (wanted.some((w) => w.item.target === ctx.editor.renderScalar(p.target)) || mounts.some((x) => x.kind === 'tmpfs' && x.syntax !== 'tmpfs' && x.target === p.target)) continue;
    wanted.push({
      item: { type: 'tmpfs', target: ctx.editor.renderScalar(p.target), tmpfs: { size: String(mibToBytes(p.sizeMiB)) } },
      same: (n: Node) => isMap(n) && str(get(n, 'type', doc)?.value) === 'tmpfs' && str(get(n, 'target', doc)?.value) === p.target,
    });
  }
  const steps = [() => ctx.editor.removeAt(ctx.svc, ['tmpfs'])];
  if (wanted.length) steps.push(() => ctx.editor.ensureItems(ctx.svc, ['volumes'], wanted));
  return plan(ctx, steps, `tmpfs entries as volumes of type tmpfs`);
}
