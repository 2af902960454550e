import { secretTable } from '../secrets/harness';

const ROTATE = 'rotate the secret: it stays in your history';
const msg = (name: string) => `Build arg ${name} looks like a secret: build args are recorded in the image history and provenance (use a secret mount)`;
const composeMsg = (name: string, svc: string) =>
  `Build arg ${name} of service '${svc}' looks like a secret: build args are recorded in the image history and provenance (use build secrets)`;
const mountNoValue = (name: string, id: string) =>
  `Move ${name} to a build secret (RUN --mount=type=secret,id=${id},env=${name}; build with --secret id=${id},env=${name}); ${ROTATE}`;
const mountValue = (name: string, id: string) =>
  `Move ${name} to a build secret (RUN --mount=type=secret,id=${id},env=${name}; value written to .secrets/${id}, git- and docker-ignored; build with --secret id=${id},src=.secrets/${id}); ${ROTATE}`;

secretTable('no-secrets-in-build-args', [
  {
    name: 'ARG without a value, read by RUN: fix turns it into a secret mount (nothing to write)',
    code: 'FROM node:20\nARG NPM_TOKEN\nCOPY . .\nRUN NPM_TOKEN=$NPM_TOKEN npm ci\n',
    findings: [{ message: msg('NPM_TOKEN'), range: [[1, 4], [1, 13]], fixes: [mountNoValue('NPM_TOKEN', 'npm_token')] }],
    fix: { fixed: '# syntax=docker/dockerfile:1\nFROM node:20\nCOPY . .\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN,required=true NPM_TOKEN=$NPM_TOKEN npm ci\n', files: {} },
  },
  {
    name: 'ARG with a default: the value goes to .secrets/<id>; existing directives stay first',
    code: '# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine:3.20\nARG API_TOKEN=Zq8xW2pL9vR4tY7u\nRUN ./fetch.sh "$API_TOKEN"\n',
    findings: [{ message: msg('API_TOKEN'), range: [[3, 4], [3, 13]], fixes: [mountValue('API_TOKEN', 'api_token')] }],
    fix: {
      fixed: '# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine:3.20\nRUN --mount=type=secret,id=api_token,env=API_TOKEN,required=true ./fetch.sh "$API_TOKEN"\n',
      files: { '.secrets/api_token': 'Zq8xW2pL9vR4tY7u', '.gitignore': '.secrets/\n', '.dockerignore': '.secrets/\n' },
    },
  },
  {
    name: 'a global ARG redeclared in a stage: one finding, both declarations go',
    code: 'ARG GH_TOKEN\nFROM golang:1.22\nARG GH_TOKEN\nRUN git config --global url."https://${GH_TOKEN}@github.com/".insteadOf "https://github.com/"\n',
    findings: [{ message: msg('GH_TOKEN'), range: [[0, 4], [0, 12]] }],
    fix: { fixed: '# syntax=docker/dockerfile:1\nFROM golang:1.22\nRUN --mount=type=secret,id=gh_token,env=GH_TOKEN,required=true git config --global url."https://${GH_TOKEN}@github.com/".insteadOf "https://github.com/"\n', files: {} },
  },
  {
    name: 'an ARG no RUN reads: a finding without a fix',
    code: 'FROM alpine:3.20\nARG DEPLOY_PASSWORD\n',
    findings: [{ message: msg('DEPLOY_PASSWORD'), range: [[1, 4], [1, 19]], fixes: [] }],
  },
  {
    name: 'an ARG used by ENV cannot become a mount: no fix',
    code: 'FROM alpine:3.20\nARG SECRET_KEY\nENV SECRET_KEY=$SECRET_KEY\nRUN ./build.sh\n',
    findings: [{ message: msg('SECRET_KEY'), range: [[1, 4], [1, 14]], fixes: [] }],
  },
  {
    name: 'Compose build.args, map and list',
    path: 'compose.yaml',
    code: 'services:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n        NODE_VERSION: "20"\n  web:\n    build:\n      context: web\n      args:\n        - GITHUB_TOKEN\n',
    findings: [
      { message: composeMsg('NPM_TOKEN', 'api'), range: [[5, 8], [5, 17]] },
      { message: composeMsg('GITHUB_TOKEN', 'web'), range: [[11, 10], [11, 22]] },
    ],
  },
  {
    name: 'Compose build.args merged through `<<` (and shared by two services): reported once, at the anchor',
    path: 'compose.yaml',
    code: 'x-args: &args\n  GITHUB_TOKEN: ${GITHUB_TOKEN}\nservices:\n  api:\n    build:\n      context: .\n      args:\n        <<: *args\n  web:\n    build:\n      context: web\n      args: *args\n',
    findings: [{ message: composeMsg('GITHUB_TOKEN', 'api'), range: [[1, 2], [1, 14]] }],
  },
  { name: 'ordinary build args', code: 'ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\nARG BUILD_ID\nARG GPG_KEY\nARG CACHE_KEY\nARG PASSWORD_FILE=/run/secrets/pw\nARG TOKEN_URL\n' },
  { name: '# bulkhead-ignore', code: 'FROM alpine:3.20\n# bulkhead-ignore no-secrets-in-build-args -- public read-only token\nARG NPM_TOKEN\n' },
  { name: 'suppressed by the BuildKit check name', code: 'FROM alpine:3.20\n# bulkhead-ignore SecretsUsedInArgOrEnv\nARG NPM_TOKEN\n' },
], { rangeIsValue: false });
