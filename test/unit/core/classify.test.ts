import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, classify, isComposeName, isDockerfileName, nameHint } from '../../../server/src/core/classify';

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n';
const COMPOSE_WITH_VERSION = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

test('basename: the text after the last / or \\', () => {
  const cases: [string, string][] = [['Dockerfile', 'Dockerfile'], ['a/b/compose.yaml', 'compose.yaml'], ['/abs/x.yml', 'x.yml'], ['C:\\src\\app\\Dockerfile.dev', 'Dockerfile.dev'], ['mixed\\dir/sub\\k.yaml', 'k.yaml'], ['dir/', ''], ['', ''], ['\\', '']];
  assert.deepEqual(cases.map(([p]) => basename(p)), cases.map(([, b]) => b));
});

describe('classify by name', () => {
  const dockerfiles = ['Dockerfile', 'Containerfile', 'Dockerfile.prod', 'api.dockerfile', 'x.Dockerfile', 'dockerfile', 'deploy/Dockerfile', 'C:\\src\\app\\Dockerfile.dev'];
  for (const name of dockerfiles) {
    test(`${name} is a Dockerfile, whatever its content`, () => {
      assert.equal(classify('FROM node:20\n', name), 'dockerfile');
      assert.equal(classify('', name), 'dockerfile');
      assert.equal(classify(COMPOSE, name), 'dockerfile');
    });
  }

  test('names that are not Dockerfiles', () => {
    for (const name of ['Dockerfile-old', 'mydockerfile', 'Dockerfiles', 'docker-compose.yml', 'README.md']) {
      assert.equal(isDockerfileName(name), false, name);
    }
  });

  test('name hints', () => {
    assert.equal(nameHint(undefined), 'none');
    assert.equal(nameHint('Dockerfile'), 'dockerfile');
    assert.equal(nameHint('compose.yaml'), 'yaml');
    assert.equal(nameHint('k8s/app.YML'), 'yaml');
    assert.equal(nameHint('pod.json'), 'json');
    assert.equal(nameHint('.bulkhead.yaml'), 'config');
    assert.equal(nameHint('sub/.bulkhead.yml'), 'config');
    assert.equal(nameHint('notes.txt'), 'none');
  });

  test('.bulkhead.yaml is unknown, even when it looks like Compose or Kubernetes', () => {
    assert.equal(classify('rules:\n  no-root-user: off\n', '.bulkhead.yaml'), 'unknown');
    assert.equal(classify(COMPOSE, '.bulkhead.yaml'), 'unknown');
    assert.equal(classify(POD, '.bulkhead.yml'), 'unknown');
    assert.equal(classify(COMPOSE, '.bulkhead.yaml', 'yaml'), 'unknown');
  });
});

describe('classify YAML by content', () => {
  test('Compose without version:', () => {
    assert.equal(classify(COMPOSE, 'docker-compose.yml'), 'compose');
    assert.equal(classify(COMPOSE, 'anything.yaml'), 'compose');
  });

  test('Compose with version:', () => {
    assert.equal(classify(COMPOSE_WITH_VERSION, 'compose.yaml'), 'compose');
  });

  test('Compose with a comment after services:', () => {
    assert.equal(classify('services: # the app\n  web:\n    image: x\n', 'compose.yaml'), 'compose');
  });

  test('Compose with a flow map', () => {
    assert.equal(classify('services: {web: {image: x}}\n', 'compose.yaml'), 'compose');
  });

  test('services: as a list or scalar is not Compose', () => {
    assert.equal(classify('services: []\n', 'x.yaml'), 'unknown');
    assert.equal(classify('services: none\n', 'x.yaml'), 'unknown');
  });

  test('services: followed by a block list is not Compose', () => {
    assert.equal(classify('services:\n  - web\n  - db\n', 'x.yaml'), 'unknown');
  });

  test('nested services: is not Compose', () => {
    assert.equal(classify('x:\n  services:\n    web: {}\n', 'x.yaml'), 'unknown');
  });

  test('a compose file named compose.yaml with nothing in it is unknown', () => {
    assert.equal(classify('', 'compose.yaml'), 'unknown');
    assert.equal(classify('# nothing yet\n', 'compose.yaml'), 'unknown');
  });

  test('Kubernetes by apiVersion and kind', () => {
    assert.equal(classify(POD, 'pod.yaml'), 'kubernetes');
  });

  test('Kubernetes in the second document of a multi-document file', () => {
    assert.equal(classify(`foo: bar\n---\n${POD}`, 'all.yaml'), 'kubernetes');
    assert.equal(classify(`${COMPOSE}---\napiVersion: apps/v1\nkind: Deployment\n`, 'all.yml'), 'kubernetes');
  });

  test('apiVersion and kind in different documents is not Kubernetes', () => {
    assert.equal(classify('apiVersion: v1\n---\nkind: Pod\n', 'x.yaml'), 'unknown');
  });

  test('nested apiVersion/kind is not Kubernetes', () => {
    assert.equal(classify('spec:\n  apiVersion: v1\n  kind: Pod\n', 'x.yaml'), 'unknown');
  });

  test('plain YAML is unknown', () => {
    assert.equal(classify('foo: 1\nbar: [a, b]\n', 'config.yaml'), 'unknown');
  });
});

describe('classify JSON manifests', () => {
  test('Kubernetes JSON', () => {
    assert.equal(classify('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}', 'pod.json'), 'kubernetes');
  });

  test('Compose JSON', () => {
    assert.equal(classify('{"services": {"web": {"image": "nginx"}}}', 'compose.json'), 'compose');
  });

  test('other JSON is unknown', () => {
    assert.equal(classify('{"name": "app", "version": "1.0.0"}', 'package.json'), 'unknown');
  });

  test('JSON without a name is sniffed', () => {
    assert.equal(classify('{"apiVersion": "v1", "kind": "Pod"}'), 'kubernetes');
  });

  test('language id json', () => {
    assert.equal(classify('{"apiVersion": "v1", "kind": "Pod"}', undefined, 'json'), 'kubernetes');
  });
});

describe('classify by language id', () => {
  test('dockerfile', () => {
    assert.equal(classify('FROM node:20\n', 'untitled-1', 'dockerfile'), 'dockerfile');
    assert.equal(classify('', undefined, 'dockerfile'), 'dockerfile');
  });

  test('dockercompose (VS Code)', () => {
    assert.equal(classify(COMPOSE, undefined, 'dockercompose'), 'compose');
  });

  test('yaml.docker-compose (Neovim)', () => {
    assert.equal(classify(COMPOSE, undefined, 'yaml.docker-compose'), 'compose');
  });

  test('yaml with Kubernetes content', () => {
    assert.equal(classify(POD, 'untitled-2', 'yaml'), 'kubernetes');
  });

  test('language ids are case-insensitive', () => {
    assert.equal(classify('FROM node:20\n', undefined, 'Dockerfile'), 'dockerfile');
  });

  test('no name and no language id: sniffed', () => {
    assert.equal(classify('FROM node:20\n'), 'dockerfile');
    assert.equal(classify('# syntax=docker/dockerfile:1\nARG V=20\nFROM node:${V}\n'), 'dockerfile');
    assert.equal(classify(COMPOSE), 'compose');
    assert.equal(classify(POD), 'kubernetes');
    assert.equal(classify('hello world\n'), 'unknown');
    assert.equal(classify(''), 'unknown');
  });
});

describe('legacy v1 Compose (CONTRACT.md: a Compose file name and every top-level value a v1 service map)', () => {
  const V1 = 'web:\n  image: nginx:1.27\n  net: host\n  links: [db]\ndb:\n  build: ./db\n  mem_limit: 512m\n';

  test('Compose file names', () => {
    const yes = ['docker-compose.yml', 'docker-compose.yaml', 'docker-compose.prod.yml', 'compose.yaml', 'compose.override.yml', 'app.compose.yaml', 'deploy/Docker-Compose.YML', 'C:\\src\\compose.yml'];
    const no = ['values.yaml', '.gitlab-ci.yml', 'my-compose.yml', 'compose.json', 'docker-compose.yml.bak', 'compose', 'stack.yml', undefined];
    for (const n of yes) assert.equal(isComposeName(n), true, n);
    for (const n of no) assert.equal(isComposeName(n), false, String(n));
  });

  const table: [name: string, text: string, path: string | undefined, kind: string][] = [
    ['v1 services under a Compose name', V1, 'docker-compose.yml', 'compose'],
    ['v1 with build only, anchors and merges', 'x: &x\n  image: a\nweb:\n  <<: *x\n  ports: ["80:80"]\n', 'compose.yaml', 'compose'],
    ['the same text under another name', V1, 'app.yaml', 'unknown'],
    ['the same text without a name', V1, undefined, 'unknown'],
    ['.gitlab-ci.yml jobs (image: + script:)', 'build:\n  image: node:20\n  script:\n    - npm ci\n', '.gitlab-ci.yml', 'unknown'],
    ['GitLab jobs even under a Compose name (script is not a v1 key)', 'build:\n  image: node:20\n  script:\n    - npm ci\n', 'docker-compose.yml', 'unknown'],
    ['Helm values (image is a map, other top-level scalars)', 'replicaCount: 1\nimage:\n  repository: nginx\n  tag: "1.27"\n', 'values.yaml', 'unknown'],
    ['Helm-like values under a Compose name', 'app:\n  image: nginx\nreplicaCount: 1\n', 'compose.yaml', 'unknown'],
    ['a top-level map without image: or build:', 'web:\n  image: nginx\ncache:\n  ports: ["6379"]\n', 'docker-compose.yml', 'unknown'],
    ['a key v1 does not know (deploy)', 'web:\n  image: nginx\n  deploy: {replicas: 2}\n', 'docker-compose.yml', 'unknown'],
    ['version: with top-level services-like maps is not v1', 'version: "2"\nweb:\n  image: nginx\n', 'docker-compose.yml', 'unknown'],
    ['a list at the top', '- image: nginx\n', 'docker-compose.yml', 'unknown'],
    ['broken YAML', 'web:\n  image: [nginx\n', 'docker-compose.yml', 'unknown'],
    ['two documents', 'web:\n  image: a\n---\ndb:\n  image: b\n', 'docker-compose.yml', 'unknown'],
  ];
  for (const [name, text, path, kind] of table) {
    test(name, () => assert.equal(classify(text, path), kind));
  }

  test('a language id does not make a v1 file out of any name', () => {
    assert.equal(classify(V1, 'docker-compose.yml', 'dockercompose'), 'compose');
    assert.equal(classify(V1, 'untitled-1', 'dockercompose'), 'unknown');
  });
});
