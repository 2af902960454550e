/** The environment the extension adds for the language server (client/src/serverFlags.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_ENV, serverEnv } from '../../../client/src/serverFlags';

test('serverEnv: adds the malloc threshold to an environment without it', () => {
  assert.deepEqual(SERVER_ENV, { MALLOC_MMAP_THRESHOLD_: '131072' });
  assert.deepEqual(serverEnv({ PATH: '/usr/bin' }), { MALLOC_MMAP_THRESHOLD_: '131072' });
});

test('serverEnv: leaves a threshold the editor environment already sets to it', () => {
  assert.deepEqual(serverEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }), {});
  assert.deepEqual(serverEnv({ MALLOC_MMAP_THRESHOLD_: '' }), {});
});
