import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configErrors, DEFAULT_CONFIG, mergeConfig, parseConfigFile, validateConfig } from '../../../server/src/core/config';
import ignore from 'ignore';
import { DEFAULT_NON_ROOT_IMAGES, globMatch, matchesImagePattern, matchesRegistry } from '../../../server/src/core/model/images';

/** The problems of a config text, each with the text its span covers. */
function problems(text: string): { message: string; at: string | null }[] {
  return parseConfigFile(text).problems.map((p) => ({ message: p.message, at: p.span ? text.slice(p.span.start, p.span.end) : null }));
}

describe('parseConfigFile: good files', () => {
  test('every setting', () => {
    const text = [
      'preset: strict',
      'rules:',
      '  no-root-user: error',
      '  pin-image-digest: info',
      '  unused-suppression: off',
      'defaultUser: "2000:3000"',
      'nonRootImages:',
      '  - registry.example.com/base/*',
      'trustedRegistries: [ghcr.io/myorg]',
      'compose:',
      '  target: stack',
      'ignore:',
      '  - vendor/**',
      '',
    ].join('\n');
    assert.deepEqual(parseConfigFile(text), {
      layer: {
        preset: 'strict',
        rules: { 'no-root-user': 'error', 'pin-image-digest': 'info', 'unused-suppression': 'off' },
        defaultUser: '2000:3000',
        nonRootImages: ['registry.example.com/base/*'],
        trustedRegistries: ['ghcr.io/myorg'],
        compose: { target: 'stack' },
        ignore: ['vendor/**'],
      },
      problems: [],
    });
  });

  test('a bare numeric defaultUser means uid:uid', () => {
    assert.deepEqual(parseConfigFile('defaultUser: 1000\n'), { layer: { defaultUser: '1000:1000' }, problems: [] });
  });

  test('empty file and comment-only file', () => {
    assert.deepEqual(parseConfigFile(''), { layer: {}, problems: [] });
    assert.deepEqual(parseConfigFile('# nothing here yet\n'), { layer: {}, problems: [] });
  });

  test('CRLF file', () => {
    assert.deepEqual(parseConfigFile('preset: strict\r\nrules:\r\n  no-root-user: off\r\n'), {
      layer: { preset: 'strict', rules: { 'no-root-user': 'off' } },
      problems: [],
    });
  });
});

describe('parseConfigFile: warnings and errors (docs/configuration.md)', () => {
  /** Each problem's message, severity and the text it covers. */
  const graded = (text: string) => parseConfigFile(text).problems.map((p) => [p.message, p.severity ?? 'error', p.span ? text.slice(p.span.start, p.span.end) : null]);
  const table: [string, string, (string | null)[][], boolean][] = [
    // text, what it is, problems, usable (no error)
    ['rules:\n  no-priviledged: off\n  no-root-user: error\n', 'unknown rule id', [["Unknown rule 'no-priviledged'", 'warning', 'off']], true],
    ['colour: red\npreset: strict\n', 'unknown key', [["Unknown setting 'colour'", 'warning', 'red']], true],
    ['defaultLimits:\n  disk: 1g\n', 'unknown defaultLimits key', [["Unknown setting 'defaultLimits.disk'", 'warning', '1g']], true],
    ['rules:\n  no-root-user: loud\n', 'bad severity', [["Rule 'no-root-user' must be one of off, info, warning, error", 'error', 'loud']], false],
    ['preset: loose\n', 'bad preset', [["preset must be 'baseline', 'recommended' or 'strict'", 'error', 'loose']], false],
    ['rules:\n  nope: off\n  no-sudo: never\n', 'both', [["Unknown rule 'nope'", 'warning', 'off'], ["Rule 'no-sudo' must be one of off, info, warning, error", 'error', 'never']], false],
    ['preset: baseline\n', 'baseline preset', [], true],
  ];
  for (const [text, what, expected, usable] of table) {
    test(what, () => {
      assert.deepEqual(graded(text), expected);
      assert.equal(configErrors(parseConfigFile(text).problems).length === 0, usable);
    });
  }

  test('an unknown rule id is left out, the rest applies', () => {
    assert.deepEqual(parseConfigFile('preset: baseline\nrules:\n  no-priviledged: off\n  no-root-user: error\n').layer, { preset: 'baseline', rules: { 'no-root-user': 'error' } });
  });
});

describe('parseConfigFile: bad files', () => {
  test('unknown rule', () => {
    assert.deepEqual(problems('rules:\n  no-such-rule: error\n'), [{ message: "Unknown rule 'no-such-rule'", at: 'error' }]);
    assert.deepEqual(parseConfigFile('rules:\n  no-such-rule: error\n').layer, { rules: {} });
  });

  test('bad severity', () => {
    assert.deepEqual(problems('rules:\n  no-root-user: loud\n'), [{ message: "Rule 'no-root-user' must be one of off, info, warning, error", at: 'loud' }]);
  });

  test('a good rule next to a bad one is kept', () => {
    assert.deepEqual(parseConfigFile('rules:\n  no-root-user: error\n  bogus: off\n').layer, { rules: { 'no-root-user': 'error' } });
  });

  test('bad preset', () => {
    assert.deepEqual(problems('preset: paranoid\n'), [{ message: "preset must be 'baseline', 'recommended' or 'strict'", at: 'paranoid' }]);
  });

  test('defaultUser "0:0" is root', () => {
    assert.deepEqual(problems('defaultUser: "0:0"\n'), [
      { message: 'defaultUser must be a non-root numeric uid or uid:gid, such as "10001:10001"', at: '"0:0"' },
    ]);
  });

  test('defaultUser 0, "root" and "00:1" are rejected', () => {
    for (const v of ['0', '"root"', '"00:1"', '"1000:abc"']) {
      const text = `defaultUser: ${v}\n`;
      assert.deepEqual(problems(text), [{ message: 'defaultUser must be a non-root numeric uid or uid:gid, such as "10001:10001"', at: v }], v);
    }
  });

  test('defaultUser with a root group is allowed (uid decides)', () => {
    assert.deepEqual(parseConfigFile('defaultUser: "1000:0"\n'), { layer: { defaultUser: '1000:0' }, problems: [] });
  });

  test('a list setting given a scalar', () => {
    assert.deepEqual(problems('nonRootImages: myorg/*\n'), [{ message: 'nonRootImages must be a list of strings', at: 'myorg/*' }]);
  });

  test('bad compose.target', () => {
    assert.deepEqual(problems('compose:\n  target: swarm\n'), [{ message: "compose.target must be 'compose' or 'stack'", at: 'swarm' }]);
  });

  test('unknown setting', () => {
    assert.deepEqual(problems('foo: 1\n'), [{ message: "Unknown setting 'foo'", at: '1' }]);
  });

  test('a list at the top', () => {
    assert.deepEqual(problems('- a\n- b\n'), [{ message: 'The configuration must be a map of settings', at: '' }]);
  });

  test('invalid YAML gives a problem with a span', () => {
    const text = 'rules:\n  no-root-user: [error\npreset: strict\n';
    const r = parseConfigFile(text);
    assert.deepEqual(r.layer, {});
    assert.equal(r.problems.length >= 1, true);
    for (const p of r.problems) {
      assert.match(p.message, /^Not valid YAML: /);
      assert.ok(p.span, 'the problem has a span');
      assert.ok(p.span.start <= p.span.end && p.span.start <= text.length, `span ${JSON.stringify(p.span)} is inside the text`);
    }
  });

  test('invalid YAML: exact problem for an unclosed flow sequence', () => {
    const r = parseConfigFile('rules: [a\n');
    assert.deepEqual(r.problems.map((p) => p.span), [{ start: 10, end: 11 }]);
    assert.match(r.problems[0].message, /^Not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/);
  });

  test('duplicate keys are invalid YAML', () => {
    const text = 'rules:\n  no-root-user: off\n  no-root-user: error\n';
    const r = parseConfigFile(text);
    assert.deepEqual(r.layer, {});
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^Not valid YAML: Map keys must be unique/);
    assert.equal(r.problems[0].span?.start, text.lastIndexOf('no-root-user'));
  });
});

describe('validateConfig (editor settings)', () => {
  test('editor-only settings are accepted and ignored', () => {
    assert.deepEqual(validateConfig({ trace: { server: 'verbose' }, enable: true, run: 'onType', preset: 'strict' }), { layer: { preset: 'strict' }, problems: [] });
  });

  test('null and undefined are an empty layer', () => {
    assert.deepEqual(validateConfig(null), { layer: {}, problems: [] });
    assert.deepEqual(validateConfig(undefined), { layer: {}, problems: [] });
  });

  test('problems without a locator have no span', () => {
    assert.deepEqual(validateConfig({ preset: 'x' }), { layer: {}, problems: [{ message: "preset must be 'baseline', 'recommended' or 'strict'", span: undefined }] });
  });
});

describe('mergeConfig', () => {
  test('no layers: the defaults', () => {
    assert.deepEqual(mergeConfig(), DEFAULT_CONFIG);
    assert.deepEqual(mergeConfig(undefined, {}), DEFAULT_CONFIG);
  });

  test('later layers win, rule by rule', () => {
    const c = mergeConfig(
      { preset: 'strict', rules: { 'no-root-user': 'error', 'no-sudo': 'info' }, defaultUser: '2000:2000' },
      { rules: { 'no-root-user': 'off' }, defaultUser: '3000:3000' },
    );
    assert.equal(c.preset, 'strict');
    assert.deepEqual(c.rules, { 'no-root-user': 'off', 'no-sudo': 'info' });
    assert.equal(c.defaultUser, '3000:3000');
  });

  test('nonRootImages add to the defaults without duplicates', () => {
    const c = mergeConfig({ nonRootImages: ['a/*'] }, { nonRootImages: ['a/*', 'b/*'] });
    assert.deepEqual(c.nonRootImages, [...DEFAULT_NON_ROOT_IMAGES, 'a/*', 'b/*']);
  });

  test('trustedRegistries are replaced; ignore globs add up', () => {
    const c = mergeConfig({ trustedRegistries: ['x'], ignore: ['a'] }, undefined, { trustedRegistries: ['y'], ignore: ['b'] });
    assert.deepEqual(c.trustedRegistries, ['y']);
    assert.deepEqual(c.ignore, ['a', 'b']);
  });

  test('compose.target', () => {
    assert.deepEqual(mergeConfig({ compose: { target: 'stack' } }).compose, { target: 'stack' });
    assert.deepEqual(mergeConfig({ compose: { target: 'stack' } }, { compose: {} }).compose, { target: 'stack' });
  });

  test('merging never mutates the defaults or the layers', () => {
    const layer = { rules: { 'no-root-user': 'off' as const }, nonRootImages: ['x/*'] };
    const c = mergeConfig(layer);
    c.rules['no-sudo'] = 'error';
    c.nonRootImages.push('y/*');
    assert.deepEqual(DEFAULT_CONFIG.rules, {});
    assert.deepEqual(DEFAULT_CONFIG.nonRootImages, DEFAULT_NON_ROOT_IMAGES);
    assert.equal(DEFAULT_NON_ROOT_IMAGES.includes('y/*'), false);
    assert.deepEqual(layer, { rules: { 'no-root-user': 'off' }, nonRootImages: ['x/*'] });
  });

  test('a parsed file layered over settings', () => {
    const settings = validateConfig({ rules: { 'no-root-user': 'info' }, defaultUser: '5000' }).layer;
    const file = parseConfigFile('rules:\n  no-root-user: error\n').layer;
    const c = mergeConfig(settings, file);
    assert.equal(c.rules['no-root-user'], 'error');
    assert.equal(c.defaultUser, '5000:5000');
  });
});

describe('mergeConfig: shared defaults', () => {
  test(
    'list settings of a merged config are not the defaults\' own arrays',
    () => {
      const c = mergeConfig();
      try {
        c.ignore.push('tmp/**');
        c.trustedRegistries.push('ghcr.io');
        assert.deepEqual(DEFAULT_CONFIG.ignore, []);
        assert.deepEqual(DEFAULT_CONFIG.trustedRegistries, []);
      } finally {
        DEFAULT_CONFIG.ignore.splice(0);
        DEFAULT_CONFIG.trustedRegistries.splice(0);
      }
    },
  );
});

describe('globs from settings and .bulkhead.yaml: linear, whatever the pattern (issue 11 item 5)', () => {
  test('globMatch: `*` is any run (also none), everything else itself, case ignored', () => {
    const table: [string, string, boolean][] = [
      ['bitnami/*', 'bitnami/redis', true],
      ['bitnami/*', 'bitnami/', true],
      ['bitnami/*', 'bitnamix/redis', false],
      ['*-unprivileged', 'nginxinc/nginx-unprivileged', true],
      ['*-unprivileged', 'nginx-unprivileged-x', false],
      ['gcr.io/distroless/*', 'GCR.IO/Distroless/static', true],
      ['*-chiseled*', '8.0-jammy-chiseled-extra', true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYbZc', true],
      ['a*b*c', 'aXbYcZ', false],
      ['a.b', 'axb', false],
      ['a?b', 'axb', false],
      ['a?b', 'a?b', true],
      ['', '', true],
      ['*', '', true],
      ['**', 'anything/at/all', true],
      ['x', '', false],
    ];
    for (const [glob, text, want] of table) assert.equal(globMatch(glob, text), want, `${glob} ~ ${text}`);
  });

  test('matchesImagePattern and matchesRegistry keep their meaning', () => {
    const images: [string, string, boolean][] = [
      ['gcr.io/distroless/static:nonroot', 'gcr.io/distroless/*:nonroot', true],
      ['gcr.io/distroless/static:latest', 'gcr.io/distroless/*:nonroot', false],
      ['docker.io/library/node:20', 'node', true],
      ['bitnami/redis:7', 'bitnami/*', true],
      ['mcr.microsoft.com/dotnet/runtime:8.0-jammy-chiseled', 'mcr.microsoft.com/dotnet/*:*-chiseled*', true],
    ];
    for (const [ref, pat, want] of images) assert.equal(matchesImagePattern(ref, pat), want, `${ref} ~ ${pat}`);
    const registries: [string, string, boolean][] = [
      ['123.dkr.ecr.eu-west-1.amazonaws.com/app:1', '*.dkr.ecr.*.amazonaws.com', true],
      ['evil.com/123.dkr.ecr.eu-west-1.amazonaws.com/app:1', '*.dkr.ecr.*.amazonaws.com', false],
      ['ghcr.io/myorg/app:1', 'ghcr.io/myorg', true],
      ['ghcr.io/other/app:1', 'ghcr.io/myorg', false],
      ['registry.example.com/x', 'REGISTRY.example.com', true],
    ];
    for (const [ref, entry, want] of registries) assert.equal(matchesRegistry(ref, entry), want, `${ref} ~ ${entry}`);
  });

  test('nonRootImages ["********x"] from .bulkhead.yaml against long names returns (30 stars, 200 characters)', () => {
    const { layer, problems } = parseConfigFile(`nonRootImages:\n  - "${'*'.repeat(30)}x"\n  - "${'*a'.repeat(30)}b"\ntrustedRegistries: ["${'*'.repeat(30)}x"]\n`);
    assert.deepEqual(problems, []);
    assert.deepEqual(mergeConfig(layer).nonRootImages.slice(-2), layer.nonRootImages);
    const name = 'a'.repeat(200);
    for (const pattern of layer.nonRootImages!) {
      assert.equal(matchesImagePattern(`${name}:${name}`, pattern), false);
      assert.equal(matchesImagePattern(`${name}x`, pattern), pattern.endsWith('x'));
    }
    assert.equal(matchesRegistry(`${'a'.repeat(200)}.com/app`, layer.trustedRegistries![0]), false);
  });

  test('`ignore` globs (the ignore package) with pathological patterns return', () => {
    const patterns = [`${'*'.repeat(30)}x`, `${'*a'.repeat(15)}b`, `${'**/'.repeat(15)}x`, `${'a*'.repeat(15)}b`, `${'?'.repeat(30)}x`];
    const ig = ignore().add(patterns);
    const paths = ['a'.repeat(200), `${'a/'.repeat(100)}c`, `${'a'.repeat(199)}c`];
    assert.deepEqual(paths.map((p) => ig.ignores(p)), [false, false, false]);
    assert.equal(ig.ignores(`${'a'.repeat(199)}x`), true);
  });
});

describe('defaultLimits (resource-limits fix)', () => {
  test('defaults, a partial layer keeps the other keys, units normalised', () => {
    assert.deepEqual(DEFAULT_CONFIG.defaultLimits, { memory: '512m', cpus: '1', pids: 200 });
    const { layer, problems } = parseConfigFile('defaultLimits:\n  memory: 1Gi\n  cpus: 0.5\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(mergeConfig(layer).defaultLimits, { memory: '1g', cpus: '0.5', pids: 200 });
    assert.deepEqual(mergeConfig({ defaultLimits: { pids: 50 } }, layer).defaultLimits, { memory: '1g', cpus: '0.5', pids: 50 });
  });

  test('bad values are problems with spans, good ones kept', () => {
    const text = 'defaultLimits:\n  memory: lots\n  cpus: -1\n  pids: 2.5\n  disk: 1g\n';
    const { layer, problems } = parseConfigFile(text);
    assert.deepEqual(
      problems.map((p) => [p.message, text.slice(p.span!.start, p.span!.end)]),
      [
        ['defaultLimits.memory must be a size with a unit, such as "512m" or "1g" (binary units: 512m is 512 MiB)', 'lots'],
        ['defaultLimits.cpus must be a positive number of CPUs, such as 1 or 0.5', '-1'],
        ['defaultLimits.pids must be a positive whole number, such as 200', '2.5'],
        ["Unknown setting 'defaultLimits.disk'", '1g'],
      ],
    );
    assert.deepEqual(layer.defaultLimits, {});
    assert.deepEqual(validateConfig({ defaultLimits: 'big' }).problems.map((p) => p.message), ['defaultLimits must be a map with memory, cpus and pids']);
  });
});

describe('kubernetes.emptyDirMedium (read-only fixes)', () => {
  test('default, Memory from a file, bad value and unknown key are problems with spans', () => {
    assert.deepEqual(DEFAULT_CONFIG.kubernetes, { emptyDirMedium: 'default' });
    const ok = parseConfigFile('kubernetes:\n  emptyDirMedium: Memory\n');
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(mergeConfig(ok.layer).kubernetes, { emptyDirMedium: 'Memory' });
    assert.deepEqual(mergeConfig(ok.layer, { kubernetes: { emptyDirMedium: 'default' } }).kubernetes, { emptyDirMedium: 'default' });
    const text = 'kubernetes:\n  emptyDirMedium: memory\n  medium: Memory\n';
    const bad = parseConfigFile(text);
    assert.deepEqual(
      bad.problems.map((p) => [p.message, text.slice(p.span!.start, p.span!.end)]),
      [
        ["Unknown setting 'kubernetes.medium'", 'Memory'],
        ["kubernetes.emptyDirMedium must be 'default' or 'Memory'", 'memory'],
      ],
    );
    assert.equal(mergeConfig(bad.layer).kubernetes.emptyDirMedium, 'default');
  });

  test('the VS Code setting bulkhead.kubernetes.emptyDirMedium arrives nested', () => {
    const { layer, problems } = validateConfig({ kubernetes: { emptyDirMedium: 'Memory' } });
    assert.deepEqual(problems, []);
    assert.deepEqual(layer.kubernetes, { emptyDirMedium: 'Memory' });
  });
});

test('kubernetes.emptyDirMedium: contributed as a VS Code setting, in the .bulkhead.yaml schema and in the README settings table', () => {
  const read = (p: string) => readFileSync(join(__dirname, '../../../..', p), 'utf8');
  const setting = JSON.parse(read('package.json')).contributes.configuration.properties['bulkhead.kubernetes.emptyDirMedium'];
  assert.deepEqual([setting.enum, setting.default], [['default', 'Memory'], 'default']);
  assert.deepEqual(JSON.parse(read('docs/bulkhead.schema.json')).properties.kubernetes.properties.emptyDirMedium.enum, ['default', 'Memory']);
  assert.ok(read('README.md').includes('| `bulkhead.kubernetes.emptyDirMedium` | `default` |'));
});
