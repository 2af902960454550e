// no-hardcoded-secrets: the classes of issue 15 (false alarms and misses), one table per
// platform, exact messages, ranges and severities. The labelled corpus (test/fixtures/secrets)
// holds more cases of each class, rewritten from public files.
import { secretTable } from '../secrets/harness';

const df = (body: string) => `FROM alpine:3.20\n${body}\n`;
const compose = 'compose.yaml';
const svc = (env: string) => `services:\n  api:\n    image: example/api:1.0\n    environment:\n${env}`;
const manifest = 'manifest.yaml';
const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n${data}`;

secretTable('no-hardcoded-secrets', [
  // ---- false alarms: public identifiers
  { name: 'GPG fingerprint in key= next to gpg --recv-keys', code: df(`RUN key='B42F6819007F00F88E364FD4036A9C25BF357DD4'; gpg --batch --recv-keys "$key"`) },
  { name: 'GPG fingerprint under a signing key name, in a file that uses gpg', code: df('ENV TINI_SIGNING_KEY 595E85A6B1B4779EA4DAAEC70B588DFF0527A9B7\nRUN gpg --batch --recv-keys "$TINI_SIGNING_KEY"') },
  {
    name: 'the same 40 hex digits in a file without gpg are a key',
    code: df('ENV TINI_SIGNING_KEY 595E85A6B1B4779EA4DAAEC70B588DFF0527A9B7'),
    findings: [{ message: 'Hardcoded key in ENV TINI_SIGNING_KEY', range: [[1, 21], [1, 61]], severity: 'error' }],
  },
  { name: 'SSH public key under a deploy key name', code: df('ENV DEPLOY_KEY="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPublicKeyMaterial0123456789 deploy@ci"') },
  { name: 'PEM public key under a JWT key name', code: df('ENV JWT_KEY="-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----"') },
  { name: 'VAPID public key', path: compose, code: svc('      VAPID_PUBLIC_KEY: BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U\n') },
  // ---- false alarms: Compose $$ escapes
  { name: 'Compose $$(cat /run/secrets/x) in a command', path: compose, code: 'services:\n  init:\n    image: mysql:8.4\n    command: sh -c \'mysql --password="$$(cat /run/secrets/db)"\'\n' },
  // ---- false alarms: placeholders
  {
    name: 'placeholders: INSERT_..._HERE, ..._VAL, sk-xxx, descriptive words, username:password, 1234567890, zero UUID, own name',
    path: compose,
    code: svc([
      '      OPENAI_API_KEY: INSERT_OPENAI_API_KEY_HERE',
      '      DB_PASSWORD: DB_PASSWORD_VAL',
      '      STRIPE_SECRET_KEY: sk-xxx-replace',
      '      OSS_ACCESS_KEY_SECRET: oss_secret_key',
      '      DATABASE_URL: postgres://username:password@db/app',
      '      BOT_TOKEN: "1234567890"',
      '      CLIENT_SECRET: 00000000-0000-0000-0000-000000000000',
      '      APP_SECRET: app_secret',
      '',
    ].join('\n')),
  },
  // ---- false alarms: paths, file names, references, mode strings
  { name: 'paths and file names in secret-named variables', code: df('ENV SERVER_KEY assets/tls/server.key\nENV JWT_SECRET=secrets/jwt_secret\nENV TLS_KEY=server.key') },
  { name: 'a file name given to a secret flag', code: df('CMD ["mtproto-proxy", "--aes-pwd", "proxy-secret", "proxy-multi.conf"]') },
  { name: 'Argo CD notifications $secret-key and Grafana $__file{}', path: compose, code: svc('      SLACK_TOKEN: $slack-token\n      GF_SECURITY_ADMIN_PASSWORD: $__file{/run/secrets/admin}\n') },
  { name: 'mitmproxy reverse:http://host:port@listen is a mode, not a URL password', code: df('CMD ["mitmdump", "--mode", "reverse:http://app:3000@8081"]') },
  // ---- false alarms: Secret keys that name a user
  { name: 'Secret keys naming a user', path: manifest, code: secret('  mysql-username: app\n  username-readonly: reporter\n  adminUser: admin\n') },
  // ---- misses: shell semantics
  {
    name: "single quotes keep $ literal: -p'...'",
    code: df("RUN mysql -uroot -p'Dk7$xq!9' -e 'SELECT 1'"),
    findings: [{ message: 'Password in RUN command line (mysql -p)', range: [[1, 20], [1, 28]], severity: 'error' }],
  },
  { name: 'double quotes expand $: -p"$VAR" is a reference', code: df('RUN mysql -uroot -p"$MYSQL_ROOT_PASSWORD" -e "SELECT 1"') },
  {
    name: "echo 'user:pass' | chpasswd",
    code: df("RUN echo 'dev:Xk9#mPq2vL' | chpasswd"),
    findings: [{ message: 'Password in RUN command line (chpasswd)', range: [[1, 14], [1, 24]], severity: 'error' }],
  },
  {
    name: '.netrc written with echo',
    code: df('RUN echo "machine git.example.com login bot password Nq7vR2xW9kLm" > /root/.netrc'),
    findings: [{ message: 'Hardcoded password in RUN command line (password)', range: [[1, 53], [1, 65]], severity: 'error' }],
  },
  {
    name: '_authToken= written into .npmrc',
    code: df('RUN echo "//npm.example.com/:_authToken=a1b2c3d4e5f6a7b8c9d0e1f2" > .npmrc'),
    findings: [{ message: 'Hardcoded token in RUN command line (_authToken)', range: [[1, 40], [1, 64]], severity: 'error' }],
  },
  {
    name: 'ONBUILD RUN is read like RUN',
    code: df("ONBUILD RUN echo 'app:Zt8!mK3qP' | chpasswd"),
    findings: [{ message: 'Password in ONBUILD (chpasswd)', range: [[1, 22], [1, 31]], severity: 'error' }],
  },
  // ---- misses: names
  {
    name: 'plural and suffixed names: LDAP_PASSWORDS, *_PASSWD, API_TOKENS',
    code: df('ENV LDAP_PASSWORDS=Al1ceLdapPw VNC_PASSWD=vncP4ss77 API_TOKENS=t0kA9f3kLm2qW8zX'),
    findings: [
      { message: 'Hardcoded password in ENV LDAP_PASSWORDS', range: [[1, 19], [1, 30]] },
      { message: 'Hardcoded password in ENV VNC_PASSWD', range: [[1, 42], [1, 51]] },
      { message: 'Hardcoded token in ENV API_TOKENS', range: [[1, 63], [1, 79]] },
    ],
  },
  { name: 'MAX_TOKENS counts tokens', code: df('ENV MAX_TOKENS=4096abcdefghijklmnop') },
  // ---- weak dictionary passwords: warning
  {
    name: 'weak dictionary passwords are warnings: supersecret, example_123, changeme, a weak URL password',
    path: compose,
    code: svc('      POSTGRES_PASSWORD: supersecret\n      MYSQL_PASSWORD: example_123\n      REDIS_PASSWORD: changeme\n      DATABASE_URL: postgres://postgres:postgres@db/app\n'),
    findings: [
      { message: "Weak hardcoded password in environment variable POSTGRES_PASSWORD of service 'api'", range: [[4, 25], [4, 36]], severity: 'warning' },
      { message: "Weak hardcoded password in environment variable MYSQL_PASSWORD of service 'api'", range: [[5, 22], [5, 33]], severity: 'warning' },
      { message: "Weak hardcoded password in environment variable REDIS_PASSWORD of service 'api'", range: [[6, 22], [6, 30]], severity: 'warning' },
      { message: "Weak password in a URL in environment variable DATABASE_URL of service 'api'", range: [[7, 40], [7, 48]], severity: 'warning' },
    ],
  },
  {
    name: 'weak password in a Secret and on a command line',
    path: manifest,
    code: secret('  password: password123\n'),
    findings: [{ message: "Weak hardcoded password in Secret 'db' key password", range: [[5, 12], [5, 23]], severity: 'warning' }],
  },
  { name: 'values that cannot be a credential stay silent', code: df('ENV A_PASSWORD=<password> B_PASSWORD=your-password C_PASSWORD=xxx D_PASSWORD=aaaaaaaa') },
  // ---- anchors and x- fields
  {
    name: 'merge key inside environment: one finding at the anchor, naming both services',
    path: compose,
    code: 'x-env: &env\n  DB_PASSWORD: Zr8vK2pW6qXm\nservices:\n  api:\n    image: a:1\n    environment:\n      <<: *env\n      LOG: info\n  worker:\n    image: b:1\n    environment:\n      <<: *env\n',
    findings: [{ message: "Hardcoded password in environment variable DB_PASSWORD of services 'api', 'worker'", range: [[1, 15], [1, 27]] }],
  },
  {
    name: 'an anchored value every service overrides is still in the file',
    path: compose,
    code: 'x-env: &env\n  DB_PASSWORD: Zr8vK2pW6qXm\nservices:\n  api:\n    image: a:1\n    environment:\n      <<: *env\n      DB_PASSWORD: ${DB_PASSWORD}\n',
    findings: [{ message: "Hardcoded password in key 'x-env.DB_PASSWORD'", range: [[1, 15], [1, 27]] }],
  },
  // ---- block scalars
  {
    name: 'folded block scalar command: the range is the password',
    path: compose,
    code: 'services:\n  init:\n    image: mysql:8.4\n    command: >\n      sh -c "sleep 5 &&\n      mysql -uroot -pFb9kQ2wLx7 < /init.sql"\n',
    findings: [{ message: "Password in command of service 'init' (mysql -p)", range: [[5, 21], [5, 31]] }],
  },
  {
    name: 'literal block scalar args: the range is the URL password',
    path: manifest,
    code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: seed\nspec:\n  containers:\n    - name: seed\n      image: postgres:16\n      command: ["sh", "-c"]\n      args:\n        - |\n          set -e\n          psql "postgresql://app:Ks7vP2qWx9@db/app"\n',
    findings: [{ message: "Password in a URL in args of container 'seed'", range: [[12, 33], [12, 43]] }],
  },
]);
