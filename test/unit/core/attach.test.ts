/**
 * Values kept per parse, stage or instruction (core/attach.ts) live on those objects, not in
 * a module-level WeakMap, so nothing outside an analysis reaches into it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Attached } from '../../../server/src/core/attach';
import { parseDockerfile, runCommands } from '../../../server/src/core/parse/dockerfile';

describe('Attached', () => {
  test('a value is read back from its own object only, per Attached', () => {
    const a = new Attached<object, number>('a');
    const b = new Attached<object, number>('b');
    const x = {};
    const y = {};
    a.set(x, 1);
    b.set(x, 2);
    assert.equal(a.get(x), 1);
    assert.equal(b.get(x), 2);
    assert.equal(a.get(y), undefined);
    a.set(x, 3);
    assert.equal(a.get(x), 3);
  });

  test('a copy of the object does not carry the value', () => {
    const a = new Attached<object, string>('a');
    const x = { n: 1 };
    a.set(x, 'kept');
    assert.deepEqual(Object.keys(x), ['n']);
    assert.equal(a.get({ ...x }), undefined);
    assert.equal(JSON.stringify(x), '{"n":1}');
  });

  test("a RUN's commands are read once per instruction object and kept on it", () => {
    const df = parseDockerfile('FROM alpine\nRUN apk add curl && curl -fsS https://example.com/x | sh\n');
    const run = df.stages[0].instructions.find((i) => i.keyword === 'RUN')!;
    const first = runCommands(df, run);
    assert.equal(runCommands(df, run), first);
    assert.deepEqual(first.commands.map((c) => c.words.map((w) => w.value)), [['apk', 'add', 'curl'], ['curl', '-fsS', 'https://example.com/x'], ['sh']]);
    assert.equal(Object.keys(run).some((k) => k.includes('command')), false);
  });
});
