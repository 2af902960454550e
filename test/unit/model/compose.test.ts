/**
 * The Compose model: services with anchors and merges resolved, `x-` fields ignored,
 * environment, ports, build facts, and a service's user from its Dockerfile (cross-file).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig } from '../../../server/src/core/config';
import { applyEdits, type AnalysisResult, type WorkspaceView } from '../../../server/src/core/engine';
import type { ContainerSpec } from '../../../server/src/core/model/container';
import { buildComposeModel, type ComposeModel } from '../../../server/src/core/model/fromCompose';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex, type Span } from '../../../server/src/core/text';
import { engine } from '../../../server/src/rules';

function model(text: string): ComposeModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildComposeModel({ text, index: new TextIndex(text) }, docs, { nonRootImages: [], target: 'compose' });
}

function service(text: string, name: string): ContainerSpec {
  const c = model(text).containers.find((x) => x.name === name);
  assert.ok(c, `no service ${name}`);
  return c;
}

const slice = (text: string, s: Span | null | undefined) => (s ? text.slice(s.start, s.end) : null);

/** The text after the service's user setter, or null when it refuses. */
function setUser(text: string, name: string, uidGid = '10001:10001'): string | null {
  const r = service(text, name).setters.runAsUser(uidGid);
  return r ? applyEdits(text, r.edits!) : null;
}

type Row = [start: [number, number], end: [number, number], message: string];

function noRootUser(r: AnalysisResult): Row[] {
  return r.findings
    .filter((f) => f.rule === 'no-root-user')
    .map((f) => {
      const { start, end } = r.index.rangeOf(f);
      return [[start.line, start.character], [end.line, end.character], f.message];
    });
}

/** A workspace of in-memory files that records what was read. */
function workspace(files: Record<string, string>): WorkspaceView & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read(p) {
      reads.push(p);
      return files[p];
    },
  };
}

function analyze(text: string, ws?: WorkspaceView): AnalysisResult {
  return engine.analyze({ text, path: 'compose.yaml', workspace: ws }, mergeConfig());
}

describe('Compose model: services', () => {
  test('services are the maps under services:, in order; x- fields are not services', () => {
    const text = 'x-common: &common\n  image: app:1\nversion: "3.8"\nservices:\n  web:\n    image: nginx:1\n    x-note: not a field\n  db:\n    image: postgres:16\nvolumes:\n  data: {}\n';
    const m = model(text);
    assert.deepEqual(
      m.services.map((s) => s.name),
      ['web', 'db'],
    );
    const web = m.containers[0];
    assert.equal(web.platform, 'compose');
    assert.deepEqual(slice(text, web.anchor), 'web');
    assert.deepEqual(web.image && [web.image.ref, slice(text, web.image.span)], ['nginx:1', 'nginx:1']);
    assert.equal(web.builds, false);
    assert.equal(web.windows, false);
    assert.equal(web.partial, false);
  });

  test('a file without services: (or with a list there) has no services', () => {
    assert.deepEqual(model('x-a: 1\nvolumes: {}\n').services, []);
    assert.deepEqual(model('services:\n  - web\n').services, []);
  });

  test('a service that is not a map (null, alias to a scalar) is skipped', () => {
    assert.deepEqual(
      model('services:\n  a:\n  b: 5\n  c:\n    image: x\n').services.map((s) => s.name),
      ['c'],
    );
  });

  test('flow-style services', () => {
    const text = 'services: {web: {image: nginx, user: "1000"}}\n';
    const c = service(text, 'web');
    assert.deepEqual([c.user.state, c.user.value, slice(text, c.user.span)], ['nonroot', '1000', '"1000"']);
  });

  test('image references with a default are resolved; the raw text is kept', () => {
    const c = service('services:\n  web:\n    image: ${REG:-docker.io}/app:${TAG:-1.2}\n', 'web');
    assert.deepEqual(c.image && [c.image.ref, c.image.raw], ['docker.io/app:1.2', '${REG:-docker.io}/app:${TAG:-1.2}']);
  });
});

describe('Compose model: anchors and merge keys', () => {
  const text =
    'x-base: &base\n  image: app:1\n  user: root\n  environment:\n    A: "1"\nservices:\n  web:\n    <<: *base\n  api:\n    <<: *base\n    user: "1000"\n  worker:\n    <<: [*base]\n    build: .\n';

  test('merged fields resolve to the service', () => {
    const web = service(text, 'web');
    assert.deepEqual(web.image && [web.image.ref, slice(text, web.image.span)], ['app:1', 'app:1']);
    assert.deepEqual(
      web.env.map((e) => [e.name, e.value, e.shared]),
      [['A', '1', true]],
    );
  });

  test("a merged root user is reported on the service key, marked as coming from an anchor", () => {
    const web = service(text, 'web');
    assert.deepEqual(
      { state: web.user.state, detail: web.user.detail, value: web.user.value, from: web.user.fromName, at: slice(text, web.user.span) },
      { state: 'root', detail: 'inherited', value: 'root', from: 'a merged anchor', at: 'web' },
    );
  });

  test("the service's own key wins over the merged one", () => {
    const api = service(text, 'api');
    assert.deepEqual([api.user.state, api.user.detail, api.user.value], ['nonroot', 'explicit', '1000']);
  });

  test('a merge list (<<: [*a]) and build: in the service', () => {
    const worker = service(text, 'worker');
    assert.equal(worker.user.state, 'root');
    assert.equal(worker.builds, true);
  });

  test('earlier merge sources win over later ones', () => {
    const t = 'x-a: &a {user: "1000"}\nx-b: &b {user: root}\nservices:\n  one:\n    <<: [*a, *b]\n    image: x\n  two:\n    <<: [*b, *a]\n    image: x\n';
    assert.equal(service(t, 'one').user.state, 'nonroot');
    assert.equal(service(t, 'two').user.state, 'root');
  });

  test('the fix inserts user: into the service, never into the anchor', () => {
    assert.equal(
      setUser(text, 'web'),
      'x-base: &base\n  image: app:1\n  user: root\n  environment:\n    A: "1"\nservices:\n  web:\n    <<: *base\n    user: "10001:10001"\n  api:\n    <<: *base\n    user: "1000"\n  worker:\n    <<: [*base]\n    build: .\n',
    );
  });

  test('a service that is itself an alias, or carries an anchor, gets no user edit', () => {
    const t = 'services:\n  web: &w\n    image: app\n  api: *w\n';
    assert.equal(setUser(t, 'web'), null);
    assert.equal(setUser(t, 'api'), null);
  });
});

describe('Compose model: environment', () => {
  const text =
    'services:\n  web:\n    image: a\n    environment:\n      - FOO=bar\n      - "QUOTED=x y"\n      - \'SINGLE=z\'\n      - BARE\n      - EMPTY=\n      - URL=http://h/?a=b\n  api:\n    image: a\n    environment:\n      KEY: value\n      NUM: 5\n      NULLV:\n      Q: "quoted"\n';

  test('list form: names, values and value spans (inside quotes)', () => {
    const web = service(text, 'web');
    assert.deepEqual(
      web.env.map((e) => [e.name, e.value, slice(text, e.nameSpan), slice(text, e.valueSpan), e.shared]),
      [
        ['FOO', 'bar', 'FOO', 'bar', false],
        ['QUOTED', 'x y', 'QUOTED', 'x y', false],
        ['SINGLE', 'z', 'SINGLE', 'z', false],
        ['BARE', null, 'BARE', null, false],
        ['EMPTY', '', 'EMPTY', '', false],
        ['URL', 'http://h/?a=b', 'URL', 'http://h/?a=b', false],
      ],
    );
  });

  test('map form: names, values and value spans (the value node)', () => {
    const api = service(text, 'api');
    assert.deepEqual(
      api.env.map((e) => [e.name, e.value, slice(text, e.nameSpan), slice(text, e.valueSpan)]),
      [
        ['KEY', 'value', 'KEY', 'value'],
        ['NUM', '5', 'NUM', '5'],
        ['NULLV', null, 'NULLV', null],
        ['Q', 'quoted', 'Q', '"quoted"'],
      ],
    );
  });

  test('an environment map that is an alias, or merges one, is shared', () => {
    const t = 'x-env: &env\n  A: "1"\nservices:\n  web:\n    image: a\n    environment: *env\n  api:\n    image: a\n    environment:\n      <<: *env\n      B: two\n';
    assert.deepEqual(
      service(t, 'web').env.map((e) => [e.name, e.shared]),
      [['A', true]],
    );
    assert.deepEqual(
      service(t, 'api').env.map((e) => [e.name, e.value, e.shared]),
      [
        ['B', 'two', false],
        ['A', '1', true],
      ],
    );
  });

  test(
    'a double-quoted list item with an escape: the value span covers the value as written',
    () => {
      const t = 'services:\n  web:\n    image: a\n    environment:\n      - "ESC=a\\"b"\n';
      const [e] = service(t, 'web').env;
      assert.deepEqual([e.name, e.value, slice(t, e.nameSpan), slice(t, e.valueSpan)], ['ESC', 'a"b', 'ESC', 'a\\"b']);
    },
  );
});

describe('Compose model: ports and expose', () => {
  const text =
    'services:\n  web:\n    image: a\n    ports:\n      - "8080:80"\n      - 127.0.0.1:9000:9001/udp\n      - 3000\n      - "7000-7005:8000-8005"\n      - target: 443\n        published: 8443\n        protocol: udp\n      - ${P}:${Q}\n    expose:\n      - "22"\n      - 5000/tcp\n';

  test('short and long syntax, ranges, protocols, variables; spans cover the container port', () => {
    const web = service(text, 'web');
    assert.deepEqual(
      web.ports.map((p) => [p.port, p.portEnd, p.protocol, p.source, slice(text, p.span)]),
      [
        [80, 80, 'tcp', 'ports', '80'],
        [9001, 9001, 'udp', 'ports', '9001'],
        [3000, 3000, 'tcp', 'ports', '3000'],
        [8000, 8005, 'tcp', 'ports', '8000-8005'],
        [443, 443, 'udp', 'ports', '443'],
        [null, null, 'tcp', 'ports', '${Q}'],
        [22, 22, 'tcp', 'expose', '22'],
        [5000, 5000, 'tcp', 'expose', '5000'],
      ],
    );
  });

  test('no ports: empty', () => {
    assert.deepEqual(service('services:\n  web:\n    image: a\n', 'web').ports, []);
  });
});

describe('Compose model: build', () => {
  test('build as a string, a map, dockerfile_inline, or absent', () => {
    const text =
      'services:\n  s:\n    build: ./dir\n  m:\n    build:\n      context: ./api\n      dockerfile: Dockerfile.prod\n  inline:\n    build:\n      dockerfile_inline: |\n        FROM x\n  img:\n    image: x\n  both:\n    build: .\n    image: registry/app:1\n';
    const m = model(text);
    assert.deepEqual(
      m.containers.map((c) => [c.name, c.builds, c.image?.ref ?? null]),
      [
        ['s', true, null],
        ['m', true, null],
        ['inline', true, null],
        ['img', false, 'x'],
        ['both', true, 'registry/app:1'],
      ],
    );
  });

  test('the user fix is not known safe without the Dockerfile, nor for an image that steps down or is unknown', () => {
    const text = 'services:\n  b:\n    build: .\n  i:\n    image: postgres:16\n  u:\n    image: example/app:1\n';
    const b = service(text, 'b').setters.runAsUser('10001:10001');
    const i = service(text, 'i').setters.runAsUser('10001:10001');
    const u = service(text, 'u').setters.runAsUser('10001:10001');
    assert.deepEqual([b?.safe, b?.caveat], [false, 'its Dockerfile was not checked']);
    assert.deepEqual([i?.safe, i?.caveat], [false, 'postgres <= 17 starts as root and switches to postgres itself']);
    assert.deepEqual([u?.safe, u?.caveat], [false, 'the image may need to start as root']);
  });
});

describe("Compose model: a service's user from its Dockerfile (workspace)", () => {
  const BUILD = 'services:\n  web:\n    build: .\n';
  const NO_USER = "Service 'web' sets no user, so it runs as root unless its image sets one";

  test('build: . with a Dockerfile that has USER 1000: no finding', () => {
    const ws = workspace({ Dockerfile: 'FROM node:20\nUSER 1000\nCMD ["node"]\n' });
    assert.deepEqual(noRootUser(analyze(BUILD, ws)), []);
    assert.ok(ws.reads.includes('Dockerfile'), JSON.stringify(ws.reads));
  });

  test('build: . with USER root: a finding on the service saying its Dockerfile runs as root', () => {
    const ws = workspace({ Dockerfile: 'FROM node:20\nUSER root\n' });
    assert.deepEqual(noRootUser(analyze(BUILD, ws)), [[[1, 2], [1, 5], "Service 'web' runs as root: its Dockerfile (Dockerfile) runs as root"]]);
  });

  test('build: . with a Dockerfile that sets no USER: the message names the Dockerfile and its base image', () => {
    const ws = workspace({ Dockerfile: 'FROM node:20\nCMD ["node"]\n' });
    assert.deepEqual(noRootUser(analyze(BUILD, ws)), [
      [[1, 2], [1, 5], "Service 'web' sets no user and its Dockerfile (Dockerfile) sets no USER, so it runs as root unless the base image 'node:20' sets one (unknown offline)"],
    ]);
  });

  test('the user fix follows the Dockerfile: preferred only when its base runs as any uid and nothing switches user', () => {
    const fixOf = (files: Record<string, string>) => {
      const f = analyze(BUILD, workspace(files)).findings.find((x) => x.rule === 'no-root-user');
      return f && [f.severity, f.message, f.fixes.map((x) => [x.title, x.preferred])];
    };
    assert.deepEqual(fixOf({ Dockerfile: 'FROM node:20\nCMD ["node"]\n' }), [
      'warning',
      "Service 'web' sets no user and its Dockerfile (Dockerfile) sets no USER, so it runs as root unless the base image 'node:20' sets one (unknown offline)",
      [['Set user: "10001:10001"', true]],
    ]);
    assert.deepEqual(fixOf({ Dockerfile: 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n' }), [
      'info',
      "Service 'web' starts as root: its Dockerfile (Dockerfile) builds on 'nginx:1.27', which switches to user nginx by itself",
      [['Set user: "10001:10001" (nginx starts as root and switches to nginx itself)', false]],
    ]);
    assert.deepEqual(fixOf({ Dockerfile: 'FROM node:20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n', 'entrypoint.sh': '#!/bin/sh\nchown -R node /data\nexec gosu node "$@"\n' }), [
      'info',
      "Service 'web' starts as root: the entrypoint of its Dockerfile (Dockerfile) switches user with gosu",
      [['Set user: "10001:10001" (its entrypoint entrypoint.sh switches user with gosu)', false]],
    ]);
    assert.deepEqual(fixOf({ Dockerfile: 'FROM node:20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n', 'entrypoint.sh': '#!/bin/sh\n# no gosu here: su is not used\nexec "$@"\n' })?.[2], [
      ['Set user: "10001:10001"', true],
    ]);
    assert.deepEqual(fixOf({ Dockerfile: 'FROM example/base:1\n' })?.[2], [['Set user: "10001:10001" (the base image \'example/base:1\' is not known to work as any uid)', false]]);
  });

  test('the build context is where an entrypoint script is read from', () => {
    const ws = workspace({ 'api/Dockerfile': 'FROM node:20\nCOPY ./docker/start.sh /start.sh\nCMD ["/start.sh"]\n', 'api/docker/start.sh': 'exec su-exec node node server.js\n' });
    const r = analyze('services:\n  web:\n    build: ./api\n', ws);
    assert.deepEqual(noRootUser(r), [[[1, 2], [1, 5], "Service 'web' starts as root: the entrypoint of its Dockerfile (api/Dockerfile) switches user with su-exec"]]);
    assert.deepEqual([...new Set(ws.reads)], ['api/Dockerfile', 'api/docker/start.sh']);
  });

  test("npm start that runs a development server (the build context's package.json): not preferred", () => {
    const ws = workspace({
      'web/Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
      'web/package.json': '{"scripts": {"start": "react-scripts start", "build": "react-scripts build"}}',
    });
    const f = analyze('services:\n  web:\n    build: ./web\n', ws).findings.find((x) => x.rule === 'no-root-user');
    assert.deepEqual(f?.fixes.map((x) => [x.title, x.preferred]), [
      ['Set user: "10001:10001" (\'npm start\' (react-scripts start) is a development server, which writes into the app\'s folder)', false],
    ]);
    const prod = workspace({ 'web/Dockerfile': 'FROM node:20-alpine\nCMD ["npm", "start"]\n', 'web/package.json': '{"scripts": {"start": "node server.js"}}' });
    assert.deepEqual(analyze('services:\n  web:\n    build: ./web\n', prod).findings.find((x) => x.rule === 'no-root-user')?.fixes.map((x) => x.preferred), [true]);
  });

  test('a Dockerfile FROM an image the table knows as non-root: no finding', () => {
    assert.deepEqual(noRootUser(analyze(BUILD, workspace({ Dockerfile: 'FROM grafana/grafana:11.2.0\nCOPY provisioning /etc/grafana/provisioning\n' }))), []);
  });

  test('a Dockerfile FROM a known non-root image: no finding', () => {
    assert.deepEqual(noRootUser(analyze(BUILD, workspace({ Dockerfile: 'FROM bitnami/node:18\n' }))), []);
  });

  test('build: {context: ./api, dockerfile: Dockerfile.prod} reads api/Dockerfile.prod', () => {
    const ws = workspace({ 'api/Dockerfile.prod': 'FROM node:20\nUSER root\n', Dockerfile: 'FROM node:20\nUSER 1000\n' });
    const text = 'services:\n  web:\n    build:\n      context: ./api\n      dockerfile: Dockerfile.prod\n';
    assert.deepEqual(noRootUser(analyze(text, ws)), [[[1, 2], [1, 5], "Service 'web' runs as root: its Dockerfile (api/Dockerfile.prod) runs as root"]]);
    assert.deepEqual([...new Set(ws.reads)], ['api/Dockerfile.prod']);
  });

  test('a context with a trailing slash and the default Dockerfile name', () => {
    const ws = workspace({ 'svc/Dockerfile': 'FROM node:20\nUSER 1000\n' });
    assert.deepEqual(noRootUser(analyze('services:\n  web:\n    build:\n      context: ./svc/\n', ws)), []);
    assert.deepEqual([...new Set(ws.reads)], ['svc/Dockerfile']);
  });

  test('remote and variable contexts are not read', () => {
    const ws = workspace({});
    const text = 'services:\n  web:\n    build: https://github.com/a/b.git#main\n  v:\n    build: ${CTX}\n';
    assert.deepEqual(
      noRootUser(analyze(text, ws)).map((r) => r[2]),
      [NO_USER, "Service 'v' sets no user, so it runs as root unless its image sets one"],
    );
    assert.deepEqual(ws.reads, []);
  });

  test('a Dockerfile missing from the workspace: the service-only message', () => {
    assert.deepEqual(noRootUser(analyze(BUILD, workspace({}))), [[[1, 2], [1, 5], NO_USER]]);
  });

  test("the service's own user: wins over its Dockerfile", () => {
    assert.deepEqual(noRootUser(analyze('services:\n  web:\n    build: .\n    user: "1000"\n', workspace({ Dockerfile: 'FROM node\nUSER root\n' }))), []);
    assert.deepEqual(noRootUser(analyze('services:\n  web:\n    build: .\n    user: root\n', workspace({ Dockerfile: 'FROM node\nUSER 1000\n' }))), [
      [[3, 10], [3, 14], "Service 'web' runs as root (user: root)"],
    ]);
  });

  test(
    'build.target selects the stage whose USER counts',
    () => {
      const ws = workspace({ Dockerfile: 'FROM node:20 AS dev\nUSER root\nFROM node:20\nUSER 1000\n' });
      const text = 'services:\n  web:\n    build:\n      context: .\n      target: dev\n';
      assert.deepEqual(noRootUser(analyze(text, ws)), [[[1, 2], [1, 5], "Service 'web' runs as root: its Dockerfile (Dockerfile) runs as root"]]);
    },
  );
});
