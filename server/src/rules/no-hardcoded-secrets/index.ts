import type { Rule } from '../../core/rule';
import { checkCompose } from './compose';
import { checkDockerfile } from './dockerfile';
import { checkKubernetes } from './kubernetes';

/**
 * Secrets written into container definitions. Detection lives in server/src/secrets; this
 * rule finds the places values sit on each platform and offers fixes that move a value out
 * without losing it. None is preferred: each writes another file, and the secret must be
 * rotated anyway (it is in the git history and, for images, in their layers).
 */
export const rule: Rule = {
  meta: {
    id: 'no-hardcoded-secrets',
    title: 'A secret is written into the file',
    severity: 'error',
    platforms: ['dockerfile', 'compose', 'kubernetes'],
    fixable: true,
    peers: {
      hadolint: ['DL3064'],
      trivy: ['DS031'],
      kubeLinter: ['env-var-secret'],
      other: ['SecretsUsedInArgOrEnv', 'gitleaks', 'secretlint'],
    },
  },
  check(ctx) {
    if (ctx.file.kind === 'dockerfile') checkDockerfile(ctx);
    else if (ctx.file.kind === 'compose') checkCompose(ctx);
    else if (ctx.file.kind === 'kubernetes') checkKubernetes(ctx);
  },
};
