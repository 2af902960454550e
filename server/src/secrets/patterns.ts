/**
 * Provider token formats, as data: one entry per format, each with where it comes from.
 * The regexes are ours (written for ranges that cover the token only and for a cheap
 * keyword pre-check), checked against the cited format descriptions; `gitleaks` names
 * the rule id in gitleaks' config/gitleaks.toml that describes the same format.
 *
 * Why not the secretlint preset as this layer: see docs/rules/no-hardcoded-secrets.md
 * ("Provider patterns"): it is async and ESM-only while analysis is synchronous on every
 * keystroke, its always-on profiler grows without bound before v13 (which needs Node 22),
 * its ranges cover `NAME=` or whole URLs, and it lacks GitLab, Stripe, PyPI, JWT, Docker Hub.
 */
export interface ProviderPattern {
  id: string;
  /** What the message calls it: "GitHub token". */
  kind: string;
  /** Global regex; group 1, when present, is the secret (the rest is context). */
  regex: RegExp;
  /** Lower-case strings one of which the text must contain before the regex runs. */
  keywords: string[];
  source: string;
}

const gl = (id: string) => `gitleaks rule ${id}`;

export const PROVIDER_PATTERNS: readonly ProviderPattern[] = [
  {
    id: 'aws-access-key-id',
    kind: 'AWS access key ID',
    regex: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/g,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    source: `AWS IAM User Guide, "Unique identifiers" (ID prefixes); ${gl('aws-access-token')}`,
  },
  {
    id: 'aws-secret-access-key',
    kind: 'AWS secret access key',
    regex: /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    keywords: ['secret_access_key', 'secretaccesskey', 'aws_secret'],
    source: 'AWS CLI "Configuration and credential file settings" (aws_secret_access_key, 40 characters); secretlint rule aws',
  },
  {
    id: 'github-token',
    kind: 'GitHub token',
    regex: /\b(gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    source: `GitHub Docs, "About authentication to GitHub" (token prefixes); ${gl('github-pat')}, github-oauth, github-app-token, github-refresh-token`,
  },
  {
    id: 'github-fine-grained-token',
    kind: 'GitHub token',
    regex: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    keywords: ['github_pat_'],
    source: `GitHub Docs, fine-grained personal access tokens; ${gl('github-fine-grained-pat')}`,
  },
  {
    id: 'gitlab-token',
    kind: 'GitLab token',
    regex: /\b((?:glpat|gldt|glrt|glft|glsoat|glcbt|glimt|glagent|gloas)-[A-Za-z0-9_-]{20,})/g,
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-'],
    source: `GitLab Docs, "Token overview: token prefixes"; ${gl('gitlab-pat')}, gitlab-rrt, gitlab-deploy-token`,
  },
  {
    id: 'gitlab-trigger-token',
    kind: 'GitLab pipeline trigger token',
    regex: /\b(glptt-[0-9a-f]{40})(?![0-9a-f])/g,
    keywords: ['glptt-'],
    source: `GitLab Docs, "Token overview"; ${gl('gitlab-ptt')}`,
  },
  {
    id: 'gitlab-runner-registration-token',
    kind: 'GitLab runner registration token',
    regex: /\b(GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/g,
    keywords: ['gr1348941'],
    source: `GitLab Docs, "Token overview"; ${gl('gitlab-rrt')}`,
  },
  {
    id: 'slack-token',
    kind: 'Slack token',
    regex: /\b(xox[abposr]-[0-9A-Za-z-]{10,})/g,
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'],
    source: `Slack API, "Token types"; ${gl('slack-bot-token')}, slack-user-token, slack-legacy-token`,
  },
  {
    id: 'slack-app-token',
    kind: 'Slack app token',
    regex: /\b(xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)/g,
    keywords: ['xapp-'],
    source: `Slack API, "Token types"; ${gl('slack-app-token')}`,
  },
  {
    id: 'slack-webhook',
    kind: 'Slack webhook URL',
    regex: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,})/g,
    keywords: ['hooks.slack.com'],
    source: `Slack API, "Sending messages using incoming webhooks"; ${gl('slack-webhook-url')}`,
  },
  {
    id: 'stripe-key',
    kind: 'Stripe secret key',
    regex: /\b((?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,99})(?![0-9A-Za-z])/g,
    keywords: ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'],
    source: `Stripe Docs, "API keys" (sk_/rk_ prefixes; pk_ keys are publishable); ${gl('stripe-access-token')}`,
  },
  {
    id: 'stripe-webhook-secret',
    kind: 'Stripe webhook secret',
    regex: /\b(whsec_[A-Za-z0-9]{32,})/g,
    keywords: ['whsec_'],
    source: 'Stripe Docs, "Check the webhook signatures" (whsec_ signing secrets)',
  },
  {
    id: 'npm-token',
    kind: 'npm token',
    regex: /\b(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
    keywords: ['npm_'],
    source: `npm Docs, "About access tokens"; ${gl('npm-access-token')}`,
  },
  {
    id: 'pypi-token',
    kind: 'PyPI token',
    regex: /\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})/g,
    keywords: ['pypi-ag'],
    source: `PyPI Help, "API tokens" (macaroons for pypi.org / test.pypi.org); ${gl('pypi-upload-token')}`,
  },
  {
    id: 'openai-key',
    kind: 'OpenAI API key',
    regex: /\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/g,
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    source: `${gl('openai-api-key')}; secretlint rule openai`,
  },
  {
    id: 'anthropic-key',
    kind: 'Anthropic API key',
    regex: /\b(sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,})/g,
    keywords: ['sk-ant-'],
    source: `${gl('anthropic-api-key')}; secretlint rule anthropic`,
  },
  {
    id: 'google-api-key',
    kind: 'Google API key',
    regex: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    keywords: ['aiza'],
    source: `Google Cloud Docs, "Manage API keys"; ${gl('gcp-api-key')}`,
  },
  {
    id: 'google-oauth-client-secret',
    kind: 'Google OAuth client secret',
    regex: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/g,
    keywords: ['gocspx-'],
    source: 'Google Cloud Docs, OAuth client secrets (GOCSPX- prefix); secretlint rule gcp',
  },
  {
    id: 'jwt',
    kind: 'JWT',
    regex: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
    keywords: ['eyj'],
    source: `RFC 7519 (JWS compact form: base64url of '{"' is eyJ); ${gl('jwt')}`,
  },
  {
    id: 'sendgrid-key',
    kind: 'SendGrid API key',
    regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    keywords: ['sg.'],
    source: `${gl('sendgrid-api-token')}; secretlint rule sendgrid`,
  },
  {
    id: 'docker-hub-token',
    kind: 'Docker Hub access token',
    regex: /\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,})/g,
    keywords: ['dckr_pat_', 'dckr_oat_'],
    source: 'Docker Docs, "Personal access tokens" and "Organization access tokens" (dckr_pat_/dckr_oat_ prefixes)',
  },
  {
    id: 'vault-token',
    kind: 'Vault token',
    regex: /\b(hv[sbr]\.[A-Za-z0-9_-]{24,})/g,
    keywords: ['hvs.', 'hvb.', 'hvr.'],
    source: `HashiCorp Vault Docs, "Tokens: token prefixes"; ${gl('vault-service-token')}, vault-batch-token`,
  },
  {
    id: 'terraform-cloud-token',
    kind: 'Terraform Cloud token',
    regex: /\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})/g,
    keywords: ['.atlasv1.'],
    source: gl('hashicorp-tf-api-token'),
  },
  {
    id: 'digitalocean-token',
    kind: 'DigitalOcean token',
    regex: /\b(do[opr]_v1_[a-f0-9]{64})(?![a-f0-9])/g,
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    source: `${gl('digitalocean-pat')}, digitalocean-access-token, digitalocean-refresh-token`,
  },
  {
    id: 'shopify-token',
    kind: 'Shopify token',
    regex: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?![a-fA-F0-9])/g,
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    source: `${gl('shopify-access-token')}; secretlint rule shopify`,
  },
  {
    id: 'huggingface-token',
    kind: 'Hugging Face token',
    regex: /\b(hf_[A-Za-z]{34})(?![A-Za-z0-9])/g,
    keywords: ['hf_'],
    source: gl('huggingface-access-token'),
  },
  {
    id: 'databricks-token',
    kind: 'Databricks token',
    regex: /\b(dapi[a-f0-9]{32}(?:-\d)?)(?![a-f0-9])/g,
    keywords: ['dapi'],
    source: gl('databricks-api-token'),
  },
  {
    id: 'grafana-token',
    kind: 'Grafana token',
    regex: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=])/g,
    keywords: ['glsa_', 'glc_'],
    source: `${gl('grafana-service-account-token')}, grafana-cloud-api-token`,
  },
  {
    id: 'new-relic-key',
    kind: 'New Relic API key',
    regex: /\b(NRAK-[A-Z0-9]{27})(?![A-Z0-9])/g,
    keywords: ['nrak-'],
    source: gl('new-relic-user-api-key'),
  },
  {
    id: 'mailchimp-key',
    kind: 'Mailchimp API key',
    regex: /\b([0-9a-f]{32}-us\d{1,2})(?![0-9])/g,
    keywords: ['-us'],
    source: gl('mailchimp-api-key'),
  },
  {
    id: 'linear-key',
    kind: 'Linear API key',
    regex: /\b(lin_api_[A-Za-z0-9]{40})(?![A-Za-z0-9])/g,
    keywords: ['lin_api_'],
    source: `${gl('linear-api-key')}; secretlint rule linear`,
  },
  {
    id: 'postman-key',
    kind: 'Postman API key',
    regex: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})(?![a-f0-9])/g,
    keywords: ['pmak-'],
    source: gl('postman-api-token'),
  },
  {
    id: 'pulumi-token',
    kind: 'Pulumi token',
    regex: /\b(pul-[a-f0-9]{40})(?![a-f0-9])/g,
    keywords: ['pul-'],
    source: gl('pulumi-api-token'),
  },
  {
    id: 'doppler-token',
    kind: 'Doppler token',
    regex: /\b(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})(?![A-Za-z0-9])/g,
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    source: gl('doppler-api-token'),
  },
  {
    id: 'telegram-bot-token',
    kind: 'Telegram bot token',
    regex: /\b(\d{8,10}:AA[0-9A-Za-z_-]{33})(?![0-9A-Za-z_-])/g,
    keywords: [':aa'],
    source: gl('telegram-bot-api-token'),
  },
  {
    id: 'azure-storage-key',
    kind: 'Azure storage account key',
    regex: /AccountKey=([A-Za-z0-9+/]{86}==)/g,
    keywords: ['accountkey='],
    source: 'Azure Storage Docs, "Configure a connection string" (AccountKey=); secretlint rule azure',
  },
  {
    id: 'age-secret-key',
    kind: 'age secret key',
    regex: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})/g,
    keywords: ['age-secret-key-1'],
    source: `age specification (Bech32 AGE-SECRET-KEY-1); ${gl('age-secret-key')}`,
  },
];

/** PEM and OpenSSH private keys (RFC 7468 labels): the block from BEGIN to END. */
export const PRIVATE_KEY = {
  kind: 'Private key',
  begin: /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/g,
  end: /-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/g,
  keyword: 'private key',
  source: `RFC 7468 (textual encodings), OpenSSH PROTOCOL.key, RFC 4880 armor; ${gl('private-key')}`,
};

/** One lower-case pre-check for every provider keyword: most strings fail it at once. */
export const PROVIDER_KEYWORDS: readonly string[] = [...new Set(PROVIDER_PATTERNS.flatMap((p) => p.keywords))];
