import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, type ConfigLayer } from '../../../server/src/core/config';
import { applyEdits } from '../../../server/src/core/engine';
import { findSuppressions, idsFor } from '../../../server/src/core/suppress';
import { TextIndex } from '../../../server/src/core/text';
import { engine } from '../../../server/src/rules';
import { rule as noRootUser } from '../../../server/src/rules/no-root-user';

const REMOVE = 'Remove the unused bulkhead-ignore comment';
const unusedLine = (ids: string) => `This bulkhead-ignore for ${ids} suppresses nothing on the line below or this line`;

/** Findings as [rule, severity, [line, char], [line, char], message]. */
function findings(code: string, config?: ConfigLayer, path = 'Dockerfile') {
  const r = engine.analyze({ text: code, path }, mergeConfig(config));
  return r.findings.map((f) => {
    const { start, end } = r.index.rangeOf(f);
    return [f.rule, f.severity, [start.line, start.character], [end.line, end.character], f.message];
  });
}

/** The text after the unused-suppression finding's fix titled `title`. */
function afterRemove(code: string): string {
  const r = engine.analyze({ text: code, path: 'Dockerfile' }, mergeConfig());
  const f = r.findings.filter((x) => x.rule === 'unused-suppression');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0].fixes.map((x) => [x.title, x.preferred]), [[REMOVE, false]]);
  return applyEdits(r.text, f[0].fixes[0].edits);
}

describe('unused-suppression', () => {
  test('a bulkhead-ignore that suppresses nothing', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore no-root-user\nCMD ["node"]\n'), [
      ['unused-suppression', 'info', [2, 0], [2, 30], unusedLine('no-root-user')],
    ]);
  });

  test('a used bulkhead-ignore is not reported', () => {
    assert.deepEqual(findings('FROM node:20\n# bulkhead-ignore no-root-user\nUSER root\n'), []);
  });

  test('a bulkhead-ignore on the wrong line: unused, and the finding stays', () => {
    assert.deepEqual(findings('# bulkhead-ignore no-root-user\nFROM node:20\nUSER root\n'), [
      ['unused-suppression', 'info', [0, 0], [0, 30], unusedLine('no-root-user')],
      ['no-root-user', 'warning', [2, 5], [2, 9], 'The final stage runs as root (USER root)'],
    ]);
  });

  test('an unused bulkhead-ignore-file', () => {
    assert.deepEqual(findings('# bulkhead-ignore-file no-root-user\nFROM node:20\nUSER node\n'), [
      ['unused-suppression', 'info', [0, 0], [0, 35], 'This bulkhead-ignore for no-root-user suppresses nothing in this file'],
    ]);
  });

  test('unknown rule id', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore no-such-rule\nCMD ["node"]\n'), [
      ['unused-suppression', 'info', [2, 0], [2, 30], "Unknown rule 'no-such-rule' in bulkhead-ignore"],
    ]);
  });

  test('several unknown rule ids', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore foo,bar\nCMD ["node"]\n'), [
      ['unused-suppression', 'info', [2, 0], [2, 25], "Unknown rule 'foo', 'bar' in bulkhead-ignore"],
    ]);
  });

  test('an unknown rule id in a file-level ignore', () => {
    assert.deepEqual(findings('# bulkhead-ignore-file no-root-usr\nFROM node:20\nUSER node\n'), [
      ['unused-suppression', 'info', [0, 0], [0, 34], "Unknown rule 'no-root-usr' in bulkhead-ignore"],
    ]);
  });

  test('a `-- reason` suffix is allowed (used)', () => {
    assert.deepEqual(findings('FROM node:20\n# bulkhead-ignore no-root-user -- the entrypoint drops privileges\nUSER root\n'), []);
  });

  test('a `-- reason` suffix is allowed (unused: the range covers the whole comment)', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore no-root-user -- we checked\nCMD ["node"]\n'), [
      ['unused-suppression', 'info', [2, 0], [2, 44], unusedLine('no-root-user')],
    ]);
  });

  test('the words of a reason are not rule ids', () => {
    assert.deepEqual(findings('FROM node:20\n# bulkhead-ignore no-root-user -- not a rule, nor-this\nUSER root\n'), []);
  });

  test('an ignore for a catalog rule that did not run (not built, or off) is neither unknown nor unused', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore no-sudo\nRUN make\n', { rules: { 'no-sudo': 'off' } }), []);
  });

  test('a rule turned off cannot prove its ignore unused', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore no-root-user\nCMD x\n', { rules: { 'no-root-user': 'off' } }), []);
  });

  test('unused-suppression can be turned off or raised', () => {
    const code = 'FROM node:20\nUSER node\n# bulkhead-ignore no-root-user\nCMD x\n';
    assert.deepEqual(findings(code, { rules: { 'unused-suppression': 'off' } }), []);
    assert.deepEqual(findings(code, { rules: { 'unused-suppression': 'warning' } }), [['unused-suppression', 'warning', [2, 0], [2, 30], unusedLine('no-root-user')]]);
  });

  test('an indented comment: the range starts at #', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n   # bulkhead-ignore no-root-user\nCMD x\n'), [
      ['unused-suppression', 'info', [2, 3], [2, 33], unusedLine('no-root-user')],
    ]);
  });

  test('peer comments (hadolint, trivy) are never reported unused', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# hadolint ignore=DL3002\n# trivy:ignore:AVD-DS-0002\nCMD x\n'), []);
  });

  test('a bare bulkhead-ignore (every rule) is never reported unused', () => {
    assert.deepEqual(findings('FROM node:20\nUSER node\n# bulkhead-ignore\nCMD x\n'), []);
  });
});

describe("the 'Remove the unused bulkhead-ignore comment' fix", () => {
  test('removes the whole comment line', () => {
    assert.equal(afterRemove('FROM node:20\nUSER node\n# bulkhead-ignore no-root-user\nCMD ["node"]\n'), 'FROM node:20\nUSER node\nCMD ["node"]\n');
  });

  test('removes a comment with a reason', () => {
    assert.equal(afterRemove('FROM node:20\nUSER node\n# bulkhead-ignore no-root-user -- we checked\nCMD ["node"]\n'), 'FROM node:20\nUSER node\nCMD ["node"]\n');
  });

  test('removes an indented comment line', () => {
    assert.equal(afterRemove('FROM node:20\nUSER node\n   # bulkhead-ignore no-root-user\nCMD x\n'), 'FROM node:20\nUSER node\nCMD x\n');
  });

  test('keeps CRLF line breaks', () => {
    assert.equal(afterRemove('FROM node:20\r\nUSER node\r\n# bulkhead-ignore no-root-user\r\nCMD x\r\n'), 'FROM node:20\r\nUSER node\r\nCMD x\r\n');
  });

  test('a comment on the last line without a line break', () => {
    assert.equal(afterRemove('FROM node:20\nUSER node\n# bulkhead-ignore no-root-user'), 'FROM node:20\nUSER node\n');
  });

  test('a file-level ignore above FROM', () => {
    assert.equal(afterRemove('# bulkhead-ignore-file no-root-user\nFROM node:20\nUSER node\n'), 'FROM node:20\nUSER node\n');
  });

  test('the fix is not preferred, so fix-all keeps the comment', () => {
    const code = 'FROM node:20\nUSER node\n# bulkhead-ignore no-root-user\nCMD x\n';
    assert.equal(engine.fixAll({ text: code, path: 'Dockerfile' }, mergeConfig()).text, code);
  });
});

describe('findSuppressions', () => {
  const find = (text: string, yaml = false) =>
    findSuppressions(new TextIndex(text), yaml).map((s) => ({ ids: s.ids, own: s.own, file: s.file, targetLine: s.targetLine }));

  test('targets the next non-comment line', () => {
    assert.deepEqual(find('FROM a\n# bulkhead-ignore no-root-user\n# another comment\nUSER root\n'), [
      { ids: ['no-root-user'], own: true, file: false, targetLine: 3 },
    ]);
  });

  test('a comment above a blank line applies to nothing', () => {
    assert.deepEqual(find('FROM a\n# bulkhead-ignore no-root-user\n\nUSER root\n'), [{ ids: ['no-root-user'], own: true, file: false, targetLine: -2 }]);
  });

  test('several ids, with commas and spaces', () => {
    assert.deepEqual(find('# bulkhead-ignore no-root-user, no-sudo\nFROM a\n')[0].ids, ['no-root-user', 'no-sudo']);
  });

  test('file-level', () => {
    assert.deepEqual(find('# syntax=docker/dockerfile:1\n# bulkhead-ignore-file no-root-user\nFROM a\n'), [
      { ids: ['no-root-user'], own: true, file: true, targetLine: -1 },
    ]);
  });

  test('peer comments', () => {
    assert.deepEqual(find('# hadolint ignore=DL3002,DL3008\n# trivy:ignore:AVD-DS-0002\nUSER root\n'), [
      { ids: ['DL3002', 'DL3008'], own: false, file: false, targetLine: 2 },
      { ids: ['AVD-DS-0002'], own: false, file: false, targetLine: 2 },
    ]);
  });

  test('no end-of-line comments in a Dockerfile; they exist in YAML', () => {
    assert.deepEqual(find('USER root # bulkhead-ignore no-root-user\n'), []);
    assert.deepEqual(find('user: root # bulkhead-ignore no-root-user\n', true), [{ ids: ['no-root-user'], own: true, file: false, targetLine: 0 }]);
  });

  test('a # inside a quoted YAML value is not a comment', () => {
    assert.deepEqual(find('password: "a # bulkhead-ignore no-root-user"\n', true), []);
  });
});

describe('idsFor', () => {
  test("no-root-user answers to its id and its peers' ids (trivy written both ways)", () => {
    const ids = idsFor('no-root-user', noRootUser.meta.peers);
    for (const id of ['no-root-user', 'dl3002', 'ds002', 'avd-ds-0002', 'ksv012', 'avd-ksv-0012', 'ckv_docker_3', 'ckv_k8s_23', 'run-as-non-root']) {
      assert.ok(ids.has(id), id);
    }
  });
});
