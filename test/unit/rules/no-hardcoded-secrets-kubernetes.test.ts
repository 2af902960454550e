// no-hardcoded-secrets, Kubernetes manifests.
import { FAKE } from '../secrets/fakes';
import { secretTable } from '../secrets/harness';

const ROTATE = 'rotate the secret: it stays in your history';
const keyRef = (name: string, secret: string, ns?: string) =>
  `Read ${name} from Secret ${secret} (value moved to ${secret}.env, git-ignored; create it with kubectl create secret generic ${secret}${ns ? ` -n ${ns}` : ''} --from-env-file=${secret}.env); ${ROTATE}`;
const path = 'deploy/api.yaml';
const deployment = (env: string, meta = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n${meta}spec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n${env}`;
const object = (kind: string, body: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: app-config\n${body}`;

secretTable('no-hardcoded-secrets', [
  // ---- what counts
  {
    name: 'env value: name + literal; fix: valueFrom.secretKeyRef, value in <workload>-secrets.env (git-ignored)',
    path,
    code: deployment('          env:\n            - name: DB_HOST\n              value: db\n            - name: DB_PASSWORD\n              value: hunter2 # from the wiki\n'),
    findings: [{ message: "Hardcoded password in env DB_PASSWORD of container 'api'", range: [[14, 21], [14, 28]], fixes: [keyRef('DB_PASSWORD', 'api-secrets')] }],
    fix: {
      fixed: deployment('          env:\n            - name: DB_HOST\n              value: db\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: api-secrets\n                  key: DB_PASSWORD # from the wiki\n'),
      files: { 'deploy/api-secrets.env': 'DB_PASSWORD=hunter2\n', 'deploy/.gitignore': 'api-secrets.env\n' },
    },
  },
  {
    name: 'flow-style env item; the namespace goes into the kubectl command',
    path,
    workspace: { 'deploy/.gitignore': '*-secrets.env\n' },
    code: deployment('          env: [{name: API_TOKEN, value: "Zq8xW2pL9vR4tY7u"}]\n', '  namespace: prod\n'),
    findings: [{ message: "Hardcoded token in env API_TOKEN of container 'api'", range: [[11, 42], [11, 58]], fixes: [keyRef('API_TOKEN', 'api-secrets', 'prod')] }],
    fix: {
      fixed: deployment('          env: [{name: API_TOKEN, valueFrom: {secretKeyRef: {name: api-secrets, key: API_TOKEN}}}]\n', '  namespace: prod\n'),
      files: { 'deploy/api-secrets.env': 'API_TOKEN=Zq8xW2pL9vR4tY7u\n' },
    },
  },
  {
    name: 'a provider token in env (name ending _ID does not exempt it)',
    path,
    code: deployment('          env:\n            - name: AWS_ACCESS_KEY_ID\n              value: "@@aws-id@@"\n'),
    findings: [{ message: "AWS access key ID in env AWS_ACCESS_KEY_ID of container 'api'", range: [[12, 22], [12, 42]] }],
  },
  {
    name: 'kind: Secret with literal stringData and data (base64 decoded to judge it)',
    path,
    code: object('Secret', 'stringData:\n  username: app\n  password: Pg5ecretPw\ndata:\n  api-token: WnE4eFcycEw5dlI0dFk3dQ==\n  ca.crt: ""\n'),
    findings: [
      { message: "Hardcoded password in Secret 'app-config' key password", range: [[6, 12], [6, 22]] },
      { message: "Hardcoded token in Secret 'app-config' key api-token", range: [[8, 13], [8, 37]] },
    ],
  },
  {
    name: 'kind: Secret: a provider token is named by its kind',
    path,
    code: object('Secret', 'type: Opaque\nstringData:\n  config: "registry=https://npm.example.com token=@@npm@@"\n'),
    findings: [{ message: "npm token in Secret 'app-config' key config", range: [[6, 50], [6, 90]] }],
  },
  {
    name: 'kind: Secret: a private key in a block scalar; a certificate is not a secret',
    path,
    code: object('Secret', `type: kubernetes.io/tls\nstringData:\n  tls.crt: |\n    -----BEGIN CERTIFICATE-----\n    MIIBszCCAVmgAwIBAgIUBulkheadFakeCertificate0123456789\n    -----END CERTIFICATE-----\n  tls.key: |\n    ${FAKE['private-key'].replace(/\n/g, '\n    ')}\n`),
    findings: [{ message: "Private key in Secret 'app-config' key tls.key", range: [[11, 4], [14, 33]] }],
  },
  {
    name: 'ConfigMap data: a single value by its name, a properties file by its keys',
    path,
    code: object('ConfigMap', 'data:\n  LOG_LEVEL: info\n  SMTP_PASSWORD: m4ilPassw0rd\n  application.properties: |\n    spring.datasource.url=jdbc:postgresql://db/app\n    spring.datasource.password=Pg5ecretPw\n'),
    findings: [
      { message: "Hardcoded password in ConfigMap 'app-config' key SMTP_PASSWORD", range: [[6, 17], [6, 29]] },
      { message: "Hardcoded password in ConfigMap 'app-config' key application.properties (spring.datasource.password)", range: [[9, 31], [9, 41]] },
    ],
  },
  {
    name: 'annotations: a token by format, a password inside last-applied-configuration JSON',
    path,
    code: deployment('          image: example/api:1.0\n'.slice(0, 0), '  annotations:\n    example.com/deploy-token: "@@gitlab@@"\n    kubectl.kubernetes.io/last-applied-configuration: \'{"stringData":{"password":"Adm1nPw55"}}\'\n'),
    findings: [
      { message: 'GitLab token in annotation example.com/deploy-token', range: [[5, 31], [5, 57]] },
      { message: 'Hardcoded password in annotation kubectl.kubernetes.io/last-applied-configuration (password)', range: [[6, 82], [6, 91]] },
    ],
  },
  {
    name: 'args and command: a flag value, and curl -u inside sh -c',
    path,
    code: deployment('          command: ["sh", "-c", "curl -u admin:Adm1nPw7 https://cfg.example.com/app"]\n          args:\n            - --db-password\n            - hunter2x\n'),
    findings: [
      { message: "Password in command of container 'api' (curl -u)", range: [[10, 47], [10, 55]] },
      { message: "Hardcoded password in args of container 'api' (--db-password)", range: [[13, 14], [13, 22]] },
    ],
  },
  {
    name: 'an Authorization header of an HTTP probe',
    path,
    code: deployment('          livenessProbe:\n            httpGet:\n              path: /health\n              port: 8080\n              httpHeaders:\n                - name: Authorization\n                  value: Bearer 9b2f6c1de0a84f7c\n'),
    findings: [{ message: "Token in an Authorization header in livenessProbe of container 'api'", range: [[16, 32], [16, 48]] }],
  },

  // ---- what does not
  { name: 'valueFrom / secretKeyRef', path, code: deployment('          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password\n') },
  { name: '$(VAR) (Kubernetes dependent variables)', path, code: deployment('          env:\n            - name: DB_PASSWORD\n              value: $(POSTGRES_PASSWORD)\n          args: ["--password", "$(DB_PASSWORD)"]\n') },
  { name: '{{ .Values.x }}', path, code: deployment('          env:\n            - name: API_TOKEN\n              value: "{{ .Values.apiToken }}"\n') },
  { name: 'a SOPS-encrypted Secret', path, code: object('Secret', 'stringData:\n  password: ENC[AES256_GCM,data:Zm9vYmFy,iv:abc=,tag:def=,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:abc,type:str]\n  version: 3.9.0\n') },
  { name: 'a SealedSecret', path, code: 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq0Bulkhead0Fake0Sealed0Data0123456789\n' },
  { name: 'Secret keys that are settings, empty values, placeholders', path, code: object('Secret', 'stringData:\n  username: app\n  host: db.internal\n  database: app\n  password: ""\n  token: <token>\n') },
  { name: 'an annotation naming a Secret object', path, code: object('Ingress', '  annotations:\n    nginx.ingress.kubernetes.io/auth-secret: basic-auth\n'.replace(/^/, '')).replace('name: app-config\n', 'name: app-config\n') },
  { name: 'ConfigMap settings', path, code: object('ConfigMap', 'data:\n  LOG_LEVEL: info\n  TOKEN_TTL: "3600"\n  PASSWORD_MIN_LENGTH: "12"\n') },

  // ---- suppression
  { name: 'bulkhead.dev/ignore annotation', path, code: deployment('          env:\n            - name: DB_PASSWORD\n              value: hunter2\n', '  annotations:\n    bulkhead.dev/ignore: no-hardcoded-secrets\n') },
  { name: '# gitleaks:allow', path, code: deployment('          env:\n            - name: DB_PASSWORD\n              value: hunter2 # gitleaks:allow\n') },
]);
