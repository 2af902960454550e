import type { ContainerSpec, EnvFact, StringFact } from '../../core/model/container';
import type { StringDocument } from '../../core/model/strings';
import type { RuleContext } from '../../core/rule';
import type { Fix } from '../../core/types';
import { dotenvLine, envFileValues, envName, fileExists, ignoreRequests, literalRegion, sideFiles, scanValue, secretId, valueParts, type SecretHit } from '../../secrets';
import { messages, shown } from './messages';
import { CleanDocuments, Reporter, shift } from './report';
import { otherValue } from './other';
import { commandGroups, execHits, factWord, stringCommandHits } from './words';

const SITE_LABEL: Partial<Record<StringFact['site'], string>> = { environment: 'environment variable', 'build-arg': 'build arg', label: 'label' };
const COMMANDS: ReadonlySet<StringFact['site']> = new Set(['command', 'entrypoint', 'healthcheck']);

/**
 * Per service (the model's strings): environment (map and list), build args, labels, command,
 * entrypoint, healthcheck test; then every other value of the file for tokens (x- fields,
 * configs, secrets...).
 */
export function checkCompose(ctx: RuleContext): void {
  const model = ctx.file.compose;
  if (!model) return;
  const out = new Reporter(ctx);
  for (const doc of model.documents) {
    CLEAN.scan(doc.key, out, () => {
      for (const spec of doc.containers) service(ctx, doc, spec, out);
      out.flush();
      for (const f of doc.strings) if (!extensionValue(f, out)) otherValue(f, out);
    });
  }
}

const CLEAN = new CleanDocuments();

/**
 * A named value under an `x-` field that no service reads (every service using the anchor
 * overrides it, or none merges it): still written into the file, so the name heuristic applies.
 */
function extensionValue(f: StringFact, out: Reporter): boolean {
  if (f.site !== 'other' || f.path.length < 2 || !f.path[0].startsWith('x-')) return false;
  const name = f.path[f.path.length - 1];
  if (/^\d+$/.test(name)) return false;
  const hits = scanValue(name, f.raw, f.value);
  if (hits.length) out.hits(shift(hits, f.start), `key '${f.path.map(shown).join('.')}'`, name);
  return hits.length > 0;
}

function service(ctx: RuleContext, doc: StringDocument, spec: ContainerSpec, out: Reporter): void {
  for (const f of spec.strings) {
    const label = SITE_LABEL[f.site];
    if (!label || f.bare || f.name === undefined) continue;
    const name = f.name;
    const where = (services: string) => `${label} ${shown(name)} of ${services}`;
    out.shared(shift(scanValue(name, f.raw, f.value), f.start), where, spec.name, name, (h) => fixesFor(ctx, doc, spec, f, name, h));
  }
  for (const g of commandGroups(spec.strings, COMMANDS)) {
    const where = (services: string) => `${g.site} of ${services}`;
    if (g.single) {
      out.shared(stringCommandHits(g.single, true), where, spec.name);
      continue;
    }
    let words = g.items.map(factWord);
    if (g.site === 'healthcheck' && words.length) {
      const kind = words[0].value.toUpperCase();
      if (kind === 'CMD-SHELL' && g.items[1]) {
        out.shared(stringCommandHits(g.items[1], true), where, spec.name);
        continue;
      }
      words = kind === 'CMD' ? words.slice(1) : [];
    }
    out.shared(execHits(g.items, words), where, spec.name);
  }
}

/** The value as Compose passes it on: `$$` is a literal `$`. */
function composeLiteral(s: string): string {
  return s.replace(/\$\$/g, '$');
}

function fixesFor(ctx: RuleContext, doc: StringDocument, spec: ContainerSpec, f: StringFact, name: string, hit: SecretHit): Fix[] {
  const fixes: Fix[] = [];
  const a = envFileFix(ctx, spec, f, name, hit);
  if (a) fixes.push(a);
  if (f.site === 'environment' && f.env) {
    const b = composeSecretFix(ctx, doc, spec, f.env, f.value);
    if (b) fixes.push(b);
  }
  return fixes;
}

/** (a) `${NAME}` in place of the secret, `NAME='value'` appended to `.env`, `.env` git-ignored. */
function envFileFix(ctx: RuleContext, spec: ContainerSpec, f: StringFact, name: string, hit: SecretHit): Fix | null {
  const end = f.start + f.raw.length;
  const read = f.read(hit.start, hit.end);
  if (read === null) return null;
  const secret = composeLiteral(read);
  // `${VAR:-default}`: the whole expression becomes `${VAR}`
  let editStart = hit.start;
  let editEnd = hit.end;
  const whole = hit.start === f.start && hit.end === end;
  const site = f.site;
  const named = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && site !== 'label';
  let variable = named && (hit.detector === 'name' || whole) ? name : named ? `${name}_${/password/i.test(hit.kind) ? 'PASSWORD' : 'TOKEN'}` : '';
  const refs = valueParts(f.raw).refs;
  const before = refs.find((r) => r.end === hit.start - f.start);
  const after = refs.find((r) => r.start === hit.end - f.start);
  if (before && after) {
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(f.raw.slice(before.start));
    if (!m) return null;
    variable = m[1];
    editStart = f.start + before.start;
    editEnd = f.start + after.end;
  }
  if (!variable) variable = envName(`${spec.name}_${site === 'label' ? name : /password/i.test(hit.kind) ? 'PASSWORD' : 'TOKEN'}`);
  const existing = envFileValues(ctx.file.workspace?.read('.env'));
  if (existing.has(variable) && existing.get(variable) !== secret) {
    variable = envName(`${spec.name}_${variable}`);
    if (existing.has(variable) && existing.get(variable) !== secret) return null;
  }
  const line = dotenvLine(variable, secret);
  if (!line) return null;
  const change = f.replace(editStart, editEnd, `\${${variable}}`)?.build();
  if (!change) return null;
  const files = sideFiles(ctx.file.workspace, { path: '.env', kind: 'append', text: `${line}\n`, unlessLine: line }, ignoreRequests(ctx.file.workspace, ctx.file.path, '.env'));
  if (!files) return null;
  return { title: messages.composeEnvFile(variable), preferred: false, edits: change.edits, files };
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
function composeSecretFix(ctx: RuleContext, doc: StringDocument, spec: ContainerSpec, env: EnvFact, parsed: string): Fix | null {
  if (!spec.setters.envToSecret || env.shared) return null;
  const region = literalRegion(parsed);
  if (!region) return null;
  const whole = region.start === 0 && region.end === parsed.length;
  if (!whole && !/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-$/.test(parsed.slice(0, region.start))) return null;
  const value = composeLiteral(parsed.slice(region.start, region.end));
  if (!whole && value.includes('$')) return null;
  const ws = ctx.file.workspace;
  const taken = (id: string) => {
    const declared = doc.declaredSecrets.has(id);
    const have = ws?.read(`secrets/${id}.txt`);
    // an existing file is reused only when it holds this very value (never written into)
    return (declared && doc.declaredSecrets.get(id) !== `./secrets/${id}.txt`) || (have !== undefined ? have !== value : fileExists(ws, `secrets/${id}.txt`));
  };
  let id = secretId(env.name);
  if (taken(id)) id = secretId(`${spec.name}_${env.name}`);
  if (taken(id)) return null;
  const file = `./secrets/${id}.txt`;
  const fileVariable = fileVariableFor(spec.image?.ref ?? null, env.name);
  const edits = spec.setters.envToSecret(env, { name: id, key: file, fileVariable });
  if (!edits) return null;
  const files = sideFiles(ws, { path: `secrets/${id}.txt`, kind: 'create', text: value }, ignoreRequests(ws, ctx.file.path, `secrets/${id}.txt`));
  if (!files) return null;
  return {
    title: messages.composeSecret(env.name, file, id, fileVariable, spec.image ? repository(spec.image.ref) : null),
    preferred: false,
    edits,
    files,
  };
}
