// no-hardcoded-secrets, Compose files.
import { secretTable } from '../secrets/harness';

const ROTATE = 'rotate the secret: it stays in your history';
const envFile = (v: string) => `Replace with \${${v}} from .env (git-ignored); ${ROTATE}`;
const composeSecret = (name: string, id: string, reads: string | null) =>
  `Move ${name} to a Compose secret (./secrets/${id}.txt, git-ignored; ${reads ?? `the app must read /run/secrets/${id}`}); ${ROTATE}`;
const path = 'compose.yaml';
const svc = (env: string) => `services:\n  api:\n    image: example/api:1.0\n    environment:\n${env}`;

secretTable('no-hardcoded-secrets', [
  // ---- what counts
  {
    name: 'environment map: name + literal; (a) ${NAME} and .env, created and git-ignored',
    path,
    code: svc('      DB_HOST: db\n      DB_PASSWORD: hunter2\n'),
    findings: [{
      message: "Hardcoded password in environment variable DB_PASSWORD of service 'api'",
      range: [[5, 19], [5, 26]],
      fixes: [envFile('DB_PASSWORD'), composeSecret('DB_PASSWORD', 'db_password', null)],
    }],
    fix: {
      fixed: svc('      DB_HOST: db\n      DB_PASSWORD: ${DB_PASSWORD}\n'),
      files: { '.env': "DB_PASSWORD='hunter2'\n", '.gitignore': '.env\n' },
    },
  },
  {
    name: '(a) with an existing .env that git already ignores (a parent .gitignore, repository root above)',
    path: 'deploy/compose.yaml',
    workspace: { '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': '**/.env\n', 'deploy/.env': 'TAG=1.2' },
    code: svc('      DB_PASSWORD: "hunter2"\n'),
    findings: [{ message: "Hardcoded password in environment variable DB_PASSWORD of service 'api'", range: [[4, 20], [4, 27]] }],
    fix: { fixed: svc('      DB_PASSWORD: "${DB_PASSWORD}"\n'), files: { 'deploy/.env': "TAG=1.2\nDB_PASSWORD='hunter2'\n" } },
  },
  {
    name: '(a) a name already in .env with another value: the service name prefixes the variable',
    path,
    workspace: { '.env': "DB_PASSWORD='other'\n", '.gitignore': '.env\n' },
    code: svc('      DB_PASSWORD: hunter2\n'),
    findings: [{ message: "Hardcoded password in environment variable DB_PASSWORD of service 'api'", range: [[4, 19], [4, 26]], fixes: [envFile('API_DB_PASSWORD'), composeSecret('DB_PASSWORD', 'db_password', null)] }],
    fix: { fixed: svc('      DB_PASSWORD: ${API_DB_PASSWORD}\n'), files: { '.env': "DB_PASSWORD='other'\nAPI_DB_PASSWORD='hunter2'\n" } },
  },
  {
    name: 'environment list: NAME=value',
    path,
    code: svc('      - LOG_LEVEL=info\n      - API_TOKEN=Zq8xW2pL9vR4tY7u\n'),
    findings: [{ message: "Hardcoded token in environment variable API_TOKEN of service 'api'", range: [[5, 18], [5, 34]] }],
    fix: { fixed: svc('      - LOG_LEVEL=info\n      - API_TOKEN=${API_TOKEN}\n'), files: { '.env': "API_TOKEN='Zq8xW2pL9vR4tY7u'\n", '.gitignore': '.env\n' } },
  },
  {
    name: '(b) a Compose secret; postgres reads POSTGRES_PASSWORD_FILE',
    path,
    code: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: Pg5ecretPw\n',
    findings: [{
      message: "Hardcoded password in environment variable POSTGRES_PASSWORD of service 'db'",
      range: [[5, 25], [5, 35]],
      fixes: [envFile('POSTGRES_PASSWORD'), composeSecret('POSTGRES_PASSWORD', 'postgres_password', 'postgres reads POSTGRES_PASSWORD_FILE')],
    }],
    fix: {
      title: composeSecret('POSTGRES_PASSWORD', 'postgres_password', 'postgres reads POSTGRES_PASSWORD_FILE'),
      fixed: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password\n    secrets:\n      - postgres_password\nsecrets:\n  postgres_password:\n    file: ./secrets/postgres_password.txt\n',
      files: { 'secrets/postgres_password.txt': 'Pg5ecretPw', '.gitignore': 'secrets/postgres_password.txt\n' },
    },
  },
  {
    name: '(b) without the _FILE convention: the entry goes, the service and top-level secrets lists grow',
    path,
    code: 'services:\n  api:\n    build: .\n    environment:\n      - LOG_LEVEL=info\n      - API_SECRET=s3cr3tV4lue\n    secrets:\n      - other\nsecrets:\n  other:\n    file: ./other.txt\n',
    findings: [{ message: "Hardcoded secret in environment variable API_SECRET of service 'api'", range: [[5, 19], [5, 30]] }],
    fix: {
      title: composeSecret('API_SECRET', 'api_secret', null),
      fixed: 'services:\n  api:\n    build: .\n    environment:\n      - LOG_LEVEL=info\n    secrets:\n      - other\n      - api_secret\nsecrets:\n  other:\n    file: ./other.txt\n  api_secret:\n    file: ./secrets/api_secret.txt\n',
      files: { 'secrets/api_secret.txt': 's3cr3tV4lue', '.gitignore': 'secrets/api_secret.txt\n' },
    },
  },
  {
    name: '(b) the only entry: environment goes, secrets take its place',
    path,
    code: 'services:\n  app:\n    build: .\n    environment:\n      SESSION_SECRET: 8f3k2j5h7g9d\n',
    findings: [{ message: "Hardcoded secret in environment variable SESSION_SECRET of service 'app'", range: [[4, 22], [4, 34]] }],
    fix: {
      title: composeSecret('SESSION_SECRET', 'session_secret', null),
      fixed: 'services:\n  app:\n    build: .\n    secrets:\n      - session_secret\nsecrets:\n  session_secret:\n    file: ./secrets/session_secret.txt\n',
      files: { 'secrets/session_secret.txt': '8f3k2j5h7g9d', '.gitignore': 'secrets/session_secret.txt\n' },
    },
  },
  {
    name: 'a token in build.args',
    path,
    code: 'services:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: @@npm@@\n',
    findings: [{ message: "npm token in build arg NPM_TOKEN of service 'api'", range: [[5, 19], [5, 59]], fixes: [envFile('NPM_TOKEN')] }],
    fix: { fixed: 'services:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n', files: { '.env': "NPM_TOKEN='@@npm@@'\n", '.gitignore': '.env\n' } },
  },
  {
    name: 'build.args as a list',
    path,
    code: 'services:\n  api:\n    build:\n      context: .\n      args:\n        - GH_TOKEN=@@github@@\n',
    findings: [{ message: "GitHub token in build arg GH_TOKEN of service 'api'", range: [[5, 19], [5, 59]] }],
  },
  {
    name: 'a token in labels',
    path,
    code: 'services:\n  api:\n    image: example/api:1.0\n    labels:\n      com.example.deploy-token: "@@gitlab@@"\n',
    findings: [{ message: "GitLab token in label com.example.deploy-token of service 'api'", range: [[4, 33], [4, 59]], fixes: [envFile('API_COM_EXAMPLE_DEPLOY_TOKEN')] }],
  },
  {
    name: 'a password on the command (string)',
    path,
    code: 'services:\n  cache:\n    image: redis:7\n    command: redis-server --requirepass R3disPw9x\n',
    findings: [{ message: "Hardcoded password in command of service 'cache' (--requirepass)", range: [[3, 40], [3, 49]] }],
  },
  {
    name: 'a password on the command (list, arguments for the entrypoint)',
    path,
    code: 'services:\n  cache:\n    image: redis:7\n    command: ["--requirepass", "R3disPw9x"]\n',
    findings: [{ message: "Hardcoded password in command of service 'cache' (--requirepass)", range: [[3, 32], [3, 41]] }],
  },
  {
    name: 'a token in a healthcheck',
    path,
    code: 'services:\n  api:\n    image: example/api:1.0\n    healthcheck:\n      test: ["CMD-SHELL", "curl -fsS -u monitor:M0nit0rPw http://localhost/health"]\n',
    findings: [{ message: "Password in healthcheck of service 'api' (curl -u)", range: [[4, 48], [4, 57]] }],
  },
  {
    name: 'credentials in a URL (the name ends _URL): only the password; (a) names it',
    path,
    code: svc('      DATABASE_URL: postgres://app:Pg5ecretPw@db:5432/app\n'),
    findings: [{ message: "Password in a URL in environment variable DATABASE_URL of service 'api'", range: [[4, 35], [4, 45]] }],
    fix: { fixed: svc('      DATABASE_URL: postgres://app:${DATABASE_URL_PASSWORD}@db:5432/app\n'), files: { '.env': "DATABASE_URL_PASSWORD='Pg5ecretPw'\n", '.gitignore': '.env\n' } },
  },
  {
    name: '${VAR:-<real-looking default>}: the default is the secret; (a) keeps the variable',
    path,
    code: svc('      DB_PASSWORD: ${DB_PASSWORD:-s3cretDefault9}\n'),
    findings: [{ message: "Hardcoded password in environment variable DB_PASSWORD of service 'api'", range: [[4, 34], [4, 48]] }],
    fix: { fixed: svc('      DB_PASSWORD: ${DB_PASSWORD}\n'), files: { '.env': "DB_PASSWORD='s3cretDefault9'\n", '.gitignore': '.env\n' } },
  },
  {
    name: 'an anchor shared by two services: one finding, at the anchor',
    path,
    code: 'x-env: &env\n  SMTP_PASSWORD: m4ilPassw0rd\nservices:\n  a:\n    image: example/a:1\n    environment: *env\n  b:\n    image: example/b:1\n    environment: *env\n',
    findings: [{ message: "Hardcoded password in environment variable SMTP_PASSWORD of services 'a', 'b'", range: [[1, 17], [1, 29]] }],
  },
  {
    name: 'a private key in an x- field (every value is searched for keys and tokens)',
    path,
    code: 'x-deploy:\n  key: "@@private-key-line@@"\nservices:\n  api:\n    image: example/api:1.0\n',
    findings: [{ message: "SSH private key in key 'x-deploy.key'", range: [[1, 8], [1, 144]] }],
  },
  {
    name: 'a Slack webhook URL',
    path,
    code: svc('      ALERT_WEBHOOK: @@slack-webhook@@\n'),
    findings: [{ message: "Slack webhook URL in environment variable ALERT_WEBHOOK of service 'api'", range: [[4, 21], [4, 100]] }],
  },

  // ---- what does not
  { name: '$VAR, ${VAR}, ${VAR:-<placeholder>}, ${VAR:?err}', path, code: svc('      A_PASSWORD: $A_PASSWORD\n      B_PASSWORD: ${B_PASSWORD}\n      C_PASSWORD: ${C_PASSWORD:-<set-me>}\n      D_PASSWORD: ${D_PASSWORD:?set it}\n') },
  { name: '$${VAR}: passed on to the container', path, code: svc('      DB_PASSWORD: $${DB_PASSWORD}\n') },
  { name: '{{ .Values.x }} and ${{ secrets.X }}', path, code: svc('      API_TOKEN: "{{ .Values.apiToken }}"\n      GH_TOKEN: ${{ secrets.GH_TOKEN }}\n') },
  { name: 'SOPS ENC[...]', path, code: svc('      DB_PASSWORD: ENC[AES256_GCM,data:Zm9vYmFy,iv:abc=,tag:def=,type:str]\n') },
  { name: 'a variable passed through (list item without =)', path, code: svc('      - DB_PASSWORD\n      - API_TOKEN\n') },
  { name: 'names ending _FILE and _USER', path, code: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n      POSTGRES_USER: app\n' },
  { name: 'placeholders', path, code: svc('      DB_PASSWORD: your-password\n      API_KEY: <your-api-key>\n      SECRET_KEY: INSERT_SECRET_KEY_HERE\n      TOKEN: xxx\n') },
  { name: 'booleans under secret names', path, code: svc('      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"\n      REQUIRE_TOKEN: true\n') },
  { name: 'a plain URL under a token name', path, code: svc('      OAUTH_TOKEN: https://auth.example.com/oauth/token\n') },
  { name: 'a digest pinned image', path, code: 'services:\n  api:\n    image: example/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },

  // ---- suppression
  { name: '# bulkhead-ignore on the line above', path, code: svc('      # bulkhead-ignore no-hardcoded-secrets -- local dev only\n      DB_PASSWORD: hunter2\n') },
  { name: '# gitleaks:allow at the end of the line', path, code: svc('      DB_PASSWORD: hunter2 # gitleaks:allow\n') },
  { name: '# pragma: allowlist secret at the end of the line', path, code: svc('      DB_PASSWORD: hunter2  # pragma: allowlist secret\n') },
]);
