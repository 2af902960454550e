import { looksLikeToken, ROTATE, safeName, type SecretHit } from '../../secrets';

/** A name from the file, never a secret that sits where a name belongs. */
export const shown = (name: string) => safeName(name, looksLikeToken);

export const messages = {
  /** "GitHub token in build arg GITHUB_TOKEN", "Hardcoded password in RUN command line (--password)". */
  found: (hit: SecretHit, where: string, siteName?: string) => {
    const extra = hit.name && hit.name !== siteName ? ` (${shown(hit.name)})` : '';
    return `${hit.kind} in ${where}${extra}`;
  },
  composeEnvFile: (variable: string) => `Replace with \${${variable}} from .env (git-ignored); ${ROTATE}`,
  composeSecret: (name: string, file: string, id: string, fileVariable: string | null, image: string | null) =>
    `Move ${name} to a Compose secret (${file}, git-ignored; ${fileVariable ? `${image ?? 'the image'} reads ${fileVariable}` : `the app must read /run/secrets/${id}`}); ${ROTATE}`,
  kubeSecretKeyRef: (name: string, secret: string, envFile: string, namespace: string | null) =>
    `Read ${name} from Secret ${secret} (value moved to ${envFile}, git-ignored; create it with kubectl create secret generic ${secret}${namespace ? ` -n ${namespace}` : ''} --from-env-file=${envFile}); ${ROTATE}`,
};
