import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { ContainerSpec, EnvFact } from '../../core/model/container';
import type { ComposeService } from '../../core/model/fromCompose';
import { entries, get, str } from '../../core/model/yamlTree';
import { parseShell, type Word } from '../../core/parse/shell';
import type { RuleContext } from '../../core/rule';
import type { FileRequest, Fix } from '../../core/types';
import { commandHits, dotenvLine, envFileValues, envName, ignoreRequests, literalRegion, scanValue, secretId, valueParts, type SecretHit } from '../../secrets';
import { messages, shown } from './messages';
import { CleanDocuments, envFactsByOffset, Reporter, shift } from './report';
import { scanOtherValues } from './otherValues';
import { execCommand, inFlowCollection, scalarMapped, scalarText, scalarWord, seqScalarTexts, type ScalarText } from './yamlText';

type Site = 'environment' | 'build arg' | 'label';

/** Per service: environment (map and list), build.args, labels, command, entrypoint, healthcheck; then every other value for tokens. */
export function checkCompose(ctx: RuleContext): void {
  const model = ctx.file.compose;
  if (!model) return;
  const out = new Reporter(ctx);
  const visited = new Set<Node>();
  const envFacts = envFactsByOffset(model.containers);

  for (const ydoc of ctx.file.yaml ?? []) {
    CLEAN.scan(ydoc.doc, out, () => {
      for (const svc of model.services) {
        if (svc.ydoc !== ydoc) continue;
        const { doc } = svc.ydoc;
        const pairsOf = (site: Site, node: Node | null | undefined) => namedValues(ctx, svc, site, node, visited, out, envFacts);
        pairsOf('environment', svc.fields.get('environment')?.value);
        const build = svc.fields.get('build')?.value;
        if (isMap(build)) pairsOf('build arg', entries(build, doc).get('args')?.value);
        pairsOf('label', svc.fields.get('labels')?.value);
        for (const key of ['command', 'entrypoint'] as const) commandSite(svc, svc.fields.get(key)?.value, `${key} of service '${svc.name}'`, visited, out, false);
        const hc = svc.fields.get('healthcheck')?.value;
        if (isMap(hc)) commandSite(svc, entries(hc, doc).get('test')?.value, `healthcheck of service '${svc.name}'`, visited, out, true);
      }
      // every other value, for tokens, keys and URL credentials (x- fields, configs, secrets...)
      scanOtherValues(ydoc, visited, out);
    });
  }
}

const CLEAN = new CleanDocuments();

function namedValues(
  ctx: RuleContext,
  svc: ComposeService,
  site: Site,
  node: Node | null | undefined,
  visited: Set<Node>,
  out: Reporter,
  envFacts: Map<number, { spec: ContainerSpec; env: EnvFact }>,
): void {
  const { ydoc } = svc;
  const where = (name: string) => `${site === 'environment' ? 'environment variable' : site} ${shown(name)} of service '${svc.name}'`;
  const visit = (name: string, t: ScalarText, raw: string, start: number, parsed: string, nameStart: number) => {
    const hits = shift(scanValue(name, raw, parsed), start);
    out.hits(hits, where(name), name, (h) => fixesFor(ctx, svc, site, name, t, h, parsed, site === 'environment' ? envFacts.get(nameStart) : undefined));
  };
  if (isMap(node)) {
    for (const p of node.items as Pair<Node, Node | null>[]) {
      if (!isScalar(p.key) || !p.value || visited.has(p.value)) continue;
      visited.add(p.value);
      const t = scalarText(ydoc, p.value);
      if (!t) continue;
      visit(String(p.key.value), t, t.raw, t.start, t.parsed, ydoc.base + (p.key.range?.[0] ?? 0));
    }
  } else if (isSeq(node)) {
    for (const item of node.items as Node[]) {
      if (visited.has(item)) continue;
      visited.add(item);
      const t = scalarText(ydoc, item);
      if (!t) continue;
      const eq = t.raw.indexOf('=');
      const peq = t.parsed.indexOf('=');
      if (eq <= 0 || peq <= 0) continue;
      visit(t.raw.slice(0, eq), t, t.raw.slice(eq + 1), t.start + eq + 1, t.parsed.slice(peq + 1), t.start);
    }
  }
}

function commandSite(svc: ComposeService, node: Node | null | undefined, where: string, visited: Set<Node>, out: Reporter, healthcheck: boolean): void {
  const { ydoc } = svc;
  if (!node || visited.has(node)) return;
  visited.add(node);
  if (isScalar(node)) {
    const t = scalarText(ydoc, node);
    if (!t) return;
    const body = scalarMapped(t);
    out.hits(commandHits(body, parseShell(body)), where);
    return;
  }
  if (!isSeq(node)) return;
  const items = seqScalarTexts(ydoc, node.items as Node[], visited);
  let words: Word[] = items.map(scalarWord);
  if (healthcheck && words.length) {
    const kind = words[0].value.toUpperCase();
    if (kind === 'CMD-SHELL' && items[1]) {
      const body = scalarMapped(items[1]);
      out.hits(commandHits(body, parseShell(body)), where);
      return;
    }
    words = kind === 'CMD' ? words.slice(1) : [];
  }
  const hits: SecretHit[] = [];
  for (const t of items) hits.push(...commandHits(scalarMapped(t), []));
  hits.push(...commandHits({ text: '', starts: [], ends: [] }, words.length ? [execCommand(words)] : []));
  out.hits(hits, where);
}

/** The value as Compose passes it on: `$$` is a literal `$`. */
function composeLiteral(s: string): string {
  return s.replace(/\$\$/g, '$');
}

function fixesFor(ctx: RuleContext, svc: ComposeService, site: Site, name: string, t: ScalarText, hit: SecretHit, parsed: string, fact: { spec: ContainerSpec; env: EnvFact } | undefined): Fix[] {
  const fixes: Fix[] = [];
  const a = envFileFix(ctx, svc, site, name, t, hit);
  if (a) fixes.push(a);
  if (site === 'environment' && fact) {
    const b = composeSecretFix(ctx, svc, fact.spec, fact.env, parsed);
    if (b) fixes.push(b);
  }
  return fixes;
}

/** (a) `${NAME}` in place of the secret, `NAME='value'` appended to `.env`, `.env` git-ignored. */
function envFileFix(ctx: RuleContext, svc: ComposeService, site: Site, name: string, t: ScalarText, hit: SecretHit): Fix | null {
  const text = ctx.file.text;
  const end = t.start + t.raw.length;
  if (t.quote === 'block' || hit.start < t.start || hit.end > end) return null;
  let secret = text.slice(hit.start, hit.end);
  if (/[\r\n]/.test(secret) || (t.quote === 'double' && secret.includes('\\'))) return null;
  if (t.quote === 'single') secret = secret.replace(/''/g, "'");
  secret = composeLiteral(secret);
  // `${VAR:-default}`: the whole expression becomes `${VAR}`
  let editStart = hit.start;
  let editEnd = hit.end;
  const whole = hit.start === t.start && hit.end === end;
  const named = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && site !== 'label';
  let variable = named && (hit.detector === 'name' || whole) ? name : named ? `${name}_${/password/i.test(hit.kind) ? 'PASSWORD' : 'TOKEN'}` : '';
  const refs = valueParts(t.raw).refs;
  const before = refs.find((r) => r.end === hit.start - t.start);
  const after = refs.find((r) => r.start === hit.end - t.start);
  if (before && after) {
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(t.raw.slice(before.start));
    if (!m) return null;
    variable = m[1];
    editStart = t.start + before.start;
    editEnd = t.start + after.end;
  }
  if (!variable) variable = envName(`${svc.name}_${site === 'label' ? name : /password/i.test(hit.kind) ? 'PASSWORD' : 'TOKEN'}`);
  const existing = envFileValues(ctx.file.workspace?.read('.env'));
  if (existing.has(variable) && existing.get(variable) !== secret) {
    variable = envName(`${svc.name}_${variable}`);
    if (existing.has(variable) && existing.get(variable) !== secret) return null;
  }
  const line = dotenvLine(variable, secret);
  if (!line) return null;
  const files: FileRequest[] = [{ path: '.env', kind: 'append', text: `${line}\n`, unlessLine: line }, ...ignoreRequests(ctx.file.workspace, ctx.file.path, '.env')];
  // a plain `${NAME}` would end a flow map at its `}`: quote it there
  const flow = t.quote === 'plain' && inFlowCollection(svc.ydoc.doc.contents, t.start - svc.ydoc.base);
  if (flow && !whole) return null;
  const reference = flow ? `"\${${variable}}"` : `\${${variable}}`;
  return { title: messages.composeEnvFile(variable), preferred: false, edits: [{ start: editStart, end: editEnd, text: reference }], files };
}

/** Images whose entrypoint reads `<NAME>_FILE` (or Grafana's `<NAME>__FILE`) for these variables. */
const FILE_CONVENTION: { image: RegExp; vars: RegExp; suffix: string }[] = [
  { image: /^(?:postgres|postgis\/postgis|timescale\/timescaledb(?:-ha)?)$/, vars: /^POSTGRES_/, suffix: '_FILE' },
  { image: /^mysql$/, vars: /^MYSQL_/, suffix: '_FILE' },
  { image: /^mariadb$/, vars: /^(?:MARIADB|MYSQL)_/, suffix: '_FILE' },
  { image: /^mongo$/, vars: /^MONGO_INITDB_/, suffix: '_FILE' },
  { image: /^wordpress$/, vars: /^WORDPRESS_/, suffix: '_FILE' },
  { image: /^nextcloud$/, vars: /^(?:POSTGRES|MYSQL|NEXTCLOUD|REDIS_HOST|OBJECTSTORE|SMTP)_/, suffix: '_FILE' },
  { image: /^redmine$/, vars: /^REDMINE_/, suffix: '_FILE' },
  { image: /^mongo-express$/, vars: /^ME_CONFIG_/, suffix: '_FILE' },
  { image: /^(?:quay\.io\/)?minio\/minio$/, vars: /^MINIO_/, suffix: '_FILE' },
  { image: /^bitnami\//, vars: /./, suffix: '_FILE' },
  { image: /^grafana\/grafana(?:-oss|-enterprise)?$/, vars: /^GF_/, suffix: '__FILE' },
];

/** The repository of an image reference, without docker.io/library/, tag or digest. */
function repository(ref: string): string {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return repo.replace(/^(?:docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
}

export function fileVariableFor(image: string | null, name: string): string | null {
  if (!image) return null;
  const repo = repository(image);
  const c = FILE_CONVENTION.find((x) => x.image.test(repo) && x.vars.test(name));
  return c ? `${name}${c.suffix}` : null;
}

/** (b) A Compose secret backed by `./secrets/<id>.txt` (git-ignored), listed on the service. */
function composeSecretFix(ctx: RuleContext, svc: ComposeService, spec: ContainerSpec, env: EnvFact, parsed: string): Fix | null {
  if (!spec.setters.envToSecret || env.shared) return null;
  const region = literalRegion(parsed);
  if (!region) return null;
  const whole = region.start === 0 && region.end === parsed.length;
  if (!whole && !/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-$/.test(parsed.slice(0, region.start))) return null;
  const value = composeLiteral(parsed.slice(region.start, region.end));
  if (!whole && value.includes('$')) return null;
  const ws = ctx.file.workspace;
  const root = svc.ydoc.root;
  const topSecrets = root ? get(root, 'secrets', svc.ydoc.doc)?.value : null;
  const taken = (id: string) => {
    const entry = isMap(topSecrets) ? get(topSecrets, id, svc.ydoc.doc) : undefined;
    const fileOf = isMap(entry?.value) ? str(get(entry.value, 'file', svc.ydoc.doc)?.value) : undefined;
    const declared = entry !== undefined;
    const have = ws?.read(`secrets/${id}.txt`);
    return (declared && fileOf !== `./secrets/${id}.txt`) || (have !== undefined && have !== value);
  };
  let id = secretId(env.name);
  if (taken(id)) id = secretId(`${svc.name}_${env.name}`);
  if (taken(id)) return null;
  const file = `./secrets/${id}.txt`;
  const fileVariable = fileVariableFor(spec.image?.ref ?? null, env.name);
  const edits = spec.setters.envToSecret(env, { name: id, key: file, fileVariable });
  if (!edits) return null;
  const files: FileRequest[] = [{ path: `secrets/${id}.txt`, kind: 'create', text: value }, ...ignoreRequests(ws, ctx.file.path, `secrets/${id}.txt`)];
  return {
    title: messages.composeSecret(env.name, file, id, fileVariable, spec.image ? repository(spec.image.ref) : null),
    preferred: false,
    edits,
    files,
  };
}
