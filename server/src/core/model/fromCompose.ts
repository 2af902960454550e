import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { YamlEditor, type YamlFile } from '../edit/yaml';
import { nodeSpan, type YamlDoc } from '../parse/yaml';
import type { TextEdit } from '../types';
import { defaultFacts, type ContainerSpec, type EnvFact, type PortFact, type SecretTarget, type UserFact } from './container';
import { parsePortSpec } from './ports';
import { matchesImagePattern } from './images';
import { entries, get, scalar, seqItems, str, type Entry } from './yamlTree';
import { isRootUser } from './fromDockerfile';
import { composeDocuments, composeStrings, ownStrings, type StringDocument } from './strings';

export interface ComposeService {
  name: string;
  ydoc: YamlDoc;
  map: YAMLMap;
  keySpan: { start: number; end: number };
  fields: Map<string, Entry>;
}

export interface ComposeModel {
  services: ComposeService[];
  containers: ContainerSpec[];
  /** Per YAML document: its containers and every string no container owns (strings.ts). */
  documents: StringDocument[];
}

/** What the model needs to know about a service's Dockerfile in the workspace. */
export interface BuildUserLookup {
  (context: string, dockerfile: string, target?: string): { user: UserFact; path: string } | null;
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
  if (isScalar(b.value)) return { context: String(b.value.value ?? '.'), dockerfile: 'Dockerfile' };
  if (isMap(b.value)) {
    const e = entries(b.value, doc);
    if (e.has('dockerfile_inline')) return null;
    return { context: str(e.get('context')?.value) ?? '.', dockerfile: str(e.get('dockerfile')?.value) ?? 'Dockerfile', target: str(e.get('target')?.value) };
  }
  return null;
}

export function buildComposeModel(file: YamlFile, docs: YamlDoc[], opts: ComposeOptions): ComposeModel {
  const services: ComposeService[] = [];
  const containers: ContainerSpec[] = [];
  for (const ydoc of docs) {
    if (!isComposeDoc(ydoc)) continue;
    const { doc, base } = ydoc;
    const svcMap = get(ydoc.root, 'services', doc)!.value as YAMLMap;
    const editor = new YamlEditor(file, ydoc);
    for (const [name, entry] of entries(svcMap, doc)) {
      if (!isMap(entry.value)) continue;
      const map = entry.value;
      const keySpan = nodeSpan(entry.pair.key, base)!;
      const fields = entries(map, doc);
      const svc: ComposeService = { name, ydoc, map, keySpan, fields };
      services.push(svc);
      const imageEntry = fields.get('image');
      const image = str(imageEntry?.value);
      const build = buildTarget(fields, doc);
      const user = composeUser(svc, image, build, opts);
      const shared = entry.merged || editor.shared(map);
      containers.push({
        platform: 'compose',
        name,
        anchor: keySpan,
        image: image && imageEntry?.value ? { ref: interpolate(image).value, raw: image, span: nodeSpan(imageEntry.value, base)! } : null,
        user,
        windows: false,
        partial: false,
        builds: build !== null || fields.has('build'),
        ports: composePorts(svc),
        env: composeEnv(svc, shared),
        ...defaultFacts(),
        get strings() { return ownStrings(this, () => composeStrings(file, svc, entry.merged)); },
        setters: {
          runAsUser: (uidGid) => {
            if (shared) return null;
            const own = fields.get('user');
            const text = `"${uidGid}"`;
            const edit = own && !own.merged ? editor.setScalar(own.pair, text) : editor.insertPairs(map, [['user', text]]);
            if (!edit) return null;
            const safe = build !== null;
            return { edits: [edit], safe, caveat: safe ? undefined : 'the image may need to start as root' };
          },
          envToSecret: (env, target) => (shared ? null : composeEnvToSecret(file, editor, svc, env, target)),
        },
      });
    }
  }
  return { services, containers, documents: composeDocuments(file, docs, containers) };
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
  const shared = serviceShared || e.merged;
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
    if (found) return { state: 'unset', detail: 'image-default', value: found.user.value, fromName: found.path };
  }
  if (image && opts.nonRootImages.some((p) => matchesImagePattern(interpolate(image).value, p))) {
    return { state: 'nonroot', detail: 'known-nonroot-image', value: image };
  }
  return { state: 'unset', detail: 'image-default', value: image };
}

/**
 * Moves one `environment` entry into a Compose secret: a top-level `secrets: {<id>: {file}}`,
 * the service's `secrets: [<id>]`, and the entry replaced by `<fileVariable>=/run/secrets/<id>`
 * (images that read `*_FILE`) or removed. Never edits through a merged anchor.
 */
function composeEnvToSecret(file: YamlFile, editor: YamlEditor, svc: ComposeService, env: EnvFact, target: SecretTarget): TextEdit[] | null {
  const { doc, base } = svc.ydoc;
  const envEntry = svc.fields.get('environment');
  const secretsEntry = svc.fields.get('secrets');
  if (!envEntry?.value || envEntry.merged || env.shared || secretsEntry?.merged) return null;
  const id = target.name;
  const path = `/run/secrets/${id}`;
  const edits: TextEdit[] = [];

  // 1. the entry itself
  const envNode = envEntry.value;
  const at = env.nameSpan.start - base;
  if (isMap(envNode)) {
    const own = (envNode.items as Pair<Node, Node | null>[]).find((p) => (p.key as Node | null)?.range?.[0] === at);
    if (!own || !(own.key as Node).range) return null;
    if (target.fileVariable) {
      const k = (own.key as Node).range!;
      const v = own.value;
      if (!v?.range || !isScalar(v)) return null;
      edits.push({ start: base + k[0], end: base + k[1], text: target.fileVariable });
      edits.push({ start: base + v.range[0], end: base + scalarEnd(svc.ydoc.text, v), text: path });
    } else {
      const e = envNode.items.length === 1 ? editor.removePair(svc.map, envEntry.pair) : editor.removePair(envNode, own);
      if (!e) return null;
      edits.push(e);
    }
  } else if (isSeq(envNode)) {
    const item = (envNode.items as Node[]).find((n) => n.range && n.range[0] <= at && at < n.range[1]);
    if (!item?.range || !isScalar(item)) return null;
    if (target.fileVariable) {
      edits.push({ start: base + item.range[0], end: base + scalarEnd(svc.ydoc.text, item), text: `${target.fileVariable}=${path}` });
    } else {
      const e = envNode.items.length === 1 ? editor.removePair(svc.map, envEntry.pair) : editor.removeItem(envNode as YAMLSeq, item);
      if (!e) return null;
      edits.push(e);
    }
  } else return null;

  // 2. the service's secrets list
  const listed = (seq: YAMLSeq) => seqItems(seq, doc).some((n) => (isScalar(n) && String(n.value) === id) || (isMap(n) && str(get(n, 'source', doc)?.value) === id));
  if (secretsEntry) {
    if (!isSeq(secretsEntry.value)) return null;
    if (!listed(secretsEntry.value)) {
      const e = editor.appendItem(secretsEntry.value, id);
      if (!e) return null;
      edits.push(e);
    }
  } else {
    const e = editor.insertPairs(svc.map, [['secrets', [id]]]);
    if (!e) return null;
    edits.push(e);
  }

  // 3. the top-level secret
  const root = svc.ydoc.root;
  if (!root) return null;
  const top = entries(root, doc).get('secrets');
  if (!top) {
    const e = editor.insertPairs(root, [['secrets', { [id]: { file: target.key } }]]);
    if (!e) return null;
    edits.push(e);
  } else if (isMap(top.value)) {
    if (!entries(top.value, doc).has(id)) {
      const e = editor.insertPairs(top.value, [[id, { file: target.key }]]);
      if (!e) return null;
      edits.push(e);
    }
  } else if (top.value === null || (isScalar(top.value) && top.value.value === null)) {
    const e = editor.fillEmpty(top.pair, [[id, { file: target.key }]]);
    if (!e) return null;
    edits.push(e);
  } else return null;
  return combineEdits(file.text, edits, file.index.eol);
}

/** Where a scalar's own text ends: a block scalar's range takes in the line break after it. */
function scalarEnd(text: string, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /[\r\n]/.test(text[end - 1])) end--;
  return end;
}

/**
 * Makes the edits of one fix disjoint: insertions at one offset become one (in order), and
 * an insertion at the end of a line that another edit removes takes that line's place.
 */
export function combineEdits(text: string, edits: TextEdit[], eol: string): TextEdit[] {
  const removals = edits.filter((e) => e.end > e.start).map((e) => ({ ...e }));
  const pureRemovals = new Set(removals.filter((r) => r.text === ''));
  const inserts: TextEdit[] = [];
  for (const e of edits) {
    if (e.end > e.start) continue;
    const host = removals.find((r) => pureRemovals.has(r) && r.start < e.start && e.start <= r.end);
    if (host) {
      const endsLine = /[\r\n]$/.test(text.slice(host.start, host.end));
      host.text += e.text.replace(/^\r?\n/, '') + (endsLine ? eol : '');
      continue;
    }
    const same = inserts.find((x) => x.start === e.start);
    if (same) same.text += e.text;
    else inserts.push({ ...e });
  }
  return [...removals, ...inserts].sort((a, b) => a.start - b.start || a.end - b.end);
}
