import { instructionWords, type DockerInstruction, type ParsedDockerfile } from '../../core/parse/dockerfile';
import { expand, memoizedInScope, type Scope } from '../../core/model/dockerVars';
import { moveSpans } from '../../core/parse/dockerMemo';
import type { Rule } from '../../core/rule';
import type { Report } from '../../core/types';

export const messages = {
  secretFile: (keyword: string, source: string, kind: string) =>
    `${keyword} puts '${source}' (${kind}) into the shipped image, where anyone who can pull the image can read it`,
};

/** Destinations that hold certificates and public signing keys, not secrets. */
const TRUST_STORE = /ca-certificates|trusted\.gpg\.d|keyrings|\/ssl\/certs|cacerts/i;
/** Certificate or public-key names that share the .pem/.key extensions with private keys. */
const PUBLIC_NAME = /(^|[._-])(ca|cacert|cert|certs|certificate|chain|fullchain|bundle|ca-bundle|pub|public|pubkey)([._-]|$)/i;
/** Trust stores (certificates other parties use) share the key-store extensions. */
const TRUST_NAME = /trust|cacerts|(^|[._-])ca([._-]|$)/i;
/**
 * Cloud credential files: Google's `credentials.json` / `client_secret*.json`, service-account
 * keys (`service-account*.json`, `*-sa-key.json`, a downloaded key's default
 * `<project-id>-<12 hex>.json`), Firebase admin SDK keys.
 */
const SERVICE_ACCOUNT_JSON = /^(?:credentials|client_secrets?(?:[._-].*)?|application_default_credentials|.*service[-_]?account.*|.*(?:^|[-_])sa[-_]?key.*|.*(?:gcp|gcloud|google|gcs|firebase|bigquery)[-_](?:key|creds|credentials).*|.*firebase-adminsdk.*|[a-z][a-z0-9-]{4,28}[a-z0-9]-[0-9a-f]{12})\.json$/;
const ENV_TEMPLATE = /^\.env\.(example|sample|template|tpl|dist|defaults?)$/i;

/**
 * What kind of secret a copied path names, or null. Globs count when their pattern names a
 * secret (`*.pem`); a folder that merely may hold one (`config/`) does not.
 */
export function secretFileKind(path: string, dest: string): string | null {
  const segs = path.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (segs.length === 0) return null;
  const base = segs[segs.length - 1];
  const lower = base.toLowerCase();
  const parent = segs.length > 1 ? segs[segs.length - 2] : '';
  if (parent === '.ssh') {
    if (/^(known_hosts|authorized_keys|config)(\..*)?$|\.pub$/i.test(base)) return null;
    return 'an SSH private key';
  }
  if (base === '.ssh' || base === '.ssh*') return 'an SSH folder with private keys';
  if (base === '.aws' || (parent === '.aws' && /^(credentials|\*)$/.test(base))) return 'AWS credentials';
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?([._-].*|\*)?$/.test(base) && !/\.pub$/.test(base)) return 'an SSH private key';
  if ((parent === '.kube' && base === 'config') || /^kubeconfig([._-].*)?$|\.kubeconfig$/i.test(base)) return 'a kubeconfig with cluster credentials';
  if (/^\.env(\*|\..+)?$/.test(base) && !ENV_TEMPLATE.test(base)) return 'an environment file';
  if (base === '.npmrc') return 'npm credentials';
  if (base === '.pypirc') return 'PyPI credentials';
  if (base === '.netrc' || base === '_netrc') return 'netrc credentials';
  if (base === '.git-credentials') return 'git credentials';
  if (/\.(pem|key)$/.test(lower) && !PUBLIC_NAME.test(base) && !TRUST_STORE.test(dest)) return 'a private key';
  if (lower === 'ipsec.secrets' || lower === 'chap-secrets' || lower === 'pap-secrets') return 'VPN secrets';
  if (/\.(p12|pfx)$/.test(lower) && !TRUST_NAME.test(base) && !TRUST_STORE.test(dest)) return 'a PKCS#12 key store';
  if (/\.(jks|jceks|keystore|bks)$/.test(lower) && !TRUST_NAME.test(base) && !TRUST_STORE.test(dest)) return 'a Java key store';
  if (lower === 'htpasswd' || lower === '.htpasswd' || /\.htpasswd$/.test(lower)) return 'password hashes (htpasswd)';
  if (parent === '.docker' && lower === 'config.json') return 'registry credentials (Docker config.json)';
  if (lower === '.dockercfg') return 'registry credentials (.dockercfg)';
  if (/\.tfvars(\.json)?$/.test(lower) || /\.tfstate(\.backup)?$/.test(lower)) return 'Terraform variables or state';
  if (/\.json$/.test(lower) && SERVICE_ACCOUNT_JSON.test(lower)) return 'a cloud credentials file';
  return null;
}

export const rule: Rule = {
  meta: {
    id: 'no-secret-files-in-image',
    title: 'A secret file is copied into the image',
    severity: 'warning',
    platforms: ['dockerfile'],
    fixable: false,
    peers: { other: ['gitleaks'] },
  },
  check({ file, report }) {
    const model = file.dockerfile;
    if (!model) return;
    const df = model.parsed;
    // Only the stages whose layers ship: the final stage and the stages it is built FROM.
    // A builder stage may hold an .npmrc for `npm ci`; COPY --from=<it> of that file counts.
    for (const stage of model.chain) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
        // depends on the instruction's text and the variables it reads: kept across edits
        for (const r of memoizedInScope(df, stage, ins, 'no-secret-files-in-image', '', (scope, globals) => secretFiles(df, ins, scope, globals), moveSpans)) report(r);
      }
    }
  },
};

function secretFiles(df: ParsedDockerfile, ins: DockerInstruction, scope: Scope, globals: Scope): Report[] {
  const out: Report[] = [];
  const { words } = instructionWords(df, ins);
  if (words.length < 2) return out;
  const resolve = (v: string) => expand(v, scope, globals, df.escape);
  const dest = resolve(words[words.length - 1].value).value;
  for (const src of words.slice(0, -1)) {
    if (src.value.startsWith('<<')) continue; // a heredoc: text written in the Dockerfile itself
    const x = resolve(src.value);
    if (x.unknown || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(x.value)) continue;
    const kind = secretFileKind(x.value, dest);
    if (kind) out.push({ start: src.span.start, end: src.span.end, message: messages.secretFile(ins.keyword, src.value, kind) });
  }
  return out;
}
