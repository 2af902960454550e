import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, type ConfigLayer } from '../../../server/src/core/config';
import { applyEdits, chooseFixes, createEngine, MAX_FILE_SIZE, type AnalysisResult } from '../../../server/src/core/engine';
import type { Rule, RuleMeta } from '../../../server/src/core/rule';
import type { Finding } from '../../../server/src/core/types';
import { engine } from '../../../server/src/rules';

type Row = [rule: string, severity: string, start: [number, number], end: [number, number], message: string];

function rows(r: AnalysisResult): Row[] {
  return r.findings.map((f) => {
    const { start, end } = r.index.rangeOf(f);
    return [f.rule, f.severity, [start.line, start.character], [end.line, end.character], f.message];
  });
}

function analyze(text: string, path: string | undefined = 'Dockerfile', config?: ConfigLayer): AnalysisResult {
  return engine.analyze({ text, path }, mergeConfig(config));
}

const BINARY: Row = ['invalid-dockerfile', 'error', [0, 0], [0, 0], 'This looks like a binary file, not text'];

/** Deterministic junk: every UTF-16 code unit is possible, including NUL and lone surrogates. */
function junk(seed: number, length: number): string {
  let x = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out += String.fromCharCode(i % 7 === 0 ? x & 0x7f : x >>> 16);
  }
  return out;
}

describe('engine: input it cannot read', () => {
  test('binary junk with NUL: one invalid-dockerfile finding', () => {
    const text = 'FROM node\0\x01\x02\xff garbage\nUSER root\n';
    assert.deepEqual(rows(analyze(text)), [BINARY]);
  });

  test('an ELF header named Dockerfile', () => {
    assert.deepEqual(rows(analyze('\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0')), [BINARY]);
  });

  test('binary YAML: one invalid-yaml finding', () => {
    assert.deepEqual(rows(analyze('services:\n  a: \0\0\n', 'compose.yaml')), [['invalid-yaml', 'error', [0, 0], [0, 0], 'This looks like a binary file, not text']]);
  });

  test('binary without a name is unknown: no finding', () => {
    const r = engine.analyze({ text: '\0\0\0ELF' }, mergeConfig());
    assert.equal(r.kind, 'unknown');
    assert.deepEqual(rows(r), []);
  });

  test('fix-all leaves a binary file alone', () => {
    const text = 'FROM node\0\nUSER root\n';
    const r = engine.fixAll({ text, path: 'Dockerfile' }, mergeConfig());
    assert.equal(r.text, text);
    assert.equal(r.applied, 0);
  });

  test('never throws on junk', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const text = junk(seed, 1 + (seed * 37) % 400);
      for (const path of ['Dockerfile', 'compose.yaml', 'pod.json', undefined]) {
        assert.doesNotThrow(() => engine.analyze({ text, path }, mergeConfig()), `seed ${seed} ${path}`);
        assert.doesNotThrow(() => engine.fixAll({ text, path }, mergeConfig()), `fixAll seed ${seed} ${path}`);
      }
    }
  });

  test('never throws on Dockerfile-shaped junk without NUL', () => {
    const pieces = ['FROM ', 'USER ', 'ARG ', 'ENV ', 'RUN <<EOF\n', 'EOF\n', '\\\n', '`\n', '${', '}', ':-', '# escape=`\n', '# syntax=x\n', 'AS ', '\r\n', '\r', '\n', '\uD83D', '"', "'", ' ', 'root', '0', '$X'];
    let x = 7;
    for (let n = 0; n < 150; n++) {
      let text = '';
      for (let i = 0; i < 30; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        text += pieces[(x >>> 8) % pieces.length];
      }
      assert.doesNotThrow(() => engine.fixAll({ text, path: 'Dockerfile' }, mergeConfig()), JSON.stringify(text));
    }
  });
});

describe('engine: file size', () => {
  test('a 3 MB Dockerfile: file-too-large and nothing else', () => {
    const line = 'RUN echo 0123456789abcdef0123456789abcdef\n';
    let text = 'FROM node:20\nUSER root\n';
    text += line.repeat(Math.ceil((3 * 1048576 - text.length) / line.length));
    text = text.slice(0, 3 * 1048576);
    const r = analyze(text);
    assert.deepEqual(rows(r), [['file-too-large', 'info', [0, 0], [0, 0], 'File not analysed: 3.0 MB is over the 2 MB limit']]);
    assert.equal(engine.fixAll({ text, path: 'Dockerfile' }, mergeConfig()).text, text);
  });

  test('exactly at the limit is analysed; one more character is not', () => {
    const head = 'FROM node:20\nUSER root\n';
    const at = head + '#'.repeat(MAX_FILE_SIZE - head.length);
    assert.deepEqual(analyze(at).findings.map((f) => f.rule), ['no-root-user']);
    assert.deepEqual(analyze(`${at}#`).findings.map((f) => f.rule), ['file-too-large']);
  });

  test('file-too-large can be turned off', () => {
    const text = `FROM node:20\n${'#'.repeat(MAX_FILE_SIZE)}`;
    assert.deepEqual(rows(analyze(text, 'Dockerfile', { rules: { 'file-too-large': 'off' } })), []);
  });
});

describe('engine: empty and comment-only files', () => {
  test('empty Dockerfile', () => {
    const r = analyze('');
    assert.equal(r.kind, 'dockerfile');
    assert.deepEqual(rows(r), []);
  });

  test('blank lines only', () => {
    assert.deepEqual(rows(analyze('\n\n   \n')), []);
  });

  test('only comments', () => {
    assert.deepEqual(rows(analyze('# just a comment\n# another\n')), []);
  });

  test('only a parser directive', () => {
    assert.deepEqual(rows(analyze('# syntax=docker/dockerfile:1\n')), []);
  });

  test('fix-all on an empty file', () => {
    assert.deepEqual(engine.fixAll({ text: '', path: 'Dockerfile' }, mergeConfig()).text, '');
  });
});

describe('engine: invalid-dockerfile', () => {
  test('unknown instruction: exact range on the keyword', () => {
    assert.deepEqual(rows(analyze('FROM node:20\nUSER node\nFOO bar\nCMD x\n')), [['invalid-dockerfile', 'error', [2, 0], [2, 3], "Unknown instruction 'FOO'"]]);
  });

  test('unknown instruction, indented and lowercase', () => {
    assert.deepEqual(rows(analyze('FROM node:20\nUSER node\n  frobnicate bar\n')), [['invalid-dockerfile', 'error', [2, 2], [2, 12], "Unknown instruction 'frobnicate'"]]);
  });

  test('a typo next to another finding', () => {
    assert.deepEqual(rows(analyze('FROM node:20\nCOPPY . .\nUSER root\n')), [
      ['invalid-dockerfile', 'error', [1, 0], [1, 5], "Unknown instruction 'COPPY'"],
      ['no-root-user', 'warning', [2, 5], [2, 9], 'The final stage runs as root (USER root)'],
    ]);
  });

  test('unknown instruction after a CRLF line and a surrogate pair', () => {
    assert.deepEqual(rows(analyze('FROM node:20\r\nLABEL x="😀"\r\nUSER node\r\nNOPE\r\n')), [['invalid-dockerfile', 'error', [3, 0], [3, 4], "Unknown instruction 'NOPE'"]]);
  });

  test('an instruction before the first FROM', () => {
    assert.deepEqual(rows(analyze('RUN echo\nFROM node:20\nUSER node\n')), [
      ['invalid-dockerfile', 'error', [0, 0], [0, 3], 'RUN before the first FROM: only ARG may come before FROM'],
    ]);
  });

  test('no FROM at all', () => {
    assert.deepEqual(rows(analyze('ARG X=1\n')), [['invalid-dockerfile', 'error', [0, 0], [0, 7], 'No FROM instruction: a Dockerfile must start a stage with FROM']]);
  });

  test('FROM without an image', () => {
    assert.deepEqual(rows(analyze('FROM\nUSER node\n')), [['invalid-dockerfile', 'error', [0, 0], [0, 4], 'FROM needs an image']]);
  });

  test('invalid-dockerfile is an error even in the strict preset', () => {
    const findings = analyze('FROM node:20\nUSER node\nFOO\n', 'Dockerfile', { preset: 'strict' }).findings;
    assert.deepEqual(findings.filter((f) => f.rule === 'invalid-dockerfile').map((f) => f.severity), ['error']);
  });
});

describe('engine: BOM', () => {
  test('positions do not count the BOM; fix-all keeps the flag', () => {
    const r = analyze('\uFEFFFROM node:20\nUSER root\n');
    assert.equal(r.bom, true);
    assert.equal(r.text, 'FROM node:20\nUSER root\n');
    assert.deepEqual(rows(r), [['no-root-user', 'warning', [1, 5], [1, 9], 'The final stage runs as root (USER root)']]);
    const f = engine.fixAll({ text: '\uFEFFFROM node:20\nUSER root\n', path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual([f.bom, f.text, f.applied], [true, 'FROM node:20\nUSER 10001:10001\n', 1]);
  });
});

describe('engine: fixAll', () => {
  const fixAll = (text: string, config?: ConfigLayer) => engine.fixAll({ text, path: 'Dockerfile' }, mergeConfig(config));

  test('reaches a fixed point over several rounds', () => {
    // Round 1 redeclares the global ARG; then USER $UID resolves to 0 and round 2 replaces it.
    const r = fixAll('ARG UID=0\nFROM node:20\nUSER $UID\n');
    assert.equal(r.text, 'ARG UID=0\nFROM node:20\nARG UID\nUSER 10001:10001\n');
    assert.equal(r.applied, 2);
    assert.deepEqual(rows(r.result), []);
    const again = fixAll(r.text);
    assert.deepEqual([again.text, again.applied], [r.text, 0]);
  });

  test('keeps CRLF', () => {
    assert.equal(fixAll('FROM node:20\r\nCMD ["node"]\r\n').text, 'FROM node:20\r\nUSER 10001:10001\r\nCMD ["node"]\r\n');
  });

  test('leaves suppressed findings alone', () => {
    const text = 'FROM node:20\n# bulkhead-ignore no-root-user\nUSER root\n';
    assert.deepEqual([fixAll(text).text, fixAll(text).applied], [text, 0]);
  });

  test('respects a rule turned off', () => {
    const text = 'FROM node:20\nUSER root\n';
    assert.equal(fixAll(text, { rules: { 'no-root-user': 'off' } }).text, text);
  });

  test('reaches a fixed point when the USER comes from an earlier stage', () => {
    const r = fixAll('ARG UID=1000\nFROM node:20 AS base\nUSER $UID\nFROM base\n');
    assert.equal(r.text, 'ARG UID=1000\nFROM node:20 AS base\nARG UID\nUSER $UID\nFROM base\n');
    assert.equal(r.applied, 1);
  });

  test('every fix-all result is a fixed point', () => {
    const inputs = [
      'FROM node:20\nUSER root\nCMD ["node"]\n',
      'FROM node:20\nCMD ["node"]\n',
      'FROM scratch\nCOPY app /app\n',
      'FROM node:20 AS base\nUSER root\nFROM base\nCMD x\n',
      'ARG APP_UID=1000\nFROM node:20\nUSER ${APP_UID}\nCMD ["node"]\n',
      '# syntax=docker/dockerfile:1\n# escape=`\nFROM node:20\nRUN <<EOF\nUSER node\nEOF\n',
      'from node\nrun x',
    ];
    for (const text of inputs) {
      const once = fixAll(text);
      const twice = fixAll(once.text);
      assert.deepEqual([twice.text, twice.applied], [once.text, 0], JSON.stringify(text));
      assert.deepEqual(once.result.findings.filter((f) => f.rule === 'no-root-user' || f.rule === 'invalid-dockerfile'), [], JSON.stringify(text));
    }
  });
});

describe('engine: rule plumbing', () => {
  const meta = (over: Partial<RuleMeta>): RuleMeta => ({ id: 'test-rule', title: 't', severity: 'warning', platforms: ['dockerfile'], fixable: true, peers: {}, ...over });
  const fixEdit = { title: 'fix', preferred: true, edits: [{ start: 0, end: 0, text: '# fixed\n' }] };

  test('a rule that throws becomes a finding, not a crash', () => {
    const boom: Rule = { meta: meta({ id: 'boom' }), check: () => { throw new Error('kaboom'); } };
    const e = createEngine([boom]);
    const r = e.analyze({ text: 'FROM node:20\n', path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual(rows(r), [['internal-error', 'error', [0, 0], [0, 0], 'Rule boom failed on this file (internal error: Error); please report it']]);
  });

  test('a rule that is not fixable cannot offer a fix', () => {
    const r: Rule = { meta: meta({ fixable: false }), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', fixes: [fixEdit] }) };
    const found = createEngine([r]).analyze({ text: 'FROM node:20\n', path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual(found.findings.map((f) => f.fixes), [[]]);
  });

  test('a strict rule runs only in the strict preset or when configured', () => {
    const r: Rule = { meta: meta({ strict: true, severity: 'info' }), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm' }) };
    const e = createEngine([r]);
    const run = (c?: ConfigLayer) => e.analyze({ text: 'FROM node:20\n', path: 'Dockerfile' }, mergeConfig(c)).findings.map((f) => f.severity);
    assert.deepEqual(run(), []);
    assert.deepEqual(run({ preset: 'strict' }), ['info']);
    assert.deepEqual(run({ rules: { 'test-rule': 'warning' } }), ['warning']);
    assert.deepEqual(run({ preset: 'strict', rules: { 'test-rule': 'off' } }), []);
  });

  test('a per-finding severity is kept unless config overrides it', () => {
    const r: Rule = { meta: meta({}), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'm', severity: 'error' }) };
    const e = createEngine([r]);
    const run = (c?: ConfigLayer) => e.analyze({ text: 'FROM node:20\n', path: 'Dockerfile' }, mergeConfig(c)).findings.map((f) => f.severity);
    assert.deepEqual(run(), ['error']);
    assert.deepEqual(run({ rules: { 'test-rule': 'info' } }), ['info']);
  });

  test('a Linux-only rule skips a Windows Dockerfile', () => {
    let calls = 0;
    const r: Rule = { meta: meta({ linuxOnly: true }), check: () => { calls++; } };
    const e = createEngine([r]);
    e.analyze({ text: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n', path: 'Dockerfile' }, mergeConfig());
    assert.equal(calls, 0);
    e.analyze({ text: 'FROM node:20\n', path: 'Dockerfile' }, mergeConfig());
    assert.equal(calls, 1);
  });

  test('findings are sorted by position', () => {
    const r: Rule = { meta: meta({}), check: (ctx) => { ctx.report({ start: 13, end: 17, message: 'second' }); ctx.report({ start: 0, end: 4, message: 'first' }); } };
    const found = createEngine([r]).analyze({ text: 'FROM node:20\nUSER root\n', path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual(found.findings.map((f) => f.message), ['first', 'second']);
  });
});

describe('applyEdits and chooseFixes', () => {
  test('applyEdits applies edits given in any order', () => {
    assert.equal(applyEdits('abcdef', [{ start: 1, end: 2, text: 'B' }, { start: 4, end: 6, text: '' }, { start: 0, end: 0, text: '>' }]), '>aBcd');
  });

  test('chooseFixes takes preferred fixes and drops overlapping or duplicate ones', () => {
    const finding = (fixes: Finding['fixes']): Finding => ({ rule: 'r', severity: 'warning', message: 'm', start: 0, end: 1, fixes });
    const a = { title: 'a', preferred: true, edits: [{ start: 0, end: 3, text: 'x' }] };
    const overlapping = { title: 'b', preferred: true, edits: [{ start: 2, end: 4, text: 'y' }] };
    const samePoint = { title: 'c', preferred: true, edits: [{ start: 0, end: 0, text: 'z' }] };
    const duplicate = { title: 'a again', preferred: true, edits: [{ start: 0, end: 3, text: 'x' }] };
    const notPreferred = { title: 'd', preferred: false, edits: [{ start: 10, end: 11, text: 'w' }] };
    const separate = { title: 'e', preferred: true, edits: [{ start: 5, end: 6, text: 'v' }] };
    const chosen = chooseFixes([finding([a]), finding([overlapping]), finding([samePoint]), finding([duplicate]), finding([notPreferred]), finding([notPreferred, separate])]);
    assert.deepEqual(chosen.map((f) => f.title), ['a', 'e']);
  });
});
