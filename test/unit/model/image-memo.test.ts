// Memoised image lookups (issue 16): the table's answer and pattern matches are remembered per
// image string, give what an unmemoised lookup gives, and the memos stay bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE_DATA } from '../../../server/src/core/model/imageData';
import { USER_IMAGE_DATA } from '../../../server/src/core/model/imageDataUsers';
import { lookupImage, lookupMemoSize } from '../../../server/src/core/model/imageTable';
import { DEFAULT_NON_ROOT_IMAGES, imageMemoSize, matchesImagePattern, MEMO_ENTRIES } from '../../../server/src/core/model/images';

const REFS = ['nginx', 'nginx:1.25.3', 'docker.io/library/nginx:stable', 'postgres:16', 'redis:7', 'redis:8.0', 'redis', 'bitnami/redis:7', 'gcr.io/distroless/static:nonroot', 'Example/App:1', 'nginxinc/nginx-unprivileged:1.27', 'registry.example.com/orders/api:1.8.3', 'rabbitmq:3-management', 'postgres@sha256:abc'];

/** The table as a new array: lookupImage memoises only the built-in table, so this is the plain lookup. */
const TABLE = [...IMAGE_DATA, ...USER_IMAGE_DATA];

describe('memoised image lookups', () => {
  test('the memoised answer is the plain lookup, asked once or many times', () => {
    for (let round = 0; round < 3; round++) {
      for (const ref of REFS) assert.equal(lookupImage(ref), lookupImage(ref, TABLE), ref);
    }
    assert.equal(lookupImage('nginx:1.25.3')?.family, 'nginx');
    assert.equal(lookupImage('registry.example.com/orders/api:1.8.3'), null);
  });

  test('pattern matches are the same asked again, and case-insensitive', () => {
    const want = REFS.map((r) => DEFAULT_NON_ROOT_IMAGES.filter((p) => matchesImagePattern(r, p)));
    assert.deepEqual(
      REFS.map((r) => DEFAULT_NON_ROOT_IMAGES.filter((p) => matchesImagePattern(r, p))),
      want,
    );
    assert.deepEqual(want[REFS.indexOf('bitnami/redis:7')], ['bitnami/*']);
    assert.deepEqual(want[REFS.indexOf('gcr.io/distroless/static:nonroot')], ['gcr.io/distroless/*:nonroot']);
    assert.equal(matchesImagePattern('docker.io/BITNAMI/redis', 'bitnami/*'), true);
  });

  test(`the memos stay bounded (${MEMO_ENTRIES} entries each) over many distinct images`, () => {
    let most = 0;
    for (let i = 0; i < 3 * MEMO_ENTRIES; i++) {
      const ref = `registry.example.com/team/app-${i}:1.${i}`;
      assert.equal(lookupImage(ref), null);
      matchesImagePattern(ref, 'bitnami/*');
      const s = imageMemoSize();
      most = Math.max(most, lookupMemoSize(), s.refs, s.matches);
    }
    assert.ok(most <= MEMO_ENTRIES, String(most));
    assert.ok(most >= MEMO_ENTRIES / 2, String(most));
  });
});
