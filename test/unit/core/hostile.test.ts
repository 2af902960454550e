/**
 * The engine against hostile input (issue: "Hostile repositories", items 2, 4, 6, 9, and
 * Foundation III's internal-error): a crashing rule, secrets and escape sequences in
 * messages, fix-all that would never end, quadratic inputs, a time budget, CRLF positions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, type ConfigLayer } from '../../../server/src/core/config';
import { clampSpan, createEngine, type AnalysisResult, type Engine } from '../../../server/src/core/engine';
import { MAX_MESSAGE_LENGTH, safeText } from '../../../server/src/core/mask';
import type { Rule, RuleMeta } from '../../../server/src/core/rule';
import { engine } from '../../../server/src/rules';
import { FAKE } from '../secrets/fakes';

type Row = [rule: string, severity: string, start: [number, number], end: [number, number], message: string];

function rows(r: AnalysisResult): Row[] {
  return r.findings.map((f) => {
    const { start, end } = r.index.rangeOf(f);
    return [f.rule, f.severity, [start.line, start.character], [end.line, end.character], f.message];
  });
}

function analyze(text: string, path = 'Dockerfile', config?: ConfigLayer, e: Engine = engine): AnalysisResult {
  return e.analyze({ text, path }, mergeConfig(config));
}

const meta = (over: Partial<RuleMeta>): RuleMeta => ({ id: 'test-rule', title: 't', severity: 'warning', platforms: ['dockerfile', 'compose', 'kubernetes'], fixable: true, peers: {}, ...over });

describe('internal-error: a rule that throws', () => {
  const thrower = (id: string, thrown: () => unknown): Rule => ({
    meta: meta({ id }),
    check: () => {
      throw thrown();
    },
  });
  const ok: Rule = { meta: meta({ id: 'fine' }), check: (ctx) => ctx.report({ start: 0, end: 4, message: 'fine here' }) };

  test('its own finding, naming the rule and the error class, never the exception text', () => {
    const e = createEngine([thrower('no-root-user', () => new TypeError(`Cannot read 'x' of ${FAKE.github}`)), ok]);
    const r = analyze(`FROM node:20\nENV T=${FAKE.github}\n`, 'Dockerfile', undefined, e);
    assert.deepEqual(rows(r), [
      ['internal-error', 'error', [0, 0], [0, 0], 'Rule no-root-user failed on this file (internal error: TypeError); please report it'],
      ['fine', 'warning', [0, 0], [0, 4], 'fine here'],
    ]);
  });

  test('on YAML files too (not an invalid-yaml any more)', () => {
    const e = createEngine([thrower('boom', () => new RangeError('stack'))]);
    assert.deepEqual(rows(analyze('services:\n  a:\n    image: x\n', 'compose.yaml', undefined, e)), [
      ['internal-error', 'error', [0, 0], [0, 0], 'Rule boom failed on this file (internal error: RangeError); please report it'],
    ]);
  });

  test('a thrown non-Error, or an Error with an odd name, names only a safe kind', () => {
    const named = Object.assign(new Error('x'), { name: 'Evil\u001b[31m name' });
    const e = createEngine([thrower('a', () => 'a string'), thrower('b', () => named), thrower('c', () => null)]);
    assert.deepEqual(analyze('FROM node:20\n', 'Dockerfile', undefined, e).findings.map((f) => f.message), [
      'Rule a failed on this file (internal error: string); please report it',
      'Rule b failed on this file (internal error: Error); please report it',
      'Rule c failed on this file (internal error: object); please report it',
    ]);
  });

  test('cannot be switched off by configuration, preset or suppression comments', () => {
    const e = createEngine([thrower('no-root-user', () => new Error('x'))]);
    const text = '# bulkhead-ignore-file internal-error, no-root-user\n# bulkhead-ignore internal-error\nFROM node:20\n';
    for (const config of [{ rules: { 'internal-error': 'off' as const } }, { rules: { 'internal-error': 'info' as const } }, { preset: 'strict' as const }]) {
      assert.deepEqual(analyze(text, 'Dockerfile', config, e).findings.map((f) => [f.rule, f.severity]), [['internal-error', 'error']], JSON.stringify(config));
    }
  });

  test('fix-all still works around it', () => {
    const e = createEngine([thrower('boom', () => new Error('x')), { meta: meta({ id: 'fixer' }), check: (ctx) => { if (!ctx.file.text.startsWith('#')) ctx.report({ start: 0, end: 0, message: 'm', fixes: [{ title: 't', preferred: true, edits: [{ start: 0, end: 0, text: '# ok\n' }] }] }); } }]);
    const r = e.fixAll({ text: 'FROM node:20\n', path: 'Dockerfile' }, mergeConfig());
    assert.deepEqual([r.text, r.applied, r.result.findings.map((f) => f.rule)], ['# ok\nFROM node:20\n', 1, ['internal-error']]);
  });
});

describe('masking: no secret, no escape sequence, no megabyte in a message', () => {
  test('verify-downloads quoting a URL with user:password@', () => {
    assert.deepEqual(rows(analyze('FROM alpine:3.20\nUSER app\nRUN curl -fsSL https://user:pass@host/x.sh | sh\n')), [
      ['verify-downloads', 'warning', [2, 4], [2, 47], "RUN pipes 'https://user:***@host/x.sh' downloaded by curl straight into sh: nothing verifies what the server sent before it runs"],
    ]);
  });

  test('verify-downloads quoting a URL with ?token=<GitHub token>', () => {
    const r = analyze(`FROM alpine:3.20\nUSER app\nRUN curl -fsSL "https://host/x.sh?token=${FAKE.github}" | sh\n`);
    assert.deepEqual(rows(r).map((x) => x[4]), [
      "RUN pipes 'https://host/x.sh?token=***' downloaded by curl straight into sh: nothing verifies what the server sent before it runs",
      'GitHub token in RUN command line',
    ]);
  });

  test('a token as the user of a URL, and a GitHub token anywhere in a quoted URL', () => {
    const r = analyze(`FROM alpine:3.20\nUSER app\nRUN curl https://${FAKE.github}@raw.example.com/x.sh | sh\nRUN curl https://example.com/${FAKE.github}/x.sh | sh\n`);
    const messages = r.findings.filter((f) => f.rule === 'verify-downloads').map((f) => f.message);
    assert.deepEqual(messages, [
      "RUN pipes 'https://***@raw.example.com/x.sh' downloaded by curl straight into sh: nothing verifies what the server sent before it runs",
      "RUN pipes 'https://example.com/***/x.sh' downloaded by curl straight into sh: nothing verifies what the server sent before it runs",
    ]);
  });

  test('invalid-dockerfile does not quote a line of a half-typed heredoc', () => {
    assert.deepEqual(rows(analyze(`FROM alpine:3.20\nUSER app\n${FAKE.github}\nAWS_SECRET_ACCESS_KEY=${FAKE['aws-secret']}\nFOO bar\n`)), [
      ['invalid-dockerfile', 'error', [2, 0], [2, 40], 'Unknown instruction: this line does not start with a Dockerfile instruction'],
      ['invalid-dockerfile', 'error', [3, 0], [3, 62], 'Unknown instruction: this line does not start with a Dockerfile instruction'],
      ['invalid-dockerfile', 'error', [4, 0], [4, 3], "Unknown instruction 'FOO'"],
    ]);
  });

  test('a YAML syntax error that echoes source text', () => {
    assert.deepEqual(rows(analyze(`services:\n  a:\n    image: x\n    environment: |+ ${FAKE.github}\n      A\n`, 'compose.yaml')), [
      ['invalid-yaml', 'error', [3, 20], [3, 60], 'Not valid YAML: Not a YAML token: ***'],
    ]);
  });

  test('a token of no known format echoed by the YAML parser', () => {
    const r = analyze('services:\n  a:\n    environment: |+ q8Zr4Xw0Lm2Vb7Ty5Nc1\n', 'compose.yaml');
    assert.deepEqual(r.findings.map((f) => f.message), ['Not valid YAML: Not a YAML token: ***']);
  });

  test('a megabyte image name gives a short message', () => {
    const r = analyze(`FROM ${'a'.repeat(1 << 20)}\nUSER app\n`);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.message.length, f.message.slice(0, 12), f.message.slice(-4)]), [['pin-image-version', MAX_MESSAGE_LENGTH, "Image 'aaaaa", 'aaa…']]);
  });

  test('control characters and bidi overrides never reach a message', () => {
    const r = analyze('FROM alp\u001b[2Jine\u202e\u0085x\nUSER app\n');
    assert.deepEqual(rows(r), [['pin-image-version', 'warning', [0, 5], [0, 18], "Image 'alp\uFFFD[2Jine\uFFFD\uFFFDx' has no tag, so it pulls ':latest', which changes with every release"]]);
  });

  test('fix titles go through the same step', () => {
    const e = createEngine([{ meta: meta({}), check: (ctx) => ctx.report({ start: 0, end: 0, message: 'm', fixes: [{ title: `Use https://u:${FAKE.npm}@h/ \u001b]8;;x`, preferred: false, edits: [] }] }) }]);
    assert.deepEqual(analyze('FROM x\n', 'Dockerfile', undefined, e).findings[0].fixes.map((f) => f.title), ['Use https://u:***@h/ \uFFFD]8;;x']);
  });

  test('safeText: table', () => {
    const table: [string, string][] = [
      ['plain text stays', 'plain text stays'],
      ['git clone https://oauth2:abc@gitlab.example.com/x.git', 'git clone https://oauth2:***@gitlab.example.com/x.git'],
      ['https://h/x?a=1&access_token=abcdef&b=2', 'https://h/x?a=1&access_token=***&b=2'],
      ['https://h/x?sig=Zm9vYmFy&se=2024&key=k1;password=p', 'https://h/x?sig=***&se=2024&key=***;password=***'],
      [`Bearer ${FAKE.github} here`, 'Bearer *** here'],
      [`'DB_PASSWORD=s3cr3t-Pa55word'`, "'DB_PASSWORD=***'"],
      ['tab\tnew\nline\r\u0000\u007f\u009b\u2066x\u2069', 'tab new line \uFFFD\uFFFD\uFFFD\uFFFDx\uFFFD'],
      ['😀'.repeat(200), `${'😀'.repeat(149)}…`],
    ];
    for (const [input, out] of table) assert.equal(safeText(input), out, JSON.stringify(input));
    assert.equal(safeText(`${'x'.repeat(298)}😀`), `${'x'.repeat(298)}😀`);
    assert.equal(safeText(`${'x'.repeat(298)}😀y`), `${'x'.repeat(298)}…`);
    assert.equal(safeText(`${'x'.repeat(299)}😀`), `${'x'.repeat(299)}…`);
  });
});

describe('fix-all converges', () => {
  const fixAll = (text: string, e: Engine = engine) => e.fixAll({ text, path: 'Dockerfile' }, mergeConfig());

  test('a Dockerfile ending in an unterminated heredoc: no USER appended inside it', () => {
    const text = 'FROM python:3.12-alpine\nRUN <<EOF\napk add curl\n';
    const r = fixAll(text);
    assert.deepEqual([r.text, r.applied], [text, 0]);
    const root = analyze(text).findings.find((f) => f.rule === 'no-root-user');
    assert.deepEqual(root?.fixes.map((f) => f.title), []);
  });

  test('a Dockerfile ending in a line continuation (also across blank and comment lines)', () => {
    for (const text of ['FROM python:3.12-alpine\nRUN apk add \\\n', 'FROM python:3.12-alpine\nRUN apk add \\\n\n# c\n', 'FROM python:3.12-alpine\r\nRUN apk add \\\r\n', '# escape=`\nFROM python:3.12-alpine\nRUN apk add `\n']) {
      const r = fixAll(text);
      assert.deepEqual([r.text, r.applied], [text, 0], JSON.stringify(text));
    }
  });

  test('closed heredocs (also <<- and quoted, two in one RUN) still get the USER', () => {
    const cases: [string, string][] = [
      ['FROM python:3.12-alpine\nRUN <<EOF\napk add curl\nEOF\n', 'FROM python:3.12-alpine\nRUN <<EOF\napk add curl\nEOF\nUSER 10001:10001\n'],
      ['FROM python:3.12-alpine\nRUN <<-"EOT"\n\tapk add curl\n\tEOT\n', 'FROM python:3.12-alpine\nRUN <<-"EOT"\n\tapk add curl\n\tEOT\nUSER 10001:10001\n'],
      ['FROM python:3.12-alpine\nCOPY <<A <<B /x/\na\nA\nb\nB\n', 'FROM python:3.12-alpine\nCOPY <<A <<B /x/\na\nA\nb\nB\nUSER 10001:10001\n'],
    ];
    for (const [text, fixed] of cases) assert.equal(fixAll(text).text, fixed, JSON.stringify(text));
    const open = 'FROM python:3.12-alpine\nCOPY <<A <<B /x/\na\nA\nb\n';
    assert.equal(fixAll(open).text, open);
  });

  test('a fix that does not clear its finding is applied once at most, and dropped', () => {
    let runs = 0;
    const stubborn: Rule = {
      meta: meta({ id: 'stubborn' }),
      check: (ctx) => {
        runs++;
        ctx.report({ start: 0, end: 4, message: 'never fixed', fixes: [{ title: 'append', preferred: true, edits: [{ start: ctx.file.text.length, end: ctx.file.text.length, text: '#\n' }] }] });
      },
    };
    const r = fixAll('FROM x\n', createEngine([stubborn]));
    assert.deepEqual([r.text, r.applied, runs], ['FROM x\n', 0, 2]);
  });

  test('a good fix is kept when another fix of the same round fails', () => {
    const good: Rule = {
      meta: meta({ id: 'good' }),
      check: (ctx) => {
        const at = ctx.file.text.indexOf('bad');
        if (at >= 0) ctx.report({ start: at, end: at + 3, message: 'bad word', fixes: [{ title: 'fix', preferred: true, edits: [{ start: at, end: at + 3, text: 'good' }] }] });
      },
    };
    const stubborn: Rule = {
      meta: meta({ id: 'stubborn' }),
      check: (ctx) => ctx.report({ start: 0, end: 4, message: 'never fixed', fixes: [{ title: 'append', preferred: true, edits: [{ start: ctx.file.text.length, end: ctx.file.text.length, text: '#\n' }] }] }),
    };
    const r = fixAll('FROM x\nRUN bad\n', createEngine([good, stubborn]));
    assert.deepEqual([r.text, r.applied, r.result.findings.map((f) => f.rule)], ['FROM x\nRUN good\n', 1, ['stubborn']]);
  });

  test('two rules undoing each other stop instead of cycling', () => {
    const flip = (id: string, from: string, to: string): Rule => ({
      meta: meta({ id }),
      check: (ctx) => {
        const at = ctx.file.text.indexOf(from);
        if (at >= 0) ctx.report({ start: at, end: at + from.length, message: `${from} -> ${to}`, fixes: [{ title: 'flip', preferred: true, edits: [{ start: at, end: at + from.length, text: to }] }] });
      },
    });
    const r = fixAll('FROM x\nRUN a\n', createEngine([flip('ab', 'RUN a', 'RUN b'), flip('ba', 'RUN b', 'RUN a')]));
    assert.equal(r.text, 'FROM x\nRUN b\n');
    assert.equal(r.applied, 1);
  });
});

describe('linear work on inputs built to be quadratic', () => {
  // No timers: before the fix each of these took from seconds to minutes; the suite's
  // total time shows a regression.
  test('4,000 YAML aliases of one anchor', () => {
    let text = 'x-base: &a\n  FOO: bar\nservices:\n  web:\n    image: nginx:1.25\n    user: app\n    environment:\n';
    for (let i = 0; i < 4000; i++) text += `      V${i}: *a\n`;
    const r = analyze(text, 'compose.yaml');
    assert.deepEqual(rows(r).filter((x) => ['invalid-yaml', 'no-root-user', 'pin-image-version', 'no-hardcoded-secrets'].includes(x[0])), []);
    assert.equal(r.findings.length > 0, true);
  });

  test('1,000 services each reading an alias (the alias resolves to the closest preceding anchor)', () => {
    let text = 'x: &img nginx:1.25\nservices:\n';
    for (let i = 0; i < 1000; i++) text += `  s${i}:\n    image: *img\n    user: app\n`;
    text += 'x-late: &img busybox\n  s-late: {}\n';
    const r = analyze(text.replace('x-late: &img busybox\n  s-late: {}\n', ''), 'compose.yaml');
    assert.deepEqual(rows(r).filter((x) => x[0] === 'pin-image-version' || x[0] === 'no-root-user'), []);
    const late = analyze('x: &img nginx:1.25\nservices:\n  a:\n    image: *img\n    user: app\n  b:\n    image: &img busybox\n    user: app\n  c:\n    image: *img\n    user: app\n', 'compose.yaml');
    assert.deepEqual(rows(late).filter((x) => x[0] === 'pin-image-version').map((x) => x[4]), [
      "Image 'busybox' of service 'b' has no tag, so it pulls ':latest', which changes with every release",
      "Image 'busybox' of service 'c' has no tag, so it pulls ':latest', which changes with every release",
    ]);
  });

  test('a 40,000-line Dockerfile (ENV and RUN alternating, a SHELL and a USER early on)', () => {
    let text = 'FROM alpine:3.20\nSHELL ["/bin/sh", "-c"]\nUSER app\n';
    for (let i = 0; i < 20000; i++) text += `ENV V${i}=x${i}\nRUN echo $V${i}\n`;
    text += 'RUN sudo apk add curl\n';
    const r = analyze(text);
    assert.deepEqual(rows(r).map((x) => [x[0], x[2]]), [['no-sudo', [40003, 4]]]);
    assert.equal(r.index.lineCount, 40005);
  });

  test('a line with thousands of secret-looking headers', () => {
    let text = 'FROM alpine:3.20\nUSER app\nRUN curl';
    for (let i = 0; i < 3000; i++) text += ` -H "Authorization: Bearer abcdefgh${i}XYZ12345"`;
    text += ' https://example.com/\n';
    const r = analyze(text);
    assert.equal(r.findings.length, 3000);
    assert.deepEqual(new Set(r.findings.map((f) => `${f.rule} ${f.message}`)), new Set(['no-hardcoded-secrets Token in an Authorization header in RUN command line']));
  });
});

describe('time budget', () => {
  /** An engine whose clock moves `step` ms every time it is read. */
  function ticking(rules: Rule[], step: number): Engine {
    const e = createEngine(rules);
    let t = 0;
    e.now = () => (t += step);
    return e;
  }
  const reporter = (id: string): Rule => ({ meta: meta({ id }), check: (ctx) => ctx.report({ start: 0, end: 0, message: id }) });

  test('past the budget, no further rule runs and one info finding says so', () => {
    const e = ticking([reporter('r1'), reporter('r2'), reporter('r3'), reporter('r4')], 400);
    const r = e.analyze({ text: 'FROM x\n', path: 'Dockerfile', budgetMs: 1000 }, mergeConfig());
    // started at 400 (deadline 1400); checks at 800 (r1), 1200 (r2), 1600: past it, so r3 and r4 never run
    assert.deepEqual(rows(r), [
      ['file-too-large', 'info', [0, 0], [0, 0], 'Analysis stopped after 1600 ms: this file takes too long to check, so its results are incomplete'],
      ['r1', 'warning', [0, 0], [0, 0], 'r1'],
      ['r2', 'warning', [0, 0], [0, 0], 'r2'],
    ]);
  });

  test('between YAML documents: the documents past the budget are not parsed', () => {
    const before = engine.stats.yamlParses;
    const e = ticking([reporter('r1')], 500);
    const docs = ['a: 1\n', 'b: 2\n', 'c: 3\n', 'd: 4\n'].map((d, i) => `${d}services:\n  s${i}:\n    image: x${i}\n`).join('---\n');
    const r = e.analyze({ text: docs, path: 'compose.yaml', budgetMs: 1200 }, mergeConfig());
    // started at 500 (deadline 1700): documents 1 and 2 parsed at 1000 and 1500, document 3 refused at 2000,
    // document 4 at 2500, the finding written at 3000
    assert.deepEqual(rows(r).map((x) => x[4]), ['Analysis stopped after 2500 ms: this file takes too long to check, so its results are incomplete']);
    assert.equal(e.stats.yamlParses, 2);
    assert.equal(engine.stats.yamlParses, before);
  });

  test('no budget: everything runs, whatever the clock says', () => {
    const e = ticking([reporter('r1'), reporter('r2')], 1e9);
    assert.deepEqual(e.analyze({ text: 'FROM x\n', path: 'Dockerfile' }, mergeConfig()).findings.map((f) => f.rule), ['r1', 'r2']);
  });

  test('a budget that is not reached changes nothing', () => {
    const text = 'FROM node:20\nUSER root\n';
    assert.deepEqual(rows(engine.analyze({ text, path: 'Dockerfile', budgetMs: 60_000 }, mergeConfig())), rows(analyze(text)));
  });
});

describe('positions never split a CRLF', () => {
  test('a YAML error that ended between \\r and \\n (found by the fuzzer)', () => {
    const r = analyze('    image: "x\r\n"\r\napiVersion: v1\r\nkind: Pod\r\n', 'pod.yaml');
    assert.deepEqual(rows(r), [
      ['invalid-yaml', 'error', [0, 13], [0, 13], 'Not valid YAML: Missing closing "quote'],
      ['invalid-yaml', 'error', [1, 0], [4, 0], 'Not valid YAML: Unexpected double-quoted-scalar at node end'],
    ]);
  });

  test('a rule reporting offsets inside a CRLF or outside the text is clamped', () => {
    const spans: [number, number][] = [[7, 8], [6, 7], [8, 30], [-5, 3], [3, 1], [NaN, 2]];
    const e = createEngine([{ meta: meta({}), check: (ctx) => { for (const [start, end] of spans) ctx.report({ start, end, message: `${start}-${end}` }); } }]);
    const r = analyze('FROM x\r\nUSER a\r\n', 'Dockerfile', undefined, e);
    assert.deepEqual(r.findings.map((f) => [f.message, f.start, f.end]), [
      ['NaN-2', 0, 2],
      ['-5-3', 0, 3],
      ['3-1', 3, 3],
      ['6-7', 6, 6],
      ['7-8', 6, 8],
      ['8-30', 8, 16],
    ]);
  });

  test('clampSpan: table', () => {
    const text = 'a\r\nb\r\n';
    const table: [number, number, number, number][] = [[0, 2, 0, 1], [2, 2, 1, 1], [2, 5, 1, 4], [3, 4, 3, 4], [0, 99, 0, 6], [4, 2, 4, 4]];
    for (const [s, e, s2, e2] of table) assert.deepEqual(clampSpan(text, s, e), { start: s2, end: e2 }, `${s}-${e}`);
  });

  test('no finding of 1,000 generated CRLF files starts or ends inside a line break', () => {
    const pieces = ['services:\r\n', '  a:\r\n', '    image: x\r\n', '    image: "x\r\n', "    image: 'x\r\n", '    environment:\r\n', '      - A=1\r\n', '    user: root\r\n', '[\r\n', '{\r\n', '"\r\n', '---\r\n', '# c\r\n', 'apiVersion: v1\r\nkind: Pod\r\n', '&a ', '*a\r\n', 'FROM x\r\n', 'RUN a \\\r\n', 'USER root\r\n', 'RUN <<EOF\r\n', 'EOF\r\n'];
    let x = 1;
    let checked = 0;
    for (let n = 0; n < 500; n++) {
      let text = '';
      for (let i = 0; i < 3 + (n % 12); i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        text += pieces[(x >>> 8) % pieces.length];
      }
      for (const path of ['compose.yaml', 'Dockerfile']) {
        const r = analyze(text, path);
        for (const f of r.findings) {
          for (const o of [f.start, f.end]) assert.ok(!(r.text[o - 1] === '\r' && r.text[o] === '\n'), `${JSON.stringify(text)} ${f.rule} ${f.start}-${f.end}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 500, `only ${checked} findings`);
  });
});

describe('unused-suppression: messages built from a comment are bounded and masked too', () => {
  test('a 2,000-character unknown rule id gives a bounded message', () => {
    const id = `x${'y'.repeat(2000)}`;
    const r = analyze(`FROM alpine:3.20\n# bulkhead-ignore ${id}\nUSER 10001\n`);
    const unused = r.findings.filter((f) => f.rule === 'unused-suppression');
    assert.equal(unused.length, 1);
    assert.ok(unused[0].message.length <= MAX_MESSAGE_LENGTH, `length ${unused[0].message.length}`);
    assert.ok(unused[0].message.startsWith("Unknown rule 'xyyy"), unused[0].message.slice(0, 40));
  });
});
