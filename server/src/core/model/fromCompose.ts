import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { isLegacyComposeRoot } from '../classify';
import { EditBatch } from '../edit/batch';
import { YamlEditor, type YamlFile, type YamlValue } from '../edit/yaml';
import { nodeSpan, type YamlDoc } from '../parse/yaml';
import type { Span } from '../text';
import type { TextEdit } from '../types';
import type { ContainerSpec, EnvFact, NamespaceFacts, PortFact, ResourceFacts, SecretTarget, SecurityFacts, UserFact } from './container';
import { absentFact, type Fact, type Origin, type Plan } from './facts';
import {
  anchorInUse,
  blockedByMerge,
  boolFact,
  listFact,
  locate,
  noNewPrivilegesFact,
  noop,
  normaliseCapability,
  parseSecurityOpt,
  plan,
  securityOptFact,
  stackVersionAtLeast,
  stringFact,
  tidy,
  yamlTrue,
  type ComposeContext,
  type Step,
} from './composeFacts';
import { addWritablePath, addWritablePaths, composeMounts, tmpfsToVolumes } from './composeMounts';
import { composeDropCapabilities } from './capabilities';
import { parsePortSpec } from './ports';
import { matchesAnyImagePattern } from './images';
import { entries, get, scalar, seqItems, str, type Entry } from './yamlTree';
import { imageUser, isRootUser } from './fromDockerfile';
import { composeDocuments, composeStrings, ownStrings, type StringDocument } from './strings';

export interface ComposeService {
  name: string;
  ydoc: YamlDoc;
  map: YAMLMap;
  keySpan: { start: number; end: number };
  fields: Map<string, Entry>;
  /** A legacy v1 service (a top-level key of a file without `services:`). */
  legacy: boolean;
  /** The networks the service joins (`networks:` list or map); empty when it uses the default network. */
  networks: ServiceNetwork[];
}

export interface ServiceNetwork {
  name: string;
  /** The name as written in the service's `networks:`. */
  span: Span;
}

/**
 * A top-level network (or, in a stack, the implicit `default` network every service without
 * `networks:` joins). `overlay` is the effective driver: `driver: overlay`, or in a stack a
 * network without `driver:` (docker stack deploy creates overlays).
 */
export interface NetworkFact {
  name: string;
  driver: Fact<string | null>;
  /** `driver_opts` has an `encrypted` key (its presence turns encryption on, whatever its value). */
  encrypted: boolean;
  external: boolean;
  /** The stack's implicit `default` network: not written in the file. */
  implicit: boolean;
  overlay: boolean;
  /** The network's key under `networks:`, null for the implicit one. */
  keySpan: Span | null;
  origin: Origin;
  /** Adds `driver_opts: {encrypted: "true"}` (merged into existing driver_opts); null for an external network or one written in an anchor. */
  setEncrypted(): Plan | null;
}

export interface ComposeModel {
  services: ComposeService[];
  containers: ContainerSpec[];
  /** The file's `version:` as written (informative; a stack validates against it), or null. */
  version: string | null;
  /** A stack file (`docker stack deploy`): a name containing `stack`, or `compose.target: stack`. */
  stack: boolean;
  /** A legacy v1 file (services at the top level, no `services:`). */
  legacy: boolean;
  networks: NetworkFact[];
  /** Per YAML document: its containers and every string no container owns (strings.ts). */
  documents: StringDocument[];
}

/** What the model needs to know about a service's Dockerfile in the workspace. */
export interface BuildUserLookup {
  (context: string, dockerfile: string, target?: string): { user: UserFact; path: string; volumes?: string[] } | null;
}

export interface ComposeOptions {
  nonRootImages: string[];
  dockerfileUser?: BuildUserLookup;
  target: 'compose' | 'stack';
}

export function isComposeDoc(ydoc: YamlDoc): boolean {
  if (!ydoc.root) return false;
  const s = get(ydoc.root, 'services', ydoc.doc)?.value;
  return isMap(s);
}

/** Resolves `${VAR:-default}` / `${VAR-default}` to the default; a bare `${VAR}` is unknown. */
export function interpolate(value: string): { value: string; unknown: boolean } {
  let unknown = false;
  const out = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, n1: string, op: string | undefined, word: string | undefined) => {
    if (m === '$$') return '$';
    if (n1 && op && (op === ':-' || op === '-')) return word ?? '';
    unknown = true;
    return m;
  });
  return { value: out, unknown };
}

function buildTarget(fields: Map<string, Entry>, doc: Document): { context: string; dockerfile: string; target?: string } | null {
  const b = fields.get('build');
  if (!b) return null;
  if (isScalar(b.value)) return { context: String(b.value.value ?? '.'), dockerfile: fields.has('dockerfile') ? (str(fields.get('dockerfile')?.value) ?? 'Dockerfile') : 'Dockerfile' };
  if (isMap(b.value)) {
    const e = entries(b.value, doc);
    if (e.has('dockerfile_inline')) return null;
    return { context: str(e.get('context')?.value) ?? '.', dockerfile: str(e.get('dockerfile')?.value) ?? 'Dockerfile', target: str(e.get('target')?.value) };
  }
  return null;
}

/** The service maps of a document: `services.*`, or the top-level entries of a legacy v1 file. */
function serviceEntries(ydoc: YamlDoc, allowLegacy: boolean): { entries: Map<string, Entry>; legacy: boolean } | null {
  if (isComposeDoc(ydoc)) return { entries: entries(get(ydoc.root, 'services', ydoc.doc)!.value as YAMLMap, ydoc.doc), legacy: false };
  if (allowLegacy && isLegacyComposeRoot(ydoc.root, ydoc.doc)) return { entries: entries(ydoc.root!, ydoc.doc), legacy: true };
  return null;
}

export function buildComposeModel(file: YamlFile, docs: YamlDoc[], opts: ComposeOptions): ComposeModel {
  const services: ComposeService[] = [];
  const containers: ContainerSpec[] = [];
  const networks: NetworkFact[] = [];
  const stack = opts.target === 'stack';
  let version: string | null = null;
  let legacyFile = false;
  // the engine classified the file as Compose: a v1-shaped document counts only when no document has services:
  const allowLegacy = !docs.some(isComposeDoc);
  for (const ydoc of docs) {
    const found = serviceEntries(ydoc, allowLegacy);
    if (!found) continue;
    const { doc, base } = ydoc;
    const legacy = found.legacy;
    legacyFile ||= legacy;
    const v = legacy ? undefined : str(get(ydoc.root, 'version', doc)?.value);
    version ??= v ?? null;
    const editor = new YamlEditor(file, ydoc);
    const docServices: ComposeService[] = [];
    for (const [name, entry] of found.entries) {
      if (!isMap(entry.value)) continue;
      const map = entry.value;
      const keySpan = nodeSpan(entry.pair.key, base)!;
      const fields = entries(map, doc);
      const svc: ComposeService = { name, ydoc, map, keySpan, fields, legacy, networks: serviceNetworks(fields, ydoc) };
      services.push(svc);
      docServices.push(svc);
      const imageEntry = fields.get('image');
      const image = str(imageEntry?.value);
      const build = buildTarget(fields, doc);
      const built = build && opts.dockerfileUser ? opts.dockerfileUser(build.context, build.dockerfile, build.target) : null;
      // The facts are built when first read: a per-service reuse (core/composeReuse.ts) runs
      // the rules on the edited service only, and nothing reads the other services' facts.
      const ctxOf = once((): ComposeContext => ({ file, ydoc, editor, svc: map, root: ydoc.root, shared: entry.merged || editor.shared(map), legacy, stack, version: v ?? null }));
      let user = once(() => composeUser(svc, image, build, opts));
      let mounts = once(() => composeMounts(ctxOf()));
      let ports = once(() => composePorts(svc));
      let env = once(() => composeEnv(svc, ctxOf().shared));
      let security = once(() => composeSecurity(ctxOf()));
      let namespaces = once(() => composeNamespaces(ctxOf(), svc));
      let resources = once(() => composeResources(ctxOf()));
      containers.push({
        platform: 'compose',
        name,
        anchor: keySpan,
        extent: { start: keySpan.start, end: Math.max(keySpan.end, nodeSpan(map, base)?.end ?? keySpan.end) },
        image: image && imageEntry?.value ? { ref: interpolate(image).value, raw: image, span: nodeSpan(imageEntry.value, base)! } : null,
        get user() { return user(); },
        set user(v) { user = () => v; },
        windows: false,
        partial: false,
        builds: build !== null || fields.has('build'),
        ...(built?.volumes?.length ? { buildVolumes: { paths: built.volumes, from: built.path } } : {}),
        get ports() { return ports(); },
        set ports(v) { ports = () => v; },
        get env() { return env(); },
        set env(v) { env = () => v; },
        get security() { return security(); },
        set security(v) { security = () => v; },
        get namespaces() { return namespaces(); },
        set namespaces(v) { namespaces = () => v; },
        get mounts() { return mounts(); },
        set mounts(v) { mounts = () => v; },
        get resources() { return resources(); },
        set resources(v) { resources = () => v; },
        serviceAccount: { name: absentFact(null), automountToken: absentFact(null) },
        get strings() { return ownStrings(this, () => composeStrings(file, svc, entry.merged)); },
        setters: {
          runAsUser: (uidGid) => {
            if (ctxOf().shared) return null;
            const edits = editor.setAt(map, ['user'], editor.renderScalar(uidGid));
            if (!edits) return null;
            const u = user();
            if (u.fix) return { edits, safe: u.fix.safe, caveat: u.fix.caveat };
            if (u.stepDown?.by === 'image') return { edits, safe: false, caveat: `${u.stepDown.family} starts as root and switches to ${u.stepDown.runsAs ?? 'its user'} itself` };
            // a build whose Dockerfile could not be read is not known safe either (it may build FROM postgres)
            return { edits, safe: false, caveat: build ? 'its Dockerfile was not checked' : 'the image may need to start as root' };
          },
          envToSecret: (e, target) => (ctxOf().shared ? null : composeEnvToSecret(ctxOf(), svc, e, target)),
          addWritablePath: (target, sizeMiB) => addWritablePath(ctxOf(), mounts(), target, sizeMiB),
          addWritablePaths: (paths) => addWritablePaths(ctxOf(), mounts(), paths),
          tmpfsToVolumes: (defaultMiB, extra) => tmpfsToVolumes(ctxOf(), mounts(), defaultMiB, extra),
          setLimits: (limits) => setLimits(ctxOf(), limits),
          dropCapabilities: (addBack) => composeDropCapabilities(ctxOf(), addBack),
        },
      });
    }
    if (!legacy) networks.push(...composeNetworks(file, ydoc, editor, stack, docServices));
  }
  return { services, containers, version, stack, legacy: legacyFile, networks, documents: composeDocuments(file, docs, containers) };
}

/** `f`'s value, computed on the first call. */
function once<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

function serviceNetworks(fields: Map<string, Entry>, ydoc: YamlDoc): ServiceNetwork[] {
  const n = fields.get('networks')?.value;
  const out: ServiceNetwork[] = [];
  if (isSeq(n)) {
    for (const item of seqItems(n, ydoc.doc)) {
      const name = str(item);
      const span = nodeSpan(item, ydoc.base);
      if (name !== undefined && span) out.push({ name, span });
    }
  } else if (isMap(n)) {
    for (const [name, e] of entries(n, ydoc.doc)) {
      const span = nodeSpan(e.pair.key, ydoc.base);
      if (span) out.push({ name, span });
    }
  }
  return out;
}

/** The top-level networks, and in a stack the implicit `default` network when a service uses it. */
function composeNetworks(file: YamlFile, ydoc: YamlDoc, editor: YamlEditor, stack: boolean, services: ComposeService[]): NetworkFact[] {
  const { doc, base } = ydoc;
  const root = ydoc.root;
  if (!root) return [];
  const topEntry = get(root, 'networks', doc);
  const top = isMap(topEntry?.value) ? topEntry.value : null;
  const out: NetworkFact[] = [];
  const rootCtx = (map: YAMLMap): ComposeContext => ({ file, ydoc, editor, svc: map, root, shared: false, legacy: false, stack, version: null });
  const encryptPlan = (name: string, encrypted: boolean, external: boolean): Plan | null => {
    if (external) return null;
    if (encrypted) return noop();
    const at = ['networks', name, 'driver_opts', 'encrypted'];
    if (blockedByMerge(root, at, doc)) return null;
    return plan(rootCtx(root), [() => editor.setAt(root, at, editor.renderScalar('true'))], 'driver_opts: {encrypted: "true"}');
  };
  for (const [name, e] of top ? entries(top, doc) : []) {
    const def = isMap(e.value) ? e.value : null;
    const driver = def ? stringFact(rootCtx(def), ['driver']) : absentFact<string | null>(null);
    const opts = def ? get(def, 'driver_opts', doc)?.value : null;
    const encrypted = isMap(opts) && entries(opts, doc).has('encrypted');
    const ext = def ? get(def, 'external', doc)?.value : null;
    const external = Boolean(ext) && (isMap(ext) || yamlTrue((ext as Scalar).value));
    out.push({
      name,
      driver: e.merged && driver.origin === 'own' ? { ...driver, origin: 'merged' } : driver,
      encrypted,
      external,
      implicit: false,
      overlay: driver.value === 'overlay' || (stack && driver.value === null && !external),
      keySpan: nodeSpan(e.pair.key, base),
      origin: e.merged || (topEntry?.merged ?? false) ? 'merged' : 'own',
      setEncrypted: () => encryptPlan(name, encrypted, external),
    });
  }
  const usesDefault = services.some((s) => s.networks.length === 0 && !s.fields.has('network_mode')) || services.some((s) => s.networks.some((n) => n.name === 'default'));
  if (stack && usesDefault && !out.some((n) => n.name === 'default')) {
    out.push({
      name: 'default',
      driver: absentFact(null),
      encrypted: false,
      external: false,
      implicit: true,
      overlay: true,
      keySpan: null,
      origin: 'default',
      setEncrypted: () => encryptPlan('default', false, false),
    });
  }
  return out;
}

function composeSecurity(ctx: ComposeContext): SecurityFacts {
  const securityOpt = listFact(ctx, ['security_opt'], parseSecurityOpt, { same: (a, b) => a.key === b.key && a.value === b.value });
  const { seq: _seq, nodes: _nodes, merged: _merged, ...securityOptFact_ } = securityOpt;
  return {
    privileged: boolFact(ctx, ['privileged']),
    noNewPrivileges: noNewPrivilegesFact(ctx, securityOpt),
    capAdd: listFact(ctx, ['cap_add'], normaliseCapability),
    capDrop: listFact(ctx, ['cap_drop'], normaliseCapability),
    readOnlyRootFilesystem: boolFact(ctx, ['read_only']),
    securityOpt: securityOptFact_,
    seccomp: securityOptFact(ctx, securityOpt, 'seccomp', true),
    apparmor: securityOptFact(ctx, securityOpt, 'apparmor', true),
    selinux: securityOptFact(ctx, securityOpt, 'label', true),
    systemPaths: securityOptFact(ctx, securityOpt, 'systempaths', !ctx.legacy),
    hostUsers: absentFact(null),
    useApiSocket: boolFact(ctx, ['use_api_socket']),
  };
}

/** A namespace key: value `host` when the host's namespace is shared, otherwise what is written. */
function namespaceFact(ctx: ComposeContext, path: string[], alt?: string[][]): Fact<string | null> {
  return stringFact(ctx, path, { alt });
}

function composeNamespaces(ctx: ComposeContext, svc: ComposeService): NamespaceFacts {
  let network = namespaceFact(ctx, ['network_mode'], [['net']]);
  if (ctx.stack && network.origin === 'default') {
    // a stack spells host networking as joining the external network named `host`
    const hostNet = svc.networks.find((n) => isHostNetwork(ctx, n.name));
    if (hostNet) network = { ...absentFact<string | null>('host'), origin: 'own', span: hostNet.span, keySpan: hostNet.span, path: ['networks', hostNet.name], raw: hostNet.name };
  }
  return {
    network,
    pid: namespaceFact(ctx, ['pid']),
    ipc: namespaceFact(ctx, ['ipc']),
    userns: namespaceFact(ctx, ['userns_mode']),
    uts: namespaceFact(ctx, ['uts']),
  };
}

/** A top-level network that is the external network `host` (by key or by `name:`). */
function isHostNetwork(ctx: ComposeContext, name: string): boolean {
  const { doc } = ctx.ydoc;
  const top = ctx.root ? get(ctx.root, 'networks', doc)?.value : null;
  const def = isMap(top) ? get(top, name, doc)?.value : null;
  if (!isMap(def)) return false;
  const ext = get(def, 'external', doc)?.value;
  const external = isMap(ext) || yamlTrue((ext as Scalar | null)?.value);
  const extName = isMap(ext) ? str(get(ext, 'name', doc)?.value) : undefined;
  return external && (extName ?? str(get(def, 'name', doc)?.value) ?? name) === 'host';
}

const LIMIT_KEYS = { memory: 'mem_limit', cpus: 'cpus', pids: 'pids_limit' } as const;

function composeResources(ctx: ComposeContext): ResourceFacts {
  const limit = (key: 'memory' | 'cpus' | 'pids', setter: 'memory' | 'cpu' | 'pids'): Fact<string | null> => {
    const f = stringFact(ctx, ['deploy', 'resources', 'limits', key], { alt: [[LIMIT_KEYS[key]]] });
    return {
      ...f,
      set: (v) => {
        if (v === null) return f.remove();
        if (f.value === v) return noop();
        return setLimits(ctx, { [setter]: setter === 'pids' ? Number(v) : v });
      },
    };
  };
  return {
    memoryLimit: limit('memory', 'memory'),
    cpuLimit: limit('cpus', 'cpu'),
    pidsLimit: limit('pids', 'pids'),
    memoryReservation: stringFact(ctx, ['deploy', 'resources', 'reservations', 'memory'], {
      alt: [['mem_reservation']],
      writeAt: (c) => (c.legacy ? null : c.stack || !usesShortLimits(c) ? ['deploy', 'resources', 'reservations', 'memory'] : ['mem_reservation']),
    }),
    cpuReservation: stringFact(ctx, ['deploy', 'resources', 'reservations', 'cpus'], { render: (v) => ctx.editor.renderScalar(v ?? '') }),
  };
}

function usesShortLimits(ctx: ComposeContext): boolean {
  const e = entries(ctx.svc, ctx.ydoc.doc);
  return Object.values(LIMIT_KEYS).some((k) => e.has(k));
}

/**
 * setters.setLimits (RULES.md, resource-limits): `deploy.resources.limits`, or the short keys
 * when the service already uses any of them (docker compose refuses differing short and deploy
 * values); in a stack always `deploy.resources.limits`, the short keys moved there (pids only
 * for a version absent or >= 3.9); legacy v1 has only `mem_limit`. Refused under a `deploy`
 * (or `resources`, `limits`) merged from an anchor.
 */
export function setLimits(ctx: ComposeContext, limits: { memory?: string; cpu?: string; pids?: number }): Plan | null {
  if (ctx.shared) return null;
  const { doc } = ctx.ydoc;
  const { editor } = ctx;
  const wanted: ['memory' | 'cpus' | 'pids', string | number][] = [];
  if (limits.memory !== undefined) wanted.push(['memory', limits.memory]);
  if (limits.cpu !== undefined) wanted.push(['cpus', limits.cpu]);
  if (limits.pids !== undefined) wanted.push(['pids', limits.pids]);
  if (!wanted.length) return noop();
  const e = entries(ctx.svc, doc);
  if (ctx.legacy) {
    if (wanted.some(([k]) => k !== 'memory')) return null;
    return scalarSteps(ctx, [[['mem_limit'], String(limits.memory), editor.renderScalar(String(limits.memory))]]);
  }
  const short = !ctx.stack && usesShortLimits(ctx);
  if (short) {
    return scalarSteps(ctx, wanted.map(([k, v]) => [[LIMIT_KEYS[k]], String(v), k === 'memory' ? editor.renderScalar(String(v)) : String(v)]));
  }
  if (ctx.stack && limits.pids !== undefined && !stackVersionAtLeast(ctx, 3, 9)) return null;
  const base = ['deploy', 'resources', 'limits'];
  if (blockedByMerge(ctx.svc, [...base, 'x'], doc)) return null;
  const render = (k: string, v: string | number) => (k === 'pids' ? String(v) : editor.renderScalar(String(v)));
  const steps: Step[] = [];
  const limitsMap = locate(ctx.svc, base, doc)?.entry.value;
  const todo = wanted.filter(([k, v]) => {
    const cur = isMap(limitsMap) ? get(limitsMap, k, doc)?.value : null;
    return !(isScalar(cur) && String(cur.value) === String(v));
  });
  if (isMap(limitsMap)) {
    for (const [k, v] of todo) steps.push(() => editor.setAt(ctx.svc, [...base, k], render(k, v)));
  } else if (todo.length) {
    const value: Record<string, YamlValue> = {};
    for (const [k, v] of todo) value[k] = render(k, v);
    steps.push(() => editor.setAt(ctx.svc, base, value));
  }
  if (ctx.stack) {
    // a stack refuses the short keys: they move into deploy.resources.limits
    for (const k of Object.values(LIMIT_KEYS)) {
      const own = e.get(k);
      if (!own) continue;
      if (own.merged) return null;
      steps.push(() => editor.removeAt(ctx.svc, [k]));
    }
  }
  if (!steps.length) return noop();
  return plan(ctx, steps, `deploy.resources.limits: ${wanted.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
}

/** Writes scalars at paths (each [path, value, YAML text]), skipping those already holding the value. */
function scalarSteps(ctx: ComposeContext, writes: [string[], string, string][]): Plan | null {
  const { doc } = ctx.ydoc;
  const steps: Step[] = [];
  for (const [path, value, text] of writes) {
    const cur = locate(ctx.svc, path, doc)?.entry.value;
    if (isScalar(cur) && String(cur.value) === value) continue;
    steps.push(() => ctx.editor.setAt(ctx.svc, path, text));
  }
  if (!steps.length) return noop();
  return plan(ctx, steps, writes.map(([p, , t]) => `${p.join('.')}: ${t}`).join(', '));
}

function composePorts(svc: ComposeService): PortFact[] {
  const { doc, base } = svc.ydoc;
  const out: PortFact[] = [];
  for (const [key, hostSide] of [['ports', true], ['expose', false]] as const) {
    const e = svc.fields.get(key);
    if (!isSeq(e?.value)) continue;
    for (const item of seqItems(e.value, doc)) {
      if (isScalar(item) && item.range) {
        const written = svc.ydoc.text.slice(item.range[0], item.range[1]);
        const p = parsePortSpec(written, { start: base + item.range[0], end: base + item.range[1] }, key === 'ports' ? 'ports' : 'expose', hostSide);
        if (p) out.push(p);
      } else if (isMap(item)) {
        const target = get(item, 'target', doc)?.value;
        if (isScalar(target) && target.range) {
          const p = parsePortSpec(String(target.value), { start: base + target.range[0], end: base + target.range[1] }, 'ports', false);
          if (p) out.push({ ...p, span: { start: base + target.range[0], end: base + target.range[1] }, protocol: str(get(item, 'protocol', doc)?.value) ?? 'tcp' });
        }
      }
    }
  }
  return out;
}

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`). */
function composeEnv(svc: ComposeService, serviceShared: boolean): EnvFact[] {
  const { doc, base } = svc.ydoc;
  const e = svc.fields.get('environment');
  if (!e?.value) return [];
  // an anchored environment that an alias uses elsewhere is shared: editing it would change the others
  const shared = serviceShared || e.merged || anchorInUse(e.value, doc);
  const out: EnvFact[] = [];
  if (isMap(e.value)) {
    for (const [name, entry] of entries(e.value, doc)) {
      const keySpan = nodeSpan(entry.pair.key, base);
      if (!keySpan) continue;
      const v = entry.value;
      const value = isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value) : null;
      out.push({ name, value, nameSpan: keySpan, valueSpan: value !== null ? nodeSpan(v, base) : null, shared: shared || entry.merged });
    }
  } else if (isSeq(e.value)) {
    for (const item of seqItems(e.value, doc)) {
      if (!isScalar(item) || !item.range) continue;
      const text = String(item.value ?? '');
      const eq = text.indexOf('=');
      // spans index the scalar as written: quotes shift it by one, escapes make it longer than the value
      const written = svc.ydoc.text.slice(item.range[0], item.range[1]);
      const quote = written[0] === '"' || written[0] === "'" ? written[0] : '';
      const content = quote && written.length >= 2 && written.endsWith(quote) ? written.slice(1, -1) : written.slice(quote ? 1 : 0);
      const start = base + item.range[0] + (quote ? 1 : 0);
      const name = eq >= 0 ? text.slice(0, eq) : text;
      const eqWritten = content.indexOf('=');
      out.push({
        name,
        value: eq >= 0 ? text.slice(eq + 1) : null,
        nameSpan: { start, end: start + (eqWritten >= 0 ? eqWritten : name.length) },
        valueSpan: eq >= 0 && eqWritten >= 0 ? { start: start + eqWritten + 1, end: start + content.trimEnd().length } : null,
        shared,
      });
    }
  }
  return out;
}

function composeUser(svc: ComposeService, image: string | undefined, build: { context: string; dockerfile: string; target?: string } | null, opts: ComposeOptions): UserFact {
  const u = svc.fields.get('user');
  const base = svc.ydoc.base;
  if (u) {
    const raw = scalar(u.value);
    if (raw !== undefined && raw !== null) {
      const written = String(raw);
      const x = interpolate(written);
      if (x.unknown) return { state: 'unknown', detail: 'explicit', value: written };
      const root = isRootUser(x.value);
      if (u.merged) return { state: root ? 'root' : 'nonroot', detail: 'inherited', value: written, fromName: 'a merged anchor', span: svc.keySpan };
      return { state: root ? 'root' : 'nonroot', detail: 'explicit', value: written, span: nodeSpan(u.value, base) ?? undefined };
    }
  }
  if (build && opts.dockerfileUser) {
    const found = opts.dockerfileUser(build.context, build.dockerfile, build.target);
    if (found && found.user.state !== 'unset') {
      return { ...found.user, detail: found.user.state === 'root' ? 'inherited' : found.user.detail, fromName: found.path, span: svc.keySpan, fromLine: found.user.fromLine };
    }
    if (found) {
      const { state, detail, value, known, stepDown, fix } = found.user;
      return { state, detail: detail === 'steps-down' ? detail : 'image-default', value, known, stepDown, fix, fromName: found.path };
    }
  }
  if (image && matchesAnyImagePattern(interpolate(image).value, opts.nonRootImages)) {
    return { state: 'nonroot', detail: 'known-nonroot-image', value: image };
  }
  // an image: the service builds is its own; only an image-only service is the table's image
  if (image && !build) {
    const x = interpolate(image);
    if (!x.unknown) return { ...imageUser(x.value), value: image };
  }
  return { state: 'unset', detail: 'image-default', value: image };
}

/**
 * Moves one `environment` entry into a Compose secret: a top-level `secrets: {<id>: {file}}`,
 * the service's `secrets: [<id>]`, and the entry replaced by `<fileVariable>=/run/secrets/<id>`
 * (images that read `*_FILE`) or removed. Never edits through a merged anchor or an anchor an
 * alias uses; removing the last entry of an `environment` that shadows a merged one leaves
 * `environment: {}` (the edit layer's emptying rule), so the anchor's variables stay off.
 */
function composeEnvToSecret(ctx: ComposeContext, svc: ComposeService, env: EnvFact, target: SecretTarget): TextEdit[] | null {
  const { doc, base } = svc.ydoc;
  const { editor } = ctx;
  const envEntry = svc.fields.get('environment');
  const secretsEntry = svc.fields.get('secrets');
  if (ctx.legacy || !envEntry?.value || envEntry.merged || env.shared || secretsEntry?.merged) return null;
  if (ctx.stack && !stackVersionAtLeast(ctx, 3, 1)) return null;
  if (anchorInUse(envEntry.value, doc) || anchorInUse(secretsEntry?.value, doc)) return null;
  const root = svc.ydoc.root;
  if (!root) return null;
  const id = target.name;
  const path = `/run/secrets/${id}`;
  // edits are gathered, then the ones an emptied `environment: {}` is followed by are folded into it
  const parts: (TextEdit[] | null)[] = [];
  const batch = { add: (e: TextEdit[] | null) => parts.push(e) };

  // 1. the entry itself
  const envNode = envEntry.value;
  const at = env.nameSpan.start - base;
  if (isMap(envNode)) {
    const own = (envNode.items as Pair<Node, Node | null>[]).find((p) => (p.key as Node | null)?.range?.[0] === at);
    if (!own || !isScalar(own.key) || !own.key.range) return null;
    if (target.fileVariable) {
      if (entries(envNode, doc).has(target.fileVariable)) return null;
      const k = own.key.range;
      const v = own.value;
      if (!v?.range || !isScalar(v)) return null;
      batch.add([{ start: base + k[0], end: base + k[1], text: editor.renderScalar(target.fileVariable) }]);
      batch.add([{ start: base + v.range[0], end: base + scalarEnd(svc.ydoc.text, v), text: editor.renderScalar(path) }]);
    } else {
      batch.add(tidy(ctx.file.text, editor.removeAt(svc.map, ['environment', String(own.key.value)])));
    }
  } else if (isSeq(envNode)) {
    const item = (envNode.items as Node[]).find((n) => n.range && n.range[0] <= at && at < n.range[1]);
    if (!item?.range || !isScalar(item)) return null;
    if (target.fileVariable) {
      // the whole item, however many lines its quoted text spans
      batch.add([{ start: base + item.range[0], end: base + scalarEnd(svc.ydoc.text, item), text: editor.renderScalar(`${target.fileVariable}=${path}`) }]);
    } else {
      batch.add(tidy(ctx.file.text, editor.removeItem(envNode as YAMLSeq, item)));
    }
  } else return null;

  // 2. the service's secrets list
  const listed = (n: Node) => (isScalar(n) && String(n.value) === id) || (isMap(n) && str(get(n, 'source', doc)?.value) === id);
  if (secretsEntry && !isSeq(secretsEntry.value) && secretsEntry.value !== null) return null;
  batch.add(editor.ensureItem(svc.map, ['secrets'], editor.renderScalar(id), listed));

  // 3. the top-level secret
  const top = entries(root, doc).get('secrets');
  const declared = isMap(top?.value) ? get(top.value, id, doc) : undefined;
  if (declared) {
    if (!isMap(declared.value) || str(get(declared.value, 'file', doc)?.value) !== target.key) return null;
  } else {
    if (top?.merged) return null;
    batch.add(editor.setAt(root, ['secrets', id, 'file'], editor.renderScalar(target.key)));
  }
  if (parts.some((p) => p === null)) return null;
  const out = new EditBatch(ctx.file);
  out.add(foldAfterEmptied(parts.flat() as TextEdit[]));
  return out.edits();
}

/**
 * Keys added right after a collection that another edit of the same fix empties to `{}`/`[]`
 * (the service's `secrets:` after `environment: {}`) are written as part of that edit: the
 * batch cannot tell them from lines meant inside the emptied collection, and refuses those.
 */
function foldAfterEmptied(edits: TextEdit[]): TextEdit[] {
  const emptied = edits.find((e) => e.end > e.start && /^[^\r\n]*(?:\{\}|\[\])[ \t]*$/.test(e.text));
  if (!emptied) return edits;
  const after = edits.filter((e) => e.start === e.end && e.start === emptied.end);
  if (!after.length) return edits;
  const folded = { ...emptied, text: emptied.text + after.map((e) => e.text).join('') };
  return [...edits.filter((e) => e !== emptied && !after.includes(e)), folded];
}

/** Where a scalar's own text ends: a block scalar's range takes in the line break after it. */
function scalarEnd(text: string, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /[\r\n]/.test(text[end - 1])) end--;
  return end;
}
