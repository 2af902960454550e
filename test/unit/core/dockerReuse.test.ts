// Per-instruction reuse for Dockerfiles (issue 16, part 5): a Dockerfile analysed with a
// cacheKey reuses what was computed for instructions whose text (and the variables they read)
// did not change. Its findings and fixes must equal a whole analysis after every edit,
// including edits to ARG/ENV/FROM/USER/SHELL that change other instructions' results, the
// escape directive, heredocs and line continuations; what it keeps stays bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine, type AnalysisResult, type Engine } from '../../../server/src/core/engine';
import { parseDockerfile, type ParsedDockerfile } from '../../../server/src/core/parse/dockerfile';
import { InstructionMemo } from '../../../server/src/core/parse/dockerMemo';
import { rules } from '../../../server/src/rules';
import { From } from 'dockerfile-ast';
import { loadCorpus, repoRoot } from '../secrets/corpus';

const ROOT = repoRoot(__dirname);
const config = mergeConfig();
const strict = mergeConfig({ preset: 'strict', trustedRegistries: ['registry.example.com'] });

const rows = (r: AnalysisResult) => r.findings.map((f) => `${f.rule}|${f.severity}|${f.start}|${f.end}|${f.message}`);
const fixes = (r: AnalysisResult) => JSON.stringify(r.findings.map((f) => f.fixes));

function dockerfiles(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/dockerfile/i.test(e.name)) out.push([path.relative(ROOT, p), fs.readFileSync(p, 'utf8')]);
    }
  };
  walk(path.join(ROOT, 'test', 'fixtures', 'rules'));
  walk(path.join(ROOT, 'examples'));
  walk(path.join(ROOT, 'bench', 'fixtures'));
  for (const c of loadCorpus(ROOT)) if (c.platform === 'dockerfile') out.push([`corpus: ${c.name}`, c.text]);
  return out;
}

/** Analyses each text with the reusing engine and with a fresh one, asserting the same findings (and fixes). */
function same(reuse: Engine, texts: string[], name: string, cfg = config): void {
  const whole = createEngine(rules);
  texts.forEach((t, k) => {
    const a = reuse.analyze({ text: t, path: '/w/Dockerfile', cacheKey: 'file:///w/Dockerfile' }, cfg);
    const b = whole.analyze({ text: t, path: '/w/Dockerfile' }, cfg);
    assert.deepEqual(rows(a), rows(b), `${name}, step ${k}`);
    assert.equal(fixes(a), fixes(b), `${name}, fixes at step ${k}`);
  });
}

/** Edits at every line: a character typed at its end and removed, the line removed and put back, the line doubled. */
function editsOf(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const at = (ls: string[]) => ls.join('\n');
    out.push(at(lines.map((l, n) => (n === i ? `${l}x` : l))), text);
    out.push(at(lines.filter((_, n) => n !== i)), text);
    out.push(at(lines.flatMap((l, n) => (n === i ? [l, l] : [l]))), text);
  }
  return out;
}

const files = dockerfiles();

describe('Dockerfile per-instruction reuse', () => {

  test('the fixtures, examples, bench Dockerfile and secrets corpus are all here', () => {
    assert.ok(files.length >= 150, String(files.length));
    assert.ok(files.some(([n]) => n === path.join('bench', 'fixtures', 'Dockerfile')));
  });

  test('every fixture: findings and fixes equal a whole analysis after every edit', () => {
    let steps = 0;
    for (const [name, text] of files) {
      const texts = [text, ...editsOf(text)];
      same(createEngine(rules), texts, name);
      steps += texts.length;
    }
    assert.ok(steps > 3000, String(steps));
  });

  test('the strict preset and a trusted registry list: the same', () => {
    for (const [name, text] of files.filter(([n]) => !n.startsWith('corpus'))) same(createEngine(rules), [text, ...editsOf(text)], name, strict);
  });

  // Edits whose effect reaches other instructions: each sequence is analysed step by step.
  const sequences: [string, string[]][] = [
    ['an ARG default changes what an ADD downloads', [
      'FROM alpine:3.20\nARG SRC=./app.txt\nADD $SRC /app/\nADD ${SRC} /x/\n',
      'FROM alpine:3.20\nARG SRC=https://example.com/app.txt\nADD $SRC /app/\nADD ${SRC} /x/\n',
      'FROM alpine:3.20\nARG SRC\nADD $SRC /app/\nADD ${SRC} /x/\n',
      'FROM alpine:3.20\nARG SRC=./app.txt\nADD $SRC /app/\nADD ${SRC} /x/\n',
    ]],
    ['an ENV value names a secret file a COPY ships', [
      'FROM alpine:3.20\nENV KEY=app.conf\nCOPY $KEY /etc/\n',
      'FROM alpine:3.20\nENV KEY=id_rsa\nCOPY $KEY /etc/\n',
      'FROM alpine:3.20\nENV KEY=id_rsa\nENV KEY=app.conf\nCOPY $KEY /etc/\n',
      'FROM alpine:3.20\nENV KEY=.env\nCOPY $KEY /etc/\n',
    ]],
    ['a global ARG in a FROM, then the stage user', [
      'ARG BASE=node:20\nFROM ${BASE}\nUSER node\nRUN sudo apt-get update\n',
      'ARG BASE=node:latest\nFROM ${BASE}\nUSER node\nRUN sudo apt-get update\n',
      'ARG BASE=node:latest\nFROM ${BASE}\nUSER root\nRUN sudo apt-get update\n',
      'ARG BASE=scratch\nFROM ${BASE}\nRUN sudo apt-get update\n',
      'ARG U=0\nFROM alpine:3.20\nUSER $U\nRUN sudo apk add curl\n',
      'ARG U=0\nFROM alpine:3.20\nARG U\nUSER $U\nRUN sudo apk add curl\n',
      'ARG U=1000\nFROM alpine:3.20\nARG U\nUSER $U\nRUN sudo apk add curl\n',
    ]],
    ['a SHELL before a RUN changes how the RUN is read', [
      'FROM alpine:3.20\nRUN curl -fsSL https://example.com/i.sh | sh\nRUN sudo apk add git\n',
      'FROM alpine:3.20\nSHELL ["/bin/ash", "-c"]\nRUN curl -fsSL https://example.com/i.sh | sh\nRUN sudo apk add git\n',
      'FROM alpine:3.20\nSHELL ["pwsh", "-c"]\nRUN curl -fsSL https://example.com/i.sh | sh\nRUN sudo apk add git\n',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl -fsSL https://example.com/i.sh | sh\nRUN sudo apk add git\n',
      'FROM alpine:3.20\nRUN curl -fsSL https://example.com/i.sh | sh\nRUN sudo apk add git\n',
    ]],
    ['a stage renamed: FROM <stage> and what it inherits', [
      'FROM alpine:3.20 AS base\nUSER root\nENV F=id_rsa\nFROM base\nCOPY $F /x/\nEXPOSE 22\n',
      'FROM alpine:3.20 AS basic\nUSER root\nENV F=id_rsa\nFROM base\nCOPY $F /x/\nEXPOSE 22\n',
      'FROM alpine:3.20 AS base\nUSER 1000\nENV F=id_rsa\nFROM base\nCOPY $F /x/\nEXPOSE 22\n',
      'FROM alpine:3.20 AS base\nUSER 1000\nENV P=22\nFROM base\nEXPOSE $P\n',
      'FROM alpine:3.20 AS base\nUSER 1000\nENV P=2222\nFROM base\nEXPOSE $P\n',
    ]],
    ['the escape directive: the same text read another way', [
      'FROM alpine:3.20\nRUN echo a \\\n  && sudo apk add curl\nENV TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n  X=1\n',
      '# escape=`\nFROM alpine:3.20\nRUN echo a \\\n  && sudo apk add curl\nENV TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n  X=1\n',
      '# escape=`\nFROM alpine:3.20\nRUN echo a `\n  && sudo apk add curl\nENV TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa `\n  X=1\n',
      'FROM alpine:3.20\nRUN echo a `\n  && sudo apk add curl\nENV TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa `\n  X=1\n',
    ]],
    ['a heredoc opened, typed into and closed', [
      'FROM alpine:3.20\nRUN echo hi\nRUN sudo apk add curl\nENV PASSWORD=Sup3rS3cretPw\n',
      'FROM alpine:3.20\nRUN <<EOF\nRUN sudo apk add curl\nENV PASSWORD=Sup3rS3cretPw\n',
      'FROM alpine:3.20\nRUN <<EOF\necho hi\nRUN sudo apk add curl\nENV PASSWORD=Sup3rS3cretPw\n',
      'FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\nRUN sudo apk add curl\nENV PASSWORD=Sup3rS3cretPw\n',
      'FROM alpine:3.20\nRUN <<EOF\ncurl -fsSL https://example.com/x | sh\nEOF\nRUN sudo apk add curl\nENV PASSWORD=Sup3rS3cretPw\n',
      'FROM alpine:3.20\nCOPY <<EOF /etc/app.conf\npassword=Sup3rS3cretPw\nEOF\nRUN sudo apk add curl\n',
    ]],
    ['a line continuation added and removed', [
      'FROM alpine:3.20\nRUN apk add curl\nRUN sudo apk add git\nENV A=1\n',
      'FROM alpine:3.20\nRUN apk add curl \\\nRUN sudo apk add git\nENV A=1\n',
      'FROM alpine:3.20\nRUN apk add curl \\\n\n# note\nRUN sudo apk add git\nENV A=1\n',
      'FROM alpine:3.20\nRUN apk add curl \\\n  && sudo apk add git\nENV A=1\n',
      'FROM alpine:3.20\nRUN apk add curl\nRUN sudo apk add git\nENV A=1\n',
    ]],
    ['gpg in the file makes 40-hex values fingerprints', [
      'FROM alpine:3.20\nENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4\nRUN echo hi\n',
      'FROM alpine:3.20\nENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4\nRUN gpg --recv-keys "$GPG_KEY"\n',
      'FROM alpine:3.20\nENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4\nRUN echo hi\n',
    ]],
    ['a privilege drop and an entrypoint', [
      'FROM node:20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["npm", "start"]\n',
      'FROM node:20\nRUN apt-get install -y gosu\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["npm", "start"]\n',
      'FROM node:20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["gosu", "node"]\nCMD ["npm", "run", "dev"]\n',
      'FROM node:20\nUSER node\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nVOLUME /data\n',
    ]],
  ];
  for (const [name, texts] of sequences) {
    test(`${name}: equal to a whole analysis at every step, there and back`, () => {
      const e = createEngine(rules);
      same(e, [...texts, ...[...texts].reverse()], name);
      same(e, [...texts, ...[...texts].reverse()], `${name} (strict)`, strict);
    });
  }

  test('the config changing between analyses: results are not reused across configs', () => {
    const e = createEngine(rules);
    const text = 'FROM alpine\nEXPOSE 80\nADD app.tar /x/\n';
    same(e, [text, text], 'recommended');
    same(e, [text, text], 'strict', strict);
    same(e, [text], 'recommended again');
  });
});

describe('Dockerfile reuse: what is kept', () => {
  const text = fs.readFileSync(path.join(ROOT, 'bench', 'fixtures', 'Dockerfile'), 'utf8');
  const key = 'file:///w/Dockerfile';

  test('an edit recomputes only the edited instruction; what is kept stays bounded; forget drops it', () => {
    const e = createEngine(rules);
    const analyse = (t: string) => e.analyze({ text: t, path: '/w/Dockerfile', cacheKey: key }, config);
    analyse(text);
    const first = e.dockerCacheSize();
    assert.equal(first.keys, 1);
    assert.ok(first.instructions >= 20, JSON.stringify(first));
    assert.ok(first.chars <= text.length, JSON.stringify(first));
    assert.ok(first.computed >= first.instructions, JSON.stringify(first));
    // the same text again: nothing is computed
    analyse(text);
    const again = e.dockerCacheSize();
    assert.equal(again.computed, first.computed);
    assert.ok(again.reused > first.reused + first.instructions, JSON.stringify(again));
    // type into the middle of the RUN that installs packages, and out again
    const at = text.indexOf('ca-certificates') + 3;
    const sizes: ReturnType<Engine['dockerCacheSize']>[] = [];
    for (let k = 0; k < 200; k++) {
      analyse(k % 2 === 0 ? `${text.slice(0, at)}x${text.slice(at)}` : text);
      sizes.push(e.dockerCacheSize());
    }
    sizes.forEach((s, k) => {
      assert.equal(s.keys, 1);
      assert.equal(s.instructions, first.instructions);
      assert.ok(s.chars <= text.length + 1, JSON.stringify(s));
      assert.ok(s.results <= first.results, JSON.stringify(s));
      // the RUN's own results only (its arguments, secrets, downloads, sudo, the drop tool)
      const before = k === 0 ? again : sizes[k - 1];
      assert.ok(s.computed - before.computed <= 6 && s.computed > before.computed, `edit ${k}: ${s.computed - before.computed} computed`);
    });
    e.forget(key);
    const gone = e.dockerCacheSize();
    assert.deepEqual([gone.keys, gone.instructions, gone.results, gone.chars], [0, 0, 0, 0]);
    assert.deepEqual(e.cacheSize(), { yamlEntries: 0, yamlChars: 0, groupEntries: 0, groupChars: 0, keys: 0 });
  });

  test('at most 16 documents keep results; the least recently analysed goes first', () => {
    const e = createEngine(rules);
    const open = (n: number) => e.analyze({ text, path: `/w/${n}/Dockerfile`, cacheKey: `file:///w/${n}/Dockerfile` }, config);
    for (let n = 0; n < 20; n++) open(n);
    const s = e.dockerCacheSize();
    assert.equal(s.keys, 16);
    // document 4 (kept) again: nothing computed; document 0 (dropped) again: computed afresh
    open(4);
    assert.equal(e.dockerCacheSize().computed, s.computed);
    open(0);
    assert.ok(e.dockerCacheSize().computed > s.computed);
    assert.equal(e.dockerCacheSize().keys, 16);
    e.forget();
    assert.equal(e.dockerCacheSize().keys, 0);
  });

  test("a FROM's image and stage name are read from the parser once per FROM text", () => {
    const proto = From.prototype as unknown as Record<'getImage' | 'getImageRange' | 'getBuildStage', (...a: unknown[]) => unknown>;
    const names = ['getImage', 'getImageRange', 'getBuildStage'] as const;
    const originals = names.map((n) => proto[n]);
    let calls = 0;
    names.forEach((n, k) => {
      proto[n] = function (this: unknown, ...a: unknown[]) {
        calls++;
        return originals[k].apply(this, a);
      };
    });
    try {
      const e = createEngine(rules);
      const analyse = (t: string) => e.analyze({ text: t, path: '/w/Dockerfile', cacheKey: key }, config);
      analyse(text);
      // two FROMs, three reads each
      assert.equal(calls, 6);
      const at = text.indexOf('ca-certificates') + 3;
      analyse(`${text.slice(0, at)}x${text.slice(at)}`);
      analyse(text);
      assert.equal(calls, 6);
      // typing into the second FROM reads that FROM again, once per text
      const f = text.indexOf('bookworm-slim') + 3;
      const typed = `${text.slice(0, f)}x${text.slice(f)}`;
      const a = analyse(typed);
      assert.equal(calls, 9);
      const b = createEngine(rules).analyze({ text: typed, path: '/w/Dockerfile' }, config);
      assert.deepEqual(rows(a), rows(b));
    } finally {
      names.forEach((n, k) => {
        proto[n] = originals[k];
      });
    }
  });

  test('no memo without a cacheKey (the CLI, fix-all)', () => {
    const e = createEngine(rules);
    e.analyze({ text, path: '/w/Dockerfile' }, config);
    e.fixAll({ text, path: '/w/Dockerfile' }, config);
    assert.deepEqual(e.dockerCacheSize(), { keys: 0, instructions: 0, results: 0, chars: 0, computed: 0, reused: 0 });
  });
});

describe('Dockerfile re-parse of the edited lines only', () => {
  /** Everything a parse gives, as plain data. */
  const shape = (df: ParsedDockerfile) =>
    JSON.stringify({
      directives: df.directives,
      afterDirectives: df.afterDirectives,
      escape: df.escape,
      comments: df.comments,
      problems: df.problems,
      instructions: [df.globalArgs, ...df.stages.map((s) => [s.from, ...s.instructions])].flat().map((i) => ({
        keyword: i.keyword, span: i.span, keywordSpan: i.keywordSpan, line: i.line, args: i.args, properties: i.properties, flags: i.flags,
      })),
      stages: df.stages.map((s) => ({ index: s.index, image: s.image, imageSpan: s.imageSpan, name: s.name })),
    });

  /** Characters that change how lines group: escapes, heredocs, comments, line breaks, quotes. */
  const typed = ['\\', '\n', '<<EOF\n', 'EOF\n', '# ', '#', ' ', '"', '\r\n', 'RUN x\n', 'FROM a\n', '`'];

  test('a parse kept per document gives what a fresh parse gives, edit after edit', () => {
    let steps = 0;
    let lines = 0;
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const [name, original] of files) {
      const memo = new InstructionMemo();
      let text = original;
      for (let k = 0; k < 30; k++) {
        const at = rand(text.length + 1);
        if (k % 3 === 2 && text.length > 0) {
          const end = Math.min(text.length, at + 1 + rand(12));
          text = text.slice(0, at) + text.slice(end);
        } else text = text.slice(0, at) + typed[rand(typed.length)] + text.slice(at);
        memo.begin('');
        const kept = parseDockerfile(text, memo);
        memo.end();
        assert.equal(shape(kept), shape(parseDockerfile(text)), `${name}, edit ${k}`);
        steps++;
      }
      lines += memo.parses.lines;
    }
    assert.ok(steps > 4000, String(steps));
    // most edits re-parse their lines only (the rest: edits above the first instruction, windows that do not line up)
    assert.ok(lines > steps / 2, `${lines} of ${steps}`);
  });
});
