// The detectors of server/src/secrets on their own: every provider format has a source and
// finds its fake with a range that covers the token only; names and values classify as the
// rules need. Failures name cases, never values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROVIDER_PATTERNS, isNonSecretShape, isPlaceholder, literalRegion, nameHit, secretName, strongHits } from '../../../server/src/secrets';
import { FAKE } from './fakes';

describe('provider patterns', () => {
  test('every pattern is global, has keywords and names its source', () => {
    for (const p of PROVIDER_PATTERNS) {
      assert.ok(p.regex.global, p.id);
      assert.ok(p.keywords.length > 0 && p.keywords.every((k) => k === k.toLowerCase()), p.id);
      assert.ok(p.source.length > 10, p.id);
    }
  });
  const expected: [string, string][] = [
    ['github', 'GitHub token'], ['github-fine', 'GitHub token'], ['gitlab', 'GitLab token'], ['slack', 'Slack token'],
    ['slack-webhook', 'Slack webhook URL'], ['stripe', 'Stripe secret key'], ['npm', 'npm token'], ['pypi', 'PyPI token'],
    ['openai', 'OpenAI API key'], ['anthropic', 'Anthropic API key'], ['google', 'Google API key'], ['aws-id', 'AWS access key ID'],
    ['jwt', 'JWT'], ['sendgrid', 'SendGrid API key'], ['dockerhub', 'Docker Hub access token'], ['vault', 'Vault token'],
    ['private-key', 'Private key'], ['private-key-line', 'SSH private key'],
  ];
  for (const [fake, kind] of expected) {
    test(`${fake}: found in a sentence, range = the token`, () => {
      const text = `before ${FAKE[fake]} after`;
      const hits = strongHits(text);
      assert.deepEqual(hits.map((h) => [h.kind, h.start, h.end]), [[kind, 7, 7 + FAKE[fake].length]]);
    });
  }
  test('AWS secret access key needs its name', () => {
    assert.deepEqual(strongHits(`x ${FAKE['aws-secret']} y`), []);
    assert.deepEqual(strongHits(`aws_secret_access_key = ${FAKE['aws-secret']}`).map((h) => h.kind), ['AWS secret access key']);
  });
  test('documentation examples and repeated bodies are placeholders', () => {
    assert.deepEqual(strongHits('AKIAIOSFODNN7EXAMPLE ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'), []);
  });
});

describe('names', () => {
  const yes = ['DB_PASSWORD', 'dbPassword', 'spring.datasource.password', '_authToken', 'PGPASSWORD', 'API_KEY', 'OPENAI_API_KEY', 'SECRET_KEY_BASE', 'client-secret', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'requirepass', 'DB_PASSWORD_PROD'];
  const no = ['DB_PASSWORD_FILE', 'TLS_KEY_PATH', 'TOKEN_URL', 'API_KEY_ID', 'SECRET_NAME', 'DB_USER', 'PASSWORD_LENGTH', 'TOKEN_TTL', 'SECRET_VERSION', 'JWT_PUBLIC_KEY', 'GPG_KEY', 'MAX_TOKENS', 'TOKENIZER', 'BYPASS_CACHE', 'NODE_VERSION'];
  for (const n of yes) test(`${n} looks like a secret`, () => assert.equal(secretName(n)?.strength, 'strong'));
  for (const n of no) test(`${n} does not`, () => assert.equal(secretName(n)?.strength === 'strong', false));
  test('a bare KEY needs a generated-looking value', () => {
    assert.equal(nameHit('CACHE_KEY', 'user-sessions'), null);
    assert.ok(nameHit('CACHE_KEY', 'q8Zx2Lp9Vr4Ty7Uw1'));
  });
});

describe('values', () => {
  test('references', () => {
    for (const v of ['$X', '${X}', '${X:-<x>}', '$(X)', '{{ .Values.x }}', '${{ secrets.X }}', 'ENC[AES256_GCM,data:x,type:str]', '$A:$B', 'Bearer ${T}']) {
      const r = literalRegion(v);
      assert.ok(r === null || isPlaceholder(v.slice(r.start, r.end)), v);
    }
    assert.deepEqual(literalRegion('${X:-s3cretDefault}'), { start: 5, end: 18 });
    assert.deepEqual(literalRegion('abc$def'), { start: 0, end: 7 });
  });
  test('placeholders', () => {
    for (const v of ['xxx', '<password>', 'your-token-here', '********', 'aaaaaaaa', '']) assert.ok(isPlaceholder(v), v);
    for (const v of ['hunter2', 'Pg5ecretPw', 'correct horse battery']) assert.ok(!isPlaceholder(v), v);
  });
  test('shapes that are not the secret', () => {
    for (const v of ['true', '/run/secrets/x', 'https://auth.example.com/token', 'sha256:0123456789abcdef0123', 'arn:aws:secretsmanager:eu-west-1:1:secret:x', 'admin:$apr1$H6uskkkW$IgXLP6ew']) assert.ok(isNonSecretShape(v), v);
    assert.ok(!isNonSecretShape('postgres://u:p@h/db'));
  });
});
