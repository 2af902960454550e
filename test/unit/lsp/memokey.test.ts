/**
 * A Dockerfile that was opened and not typed into is analysed without the engine's
 * per-document memo (lsp/index.ts `openedAt`): many opened documents are never edited.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memoKey } from '../../../server/src/lsp/index';

const DOCKERFILE = 'file:///w/app/Dockerfile';
const COMPOSE = 'file:///w/app/compose.yaml';

describe('memoKey', () => {
  test('a Dockerfile at its opened version has none; after an edit it is its URI', () => {
    assert.equal(memoKey({ uri: DOCKERFILE, languageId: 'dockerfile', version: 1 }, 1), undefined);
    assert.equal(memoKey({ uri: DOCKERFILE, languageId: 'dockerfile', version: 2 }, 1), DOCKERFILE);
    // opened at another version than 1 (other clients)
    assert.equal(memoKey({ uri: DOCKERFILE, languageId: 'dockerfile', version: 0 }, 0), undefined);
    assert.equal(memoKey({ uri: DOCKERFILE, languageId: 'dockerfile', version: 1 }, 0), DOCKERFILE);
  });

  test('a Dockerfile known by its name or by its language id alone', () => {
    assert.equal(memoKey({ uri: 'file:///w/Containerfile', languageId: 'plaintext', version: 1 }, 1), undefined);
    assert.equal(memoKey({ uri: 'file:///w/build.txt', languageId: 'dockerfile', version: 1 }, 1), undefined);
  });

  test('YAML keeps its key from the open (its per-document reuse starts there)', () => {
    assert.equal(memoKey({ uri: COMPOSE, languageId: 'dockercompose', version: 1 }, 1), COMPOSE);
    assert.equal(memoKey({ uri: 'file:///w/k8s/deploy.yaml', languageId: 'yaml', version: 1 }, 1), 'file:///w/k8s/deploy.yaml');
  });

  test('a document the server did not see opened keeps its key', () => {
    assert.equal(memoKey({ uri: DOCKERFILE, languageId: 'dockerfile', version: 1 }, undefined), DOCKERFILE);
  });
});
