import type { ContainerSpec, StringFact } from '../../core/model/container';
import type { RuleContext } from '../../core/rule';
import type { Fix } from '../../core/types';
import {
  credentialHit, envFileValues, envName, exemptName, nameWords, ignoreRequests, isNonSecretShape, isPlaceholder, literalRegion, sideFiles, scanText, scanValue,
  secretName, strongHits,
} from '../../secrets';
import { messages, shown } from './messages';
import { otherValue } from './other';
import { CleanDocuments, Reporter, shift } from './report';
import { commandGroups, execHits, stringCommandHits } from './words';

/** Keys of a Secret whose values are settings, not secrets. */
const SECRET_SETTING_KEYS = /^(?:database|db|dbname|db_name|schema|namespace|cluster|bucket|region|project|tenant|org|organization|account|scheme|protocol|driver|sslmode|ssl_mode)$/i;
/** Name heuristics strong enough for annotation keys (`auth-secret: basic-auth` names a Secret object). */
const ANNOTATION_KINDS = new Set(['password', 'token', 'API key', 'credentials', 'private key', 'access key', 'secret key']);
/** Words of a Secret key that say it holds a user, not a password. */
const USER_WORDS = new Set(['user', 'users', 'username', 'usernames', 'login', 'email', 'owner', 'account', 'principal', 'uid', 'userid', 'dn', 'binddn']);
const FILE_KEY = /\.(?:properties|ya?ml|json|conf|cfg|config|env|ini|xml|toml|txt|sh|py|js|rb|php)$/i;
const HOOKS = new Set(['postStart', 'preStop']);
const COMMANDS: ReadonlySet<StringFact['site']> = new Set(['command', 'args', 'probe', 'hook']);

/**
 * Secrets, ConfigMaps, annotations, containers (env, args, command, exec probes and hooks, HTTP
 * headers), then every other value for tokens; all read from the model's string facts. SOPS
 * documents and SealedSecrets hold ciphertext.
 */
export function checkKubernetes(ctx: RuleContext): void {
  const model = ctx.file.kubernetes;
  if (!model) return;
  const out = new Reporter(ctx);
  for (const doc of model.documents) {
    if (doc.sops) continue;
    CLEAN.scan(doc.key, out, () => {
      for (const f of doc.strings) {
        if (f.object?.kind === 'SealedSecret') continue;
        if (f.site === 'data' || f.site === 'stringData') {
          if (f.object?.kind === 'Secret') secretData(f, out);
          else configMapData(f, out);
        } else if (f.site === 'annotation') annotation(f, out);
        else otherValue(f, out);
      }
      for (const spec of doc.containers) container(ctx, spec, out);
    });
  }
}

const CLEAN = new CleanDocuments();

function decodeBase64(s: string): string | null {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return null;
  const bytes = Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** `kind: Secret`: a literal in `data` or `stringData` is a secret committed with the manifest. */
function secretData(f: StringFact, out: Reporter): void {
  const key = f.name ?? '';
  if (!literalRegion(f.raw)) return;
  const encoded = f.site === 'data';
  const content = encoded ? decodeBase64(f.value) ?? f.value : f.value;
  const where = `Secret '${shown(f.object?.name ?? '(unnamed)')}' key ${shown(key)}`;
  const strong = encoded ? strongHits(content) : strongHits(f.raw);
  if (strong.length) {
    out.hits(encoded ? [{ start: f.start, end: f.start + f.raw.length, kind: strong[0].kind, detector: strong[0].detector }] : shift(strong, f.start), where, key);
    return;
  }
  const short = content.length < 100 && !/\n/.test(content);
  if ((short && (isPlaceholder(content, key) || isNonSecretShape(content))) || content.trim() === '' || exemptName(key) || SECRET_SETTING_KEYS.test(key) || SECRET_SETTING_KEYS.test(nameWords(key).pop() ?? '')) return;
  if (/-----BEGIN CERTIFICATE-----/.test(content)) return;
  const info = secretName(key);
  // a key that names a user (`username-ro`, `adminUsername2`, `mysql-user-readonly`) holds no password
  // (`azurestorageaccountname`, `auth.username_in`: a user word and no password, token or secret word)
  if (info?.strength !== 'strong' && (nameWords(key).some((w) => USER_WORDS.has(w)) || /(?:user|username|accountname|login)$/i.test(key))) return;
  out.hits([credentialHit({ start: f.start, end: f.start + f.raw.length }, `Hardcoded ${info?.kind ?? 'secret value'}`, 'name', short ? content : '', key)], where, key);
}

function configMapData(f: StringFact, out: Reporter): void {
  const key = f.name ?? '';
  const where = `ConfigMap '${shown(f.object?.name ?? '(unnamed)')}' key ${shown(key)}`;
  const file = /\n/.test(f.value) || FILE_KEY.test(key);
  out.hits(shift(file ? scanText(f.raw) : scanValue(key, f.raw, f.value), f.start), where, key);
}

function annotation(f: StringFact, out: Reporter): void {
  const key = f.name ?? '';
  const where = `annotation ${shown(key)}`;
  const local = key.slice(key.lastIndexOf('/') + 1);
  const strongName = ANNOTATION_KINDS.has(secretName(local)?.kind ?? '') ? local : null;
  const file = /\n/.test(f.value) || /^\s*[{[]/.test(f.value);
  out.hits(shift(file ? scanText(f.raw) : scanValue(strongName, f.raw, f.value), f.start), where, strongName ?? undefined);
}

function container(ctx: RuleContext, spec: ContainerSpec, out: Reporter): void {
  const cname = shown(spec.name);
  const handler = (within: string | undefined) => (within && HOOKS.has(within) ? `${within} hook` : within ?? '');
  for (const f of spec.strings) {
    if (f.name === undefined) continue;
    const name = f.name;
    if (f.site === 'environment') {
      out.hits(shift(scanValue(name, f.raw, f.value), f.start), `env ${shown(name)} of container '${cname}'`, name, () => secretKeyRefFix(ctx, spec, f, cname));
    } else if (f.site === 'header') {
      out.hits(shift(scanValue(name, f.raw, f.value), f.start), `${handler(f.within)} of container '${cname}'`, name);
    }
  }
  for (const g of commandGroups(spec.strings, COMMANDS)) {
    const where = `${g.site === 'probe' || g.site === 'hook' ? handler(g.within) : g.site} of container '${cname}'`;
    out.hits(g.single ? stringCommandHits(g.single, false) : execHits(g.items), where);
  }
}

/** A Kubernetes object name (RFC 1123 subdomain: what `metadata.name` of a Secret must be). */
const DNS_1123 = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
export function isDns1123Name(name: string): boolean {
  return name.length <= 253 && DNS_1123.test(name);
}

/** `valueFrom.secretKeyRef` to `<workload>-secrets`, the value appended to `<workload>-secrets.env` beside the manifest. */
function secretKeyRefFix(ctx: RuleContext, spec: ContainerSpec, f: StringFact, container: string): Fix[] {
  const env = f.env;
  const workload = f.object?.name;
  if (!env || !spec.setters.envToSecret || !workload || env.shared) return [];
  // the name becomes a Secret's name, a file name and a .gitignore line: only a valid object name
  const secret = `${workload}-secrets`;
  if (!isDns1123Name(workload) || !isDns1123Name(secret)) return [];
  const value = f.value;
  if (/[\r\n]/.test(value) || literalRegion(value)?.start !== 0 || literalRegion(value)?.end !== value.length || /\$\(/.test(value)) return [];
  const envFile = `${secret}.env`;
  const existing = envFileValues(ctx.file.workspace?.read(envFile));
  let key = /^[-._a-zA-Z0-9]+$/.test(env.name) ? env.name : envName(env.name);
  if (existing.has(key) && existing.get(key) !== value) key = envName(`${container}_${key}`);
  if (existing.has(key) && existing.get(key) !== value) return [];
  const edits = spec.setters.envToSecret(env, { name: secret, key });
  if (!edits) return [];
  const line = `${key}=${value}`;
  const files = sideFiles(ctx.file.workspace, { path: envFile, kind: 'append', text: `${line}\n`, unlessLine: line }, ignoreRequests(ctx.file.workspace, ctx.file.path, envFile));
  if (!files) return [];
  return [{ title: messages.kubeSecretKeyRef(env.name, secret, envFile, f.object?.namespace ?? null), preferred: false, edits, files }];
}
