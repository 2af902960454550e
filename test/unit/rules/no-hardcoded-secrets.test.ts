// no-hardcoded-secrets, Dockerfile. Compose and Kubernetes: the -compose and -kubernetes tables.
import { secretTable } from '../secrets/harness';

const ROTATE = 'rotate the secret: it stays in your history';
const buildSecret = (name: string, id: string, runtime = false) =>
  `Move ${name} to a build secret (RUN --mount=type=secret,id=${id},env=${name}; value written to .secrets/${id}, git- and docker-ignored; build with --secret id=${id},src=.secrets/${id}${runtime ? `; containers no longer get ${name} at run time` : ''}); ${ROTATE}`;
const IGNORED_FILES = { '.gitignore': '.secrets/\n', '.dockerignore': '.secrets/\n' };

secretTable('no-hardcoded-secrets', [
  // ---- what counts
  {
    name: 'a secret-looking name with a literal value (entropy alone would never catch it)',
    code: 'FROM alpine:3.20\nENV DB_PASSWORD=hunter2\n',
    findings: [{ message: 'Hardcoded password in ENV DB_PASSWORD', range: [[1, 16], [1, 23]], fixes: [] }],
  },
  {
    name: 'quoted ENV value: the range is inside the quotes',
    code: 'FROM alpine:3.20\nENV API_SECRET="s3cr3t value"\n',
    findings: [{ message: 'Hardcoded secret in ENV API_SECRET', range: [[1, 16], [1, 28]] }],
  },
  {
    name: 'legacy ENV form (ENV NAME value)',
    code: 'FROM alpine:3.20\nENV ADMIN_PASSWORD Tr0ub4dor3\n',
    findings: [{ message: 'Hardcoded password in ENV ADMIN_PASSWORD', range: [[1, 19], [1, 29]] }],
  },
  {
    name: 'a provider token in a build arg: kind and name in the message, fix moves it to a secret mount',
    code: 'FROM node:20\nARG NPM_TOKEN=@@npm@@\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n',
    findings: [{ message: 'npm token in build arg NPM_TOKEN', range: [[1, 14], [1, 54]], fixes: [buildSecret('NPM_TOKEN', 'npm_token')] }],
    fix: {
      fixed: '# syntax=docker/dockerfile:1\nFROM node:20\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN,required=true echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n',
      files: { '.secrets/npm_token': '@@npm@@', ...IGNORED_FILES },
    },
  },
  {
    name: 'GitHub token in a build arg',
    code: 'FROM alpine:3.20\nARG GITHUB_TOKEN=@@github@@\nRUN git clone https://x-access-token:${GITHUB_TOKEN}@github.com/o/r.git\n',
    findings: [{ message: 'GitHub token in build arg GITHUB_TOKEN', range: [[1, 17], [1, 57]], fixes: [buildSecret('GITHUB_TOKEN', 'github_token')] }],
  },
  {
    name: 'ENV used by RUN in the final stage: the title says containers lose it; existing # syntax=1.4 is raised to 1',
    code: '# syntax=docker/dockerfile:1.4\nFROM python:3.12\nENV PIP_TOKEN=Zq8xW2pL9vR4tY7u\nRUN pip install --index-url https://__token__:${PIP_TOKEN}@pypi.example.org/simple app\n',
    findings: [{ message: 'Hardcoded token in ENV PIP_TOKEN', range: [[2, 14], [2, 30]], fixes: [buildSecret('PIP_TOKEN', 'pip_token', true)] }],
    fix: {
      fixed: '# syntax=docker/dockerfile:1\nFROM python:3.12\nRUN --mount=type=secret,id=pip_token,env=PIP_TOKEN,required=true pip install --index-url https://__token__:${PIP_TOKEN}@pypi.example.org/simple app\n',
      files: { '.secrets/pip_token': 'Zq8xW2pL9vR4tY7u', ...IGNORED_FILES },
    },
  },
  {
    name: 'one pair of several in an ENV is removed; every RUN that reads it gets the mount; ignore files already right',
    code: 'FROM alpine:3.20\nENV MODE=prod API_KEY=k3yV4lu3Zx81 REGION=eu\nRUN fetch --key "$API_KEY"\nRUN ls\nRUN upload --key=${API_KEY}\n',
    workspace: { '.gitignore': 'node_modules/\n.secrets/\n', '.dockerignore': '.secrets\n' },
    findings: [{ message: 'Hardcoded API key in ENV API_KEY', range: [[1, 22], [1, 34]] }],
    fix: {
      fixed: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nENV MODE=prod REGION=eu\nRUN --mount=type=secret,id=api_key,env=API_KEY,required=true fetch --key "$API_KEY"\nRUN ls\nRUN --mount=type=secret,id=api_key,env=API_KEY,required=true upload --key=${API_KEY}\n',
      files: { '.secrets/api_key': 'k3yV4lu3Zx81' },
    },
  },
  {
    name: 'an ENV read only at run time gets no automatic fix',
    code: 'FROM node:20\nENV STRIPE_KEY=@@stripe@@\nCMD ["node", "server.js"]\n',
    findings: [{ message: 'Stripe secret key in ENV STRIPE_KEY', range: [[1, 15], [1, 48]], fixes: [] }],
  },
  {
    name: 'an ENV read by COPY (not RUN) gets no fix: a mount exists for RUN only',
    code: 'FROM alpine:3.20\nENV TOKEN=abcd1234efgh5678\nRUN echo $TOKEN\nWORKDIR /srv/$TOKEN\n',
    findings: [{ message: 'Hardcoded token in ENV TOKEN', range: [[1, 10], [1, 26]], fixes: [] }],
  },
  {
    name: 'AWS access key ID under a name ending _ID (exemptions switch off only the name heuristic)',
    code: 'FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID=@@aws-id@@\n',
    findings: [{ message: 'AWS access key ID in ENV AWS_ACCESS_KEY_ID', range: [[1, 22], [1, 42]] }],
  },
  {
    name: 'AWS secret access key by its name',
    code: 'FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY=@@aws-secret@@\n',
    findings: [{ message: 'AWS secret access key in ENV AWS_SECRET_ACCESS_KEY', range: [[1, 26], [1, 66]] }],
  },
  {
    name: 'credentials in a URL under a name ending _URL',
    code: 'FROM alpine:3.20\nENV DATABASE_URL=postgres://app:Pg5ecretPw@db:5432/app\n',
    findings: [{ message: 'Password in a URL in ENV DATABASE_URL', range: [[1, 32], [1, 42]] }],
  },
  {
    name: 'a private key block (escaped line breaks) in an ENV',
    code: 'FROM alpine:3.20\nENV DEPLOY_KEY="@@private-key-line@@"\n',
    findings: [{ message: 'SSH private key in ENV DEPLOY_KEY', range: [[1, 16], [1, 152]] }],
  },
  {
    name: 'a token in a LABEL',
    code: 'FROM alpine:3.20\nLABEL ci.token=@@gitlab@@\n',
    findings: [{ message: 'GitLab token in LABEL ci.token', range: [[1, 15], [1, 41]], fixes: [] }],
  },
  {
    name: '${VAR:-<real-looking default>} is a secret: the range is the default',
    code: 'FROM alpine:3.20\nENV API_TOKEN=${API_TOKEN:-prod9f8e7d6c5b4a}\n',
    findings: [{ message: 'Hardcoded token in ENV API_TOKEN', range: [[1, 27], [1, 43]] }],
  },
  {
    name: 'GitHub token in an Authorization header on a RUN line',
    code: 'FROM alpine:3.20\nRUN curl -H "Authorization: Bearer @@github@@" https://api.github.com/user\n',
    findings: [{ message: 'GitHub token in RUN command line', range: [[1, 35], [1, 75]], fixes: [] }],
  },
  {
    name: 'a bearer token in an Authorization header',
    code: 'FROM alpine:3.20\nRUN wget --header="Authorization: Bearer 9b2f6c1de0a84f7c" https://repo.example.com/pkg.tgz\n',
    findings: [{ message: 'Token in an Authorization header in RUN command line', range: [[1, 41], [1, 57]] }],
  },
  {
    name: 'curl -u user:pass',
    code: 'FROM alpine:3.20\nRUN curl -u admin:hunter2 -O https://files.example.com/app.tgz\n',
    findings: [{ message: 'Password in RUN command line (curl -u)', range: [[1, 18], [1, 25]] }],
  },
  {
    name: 'docker login -p',
    code: 'FROM docker:27\nRUN docker login -u bot -p s3cr3tPassw0rd registry.example.com\n',
    findings: [{ message: 'Password in RUN command line (docker -p)', range: [[1, 27], [1, 41]] }],
  },
  {
    name: '--password= on a command line',
    code: 'FROM alpine:3.20\nRUN mytool --password=Tr0ub4dor3 sync\n',
    findings: [{ message: 'Hardcoded password in RUN command line (--password)', range: [[1, 22], [1, 32]] }],
  },
  {
    name: 'mysql -pSECRET, and SQL IDENTIFIED BY in the same RUN',
    code: "FROM mysql:8\nRUN mysql -uroot -pR00tPw9 -e \"CREATE USER 'app' IDENTIFIED BY 'AppPw2024'\"\n",
    findings: [
      { message: 'Password in RUN command line (mysql -p)', range: [[1, 19], [1, 26]] },
      { message: 'Password in RUN command line (SQL)', range: [[1, 64], [1, 73]] },
    ],
  },
  {
    name: "echo 'root:pass' | chpasswd",
    code: "FROM debian:12\nRUN echo 'root:Xq7#kLm2p' | chpasswd\n",
    findings: [{ message: 'Password in RUN command line (chpasswd)', range: [[1, 15], [1, 24]] }],
  },
  {
    name: 'credentials in a git URL in RUN',
    code: 'FROM alpine:3.20\nRUN git clone https://deploy:Sup3rS3cret@git.example.com/app.git\n',
    findings: [{ message: 'Password in a URL in RUN command line', range: [[1, 29], [1, 40]] }],
  },
  {
    name: 'a token in a heredoc RUN',
    code: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN <<EOF\nexport SLACK_TOKEN=@@slack@@\n./notify.sh\nEOF\n',
    findings: [{ message: 'Slack token in RUN command line', range: [[3, 19], [3, 65]] }],
  },
  {
    name: 'credentials in an ADD URL',
    code: 'FROM alpine:3.20\nADD https://builder:Bu1ldPw77@artifacts.example.com/app.tgz /app.tgz\n',
    findings: [{ message: 'Password in a URL in ADD source', range: [[1, 20], [1, 29]] }],
  },
  {
    name: 'a JWT in a HEALTHCHECK command',
    code: 'FROM alpine:3.20\nHEALTHCHECK --interval=30s CMD curl -fsS -H "Authorization: Bearer @@jwt@@" http://localhost/health\n',
    findings: [{ message: 'JWT in HEALTHCHECK', range: [[1, 67], [1, 145]] }],
  },
  {
    name: 'a builder stage counts too (the Dockerfile is in git)',
    code: 'FROM golang:1.22 AS build\nENV GOPRIVATE_TOKEN=@@gitlab@@\nRUN go build ./...\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n',
    findings: [{ message: 'GitLab token in ENV GOPRIVATE_TOKEN', range: [[1, 20], [1, 46]], fixes: [] }],
  },

  // ---- what does not
  { name: '$VAR', code: 'FROM alpine:3.20\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD\n' },
  { name: '${VAR}', code: 'FROM alpine:3.20\nENV DB_PASSWORD=${DB_PASSWORD}\n' },
  { name: '${VAR:-<placeholder>}', code: 'FROM alpine:3.20\nENV DB_PASSWORD=${DB_PASSWORD:-<db-password>}\n' },
  { name: 'ARG TOKEN without a value (no-secrets-in-build-args, not a hardcoded secret)', code: 'FROM alpine:3.20\nARG GITHUB_TOKEN\nRUN echo ok\n' },
  { name: 'RUN --mount=type=secret', code: '# syntax=docker/dockerfile:1\nFROM node:20\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci\n' },
  { name: 'curl -u with variables', code: 'FROM alpine:3.20\nRUN curl -u "$USER:$PASSWORD" https://x.example.com/f\n' },
  { name: 'docker login --password-stdin', code: 'FROM docker:27\nRUN --mount=type=secret,id=pw cat /run/secrets/pw | docker login -u bot --password-stdin\n' },
  {
    name: 'names ending _FILE/_PATH/_URL/_ID/_NAME/_USER/_LENGTH/_TTL/_VERSION',
    code: [
      'FROM alpine:3.20',
      'ENV DB_PASSWORD_FILE=/run/secrets/db',
      'ENV TLS_KEY_PATH=/etc/tls/key.pem',
      'ENV TOKEN_URL=https://auth.example.com/token',
      'ENV API_KEY_ID=k-1234567890',
      'ENV SECRET_NAME=app-secrets',
      'ENV DB_USER=admin',
      'ENV PASSWORD_LENGTH=16',
      'ENV TOKEN_TTL=3600',
      'ENV SECRET_VERSION=v3',
      '',
    ].join('\n'),
  },
  { name: 'PUBLIC_KEY', code: 'FROM alpine:3.20\nENV JWT_PUBLIC_KEY=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7q8Rf3\n' },
  { name: 'GPG_KEY fingerprints (official images)', code: 'FROM debian:12\nENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305\n' },
  {
    name: 'placeholders: xxx, <password>, your-token-here, INSERT_..._HERE, a repeated character',
    code: [
      'FROM alpine:3.20',
      'ENV DB_PASSWORD=INSERT_DB_PASSWORD_HERE',
      'ENV API_KEY=xxxxxxxx',
      'ENV ADMIN_PASSWORD=<password>',
      'ENV GITHUB_TOKEN=your-token-here',
      'ENV SMTP_PASSWORD=SMTP_PASSWORD_VAL',
      'ENV REDIS_PASSWORD=********',
      'ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      '',
    ].join('\n'),
  },
  { name: 'image digests and --checksum=', code: 'FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nADD --checksum=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef https://example.com/a.tgz /a.tgz\n' },
  { name: 'UUIDs used as ids', code: 'FROM alpine:3.20\nENV CLIENT_ID=3f2b8a1c-9d4e-4f6a-8b7c-1d2e3f4a5b6c\nENV TENANT=9d4e3f2b-8a1c-4f6a-8b7c-1d2e3f4a5b6c\n' },
  { name: 'booleans and paths under secret names', code: 'FROM alpine:3.20\nENV ALLOW_EMPTY_PASSWORD=yes\nENV SSH_KEY=/root/.ssh/id_ed25519\n' },
  { name: 'a weak name (KEY) with a word value', code: 'FROM alpine:3.20\nENV CACHE_KEY=user-sessions\n' },

  // ---- suppression
  { name: '# bulkhead-ignore no-hardcoded-secrets', code: 'FROM alpine:3.20\n# bulkhead-ignore no-hardcoded-secrets -- test fixture\nENV DB_PASSWORD=hunter2\n' },
  { name: 'gitleaks:allow at the end of a RUN line', code: 'FROM alpine:3.20\nRUN curl -u admin:hunter2 https://x.example.com # gitleaks:allow\n' },
  { name: '# pragma: allowlist secret on the line above', code: 'FROM alpine:3.20\n# pragma: allowlist secret\nENV DB_PASSWORD=hunter2\n' },
]);
