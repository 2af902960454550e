/**
 * What editors actually send: odd language ids, none at all, untitled documents, binary
 * junk, CRLF and a BOM. The server must answer all of them and keep answering.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { FIX_TITLE, range, ROOT_DOCKERFILE, summary, TempWorkspace, serverPerSuite } from './workspace';

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    user: root\n';

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function junk(size: number, seed = 0x9e3779b9): string {
  const bytes = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes.toString('latin1');
}

describe('language ids and names', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pushCapabilities() }));

  for (const [name, languageId] of [
    ['plain/Dockerfile', 'plaintext'],
    ['empty-id/Dockerfile', ''],
    ['named/api.Dockerfile', 'plaintext'],
    ['named/Containerfile', 'containerfile'],
  ]) {
    test(`${name} with languageId '${languageId}' gets diagnostics`, async () => {
      const uri = ws.uri(name);
      await client.open(uri, ROOT_DOCKERFILE, languageId);
      const p = await client.waitForVersion(uri, (d) => d.length > 0, 'the no-root-user finding');
      assert.deepEqual(summary(p.diagnostics), [{ code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) }]);
    });
  }

  test('an untitled document with languageId dockerfile gets diagnostics', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, ROOT_DOCKERFILE, 'dockerfile');
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    assert.deepEqual(summary(p.diagnostics), [{ code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) }]);
  });

  test('an untitled document with no language id is recognised by its content', async () => {
    const uri = 'untitled:Untitled-2';
    await client.open(uri, ROOT_DOCKERFILE, '');
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    assert.equal(p.diagnostics[0].code, 'no-root-user');
  });

  for (const [name, languageId] of [
    ['compose-a/compose.yaml', 'dockercompose'],
    ['compose-b/docker-compose.yml', 'yaml.docker-compose'],
    ['compose-c/compose.yaml', 'yaml'],
  ]) {
    test(`${name} with languageId '${languageId}' is answered with a publish`, async () => {
      const uri = ws.uri(name);
      await client.open(uri, COMPOSE, languageId);
      const p = await client.waitForVersion(uri, () => true, 'a publish, even an empty one');
      for (const d of p.diagnostics) {
        assert.equal(d.source, 'bulkhead');
        assert.notEqual(d.code, 'invalid-yaml', JSON.stringify(d));
      }
      assert.equal(client.serverExited, null);
    });
  }

  test('a YAML file that is neither compose nor kubernetes gets an empty publish', async () => {
    const uri = ws.uri('other/values.yaml');
    await client.open(uri, 'replicas: 3\nimage: nginx\n', 'yaml');
    const p = await client.waitForVersion(uri);
    assert.deepEqual(p.diagnostics, []);
  });
});

describe('robustness', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pushCapabilities() }));

  test('NUL bytes and 200 KB of random bytes: one invalid-dockerfile, and the server keeps answering', async () => {
    const uri = ws.uri('binary/Dockerfile');
    const text = `FROM node:20\n\0\0${junk(200 * 1024)}\nUSER root\n`;
    await client.open(uri, text, 'dockerfile');
    const p = await client.waitForVersion(uri, (d) => d.length > 0, 'invalid-dockerfile');
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.severity]),
      [['invalid-dockerfile', 1]],
    );
    // An edit inside the junk is still handled.
    await client.changeRange(uri, range(0, 0, 0, 0), '# x\n');
    const again = await client.waitForVersion(uri);
    assert.deepEqual(
      again.diagnostics.map((d) => d.code),
      ['invalid-dockerfile'],
    );
    assert.deepEqual(await client.codeActions(uri, [], ['source.fixAll.bulkhead']), []);

    const normal = ws.uri('after-binary/Dockerfile');
    await client.open(normal, ROOT_DOCKERFILE);
    const n = await client.waitForVersion(normal, (d) => d.length > 0);
    assert.equal(n.diagnostics[0].code, 'no-root-user');
    assert.equal(client.serverExited, null);
  });

  test('random bytes without a NUL are answered too', async () => {
    const uri = ws.uri('junk/Dockerfile');
    await client.open(uri, junk(200 * 1024, 12345).replace(/\0/g, ' '), 'dockerfile');
    const p = await client.waitForVersion(uri, () => true, 'any publish');
    for (const d of p.diagnostics) assert.equal(d.source, 'bulkhead');
    const normal = ws.uri('after-junk/Dockerfile');
    await client.open(normal, ROOT_DOCKERFILE);
    await client.waitForVersion(normal, (d) => d.length > 0);
  });

  test('CRLF: the range is right and every edit keeps \\r\\n', async () => {
    const uri = ws.uri('crlf/Dockerfile');
    const text = 'FROM node:20\r\nUSER root\r\n';
    await client.open(uri, text);
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    assert.deepEqual(summary(p.diagnostics), [{ code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) }]);
    const actions = await client.codeActions(uri, p.diagnostics, ['quickfix']);
    assert.equal(actions[0].title, FIX_TITLE);
    assert.deepEqual(actions.filter((a) => !a.edit).map((a) => a.title), ['Show documentation for no-root-user']);
    assert.deepEqual(
      actions.filter((a) => a.edit).map((a) => applyToDocument(a.edit, uri, text)),
      ['FROM node:20\r\nUSER 10001:10001\r\n', 'FROM node:20\r\n# bulkhead-ignore no-root-user\r\nUSER root\r\n', '# bulkhead-ignore-file no-root-user\r\nFROM node:20\r\nUSER root\r\n'],
    );
    const [all] = await client.codeActions(uri, p.diagnostics, ['source.fixAll.bulkhead']);
    assert.equal(applyToDocument(all.edit, uri, text), 'FROM node:20\r\nUSER 10001:10001\r\n');
  });

  test('BOM: positions on line 1 are unaffected and the BOM stays first', async () => {
    const uri = ws.uri('bom/Dockerfile');
    const text = '\uFEFFFROM node:20\nUSER root\n';
    await client.open(uri, text);
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    assert.deepEqual(summary(p.diagnostics), [{ code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) }]);
    const actions = await client.codeActions(uri, p.diagnostics, ['quickfix']);
    assert.deepEqual(
      actions.filter((a) => a.edit).map((a) => applyToDocument(a.edit, uri, text)),
      ['\uFEFFFROM node:20\nUSER 10001:10001\n', '\uFEFFFROM node:20\n# bulkhead-ignore no-root-user\nUSER root\n', '\uFEFF# bulkhead-ignore-file no-root-user\nFROM node:20\nUSER root\n'],
    );
    const [all] = await client.codeActions(uri, p.diagnostics, ['source.fixAll.bulkhead']);
    assert.equal(applyToDocument(all.edit, uri, text), '\uFEFFFROM node:20\nUSER 10001:10001\n');
  });
});
