/**
 * String facts (server/src/core/model/strings.ts): every string a container owns, merges and
 * aliases resolved, and every other string of each document, with exact paths, spans and
 * origins; the setters that edit inside a scalar keeping its quoting.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/core/engine';
import type { StringFact } from '../../../server/src/core/model/container';
import { buildComposeModel, type ComposeModel } from '../../../server/src/core/model/fromCompose';
import { buildKubernetesModel, type KubernetesModel } from '../../../server/src/core/model/fromKubernetes';
import { parseYamlFile, YamlDocCache } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';

function compose(text: string): ComposeModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildComposeModel({ text, index: new TextIndex(text) }, docs, { nonRootImages: [], target: 'compose' });
}

function kube(text: string): KubernetesModel {
  const docs = parseYamlFile(text, new YamlDocCache());
  return buildKubernetesModel({ text, index: new TextIndex(text) }, docs);
}

/** A fact as a row: site, path, name, the value as read, the text at [start, start+raw), origin, item. */
function row(text: string, f: StringFact): string {
  const at = text.slice(f.start, f.start + f.raw.length);
  const extra = [
    f.name !== undefined ? `name=${f.name}@${f.nameSpan ? text.slice(f.nameSpan.start, f.nameSpan.end) : '-'}` : '',
    f.bare ? 'bare' : '',
    f.item !== undefined ? `item=${f.item}` : '',
    f.within ? `within=${f.within}` : '',
    f.origin !== 'own' ? f.origin : '',
    f.object ? `object=${f.object.kind}/${f.object.name ?? '-'}${f.object.namespace ? `/${f.object.namespace}` : ''}` : '',
    f.env ? `env=${f.env.name}` : '',
  ].filter(Boolean);
  return `${f.site} ${f.path.join('.')} ${JSON.stringify(f.value)} at ${JSON.stringify(at)} ${f.quote}${extra.length ? ` ${extra.join(' ')}` : ''}`;
}

describe('string facts: Compose', () => {
  const cases: { name: string; text: string; service?: string; want: string[]; other?: string[] }[] = [
    {
      name: 'environment map and list, build args, labels, command, entrypoint, healthcheck',
      text:
        'services:\n  api:\n    image: a:1\n    environment:\n      A: "x y"\n      B:\n    build:\n      context: .\n      args:\n        - TOKEN=abc\n        - BARE\n' +
        '    labels: {l.k: v}\n    command: ["run", \'--pw\', "s3"]\n    entrypoint: sh -c "echo hi"\n    healthcheck:\n      test: [CMD-SHELL, curl -u a:b x]\n',
      want: [
        'environment environment.A "x y" at "x y" double name=A@A env=A',
        'environment environment.B "" at "" plain name=B@B bare env=B',
        'build-arg build.args.0 "abc" at "abc" plain name=TOKEN@TOKEN',
        'build-arg build.args.1 "" at "" plain name=BARE@BARE bare',
        'label labels.l.k "v" at "v" plain name=l.k@l.k',
        'command command.0 "run" at "run" double item=0',
        'command command.1 "--pw" at "--pw" single item=1',
        'command command.2 "s3" at "s3" double item=2',
        'entrypoint entrypoint "sh -c \\"echo hi\\"" at "sh -c \\"echo hi\\"" plain',
        'healthcheck healthcheck.test.0 "CMD-SHELL" at "CMD-SHELL" plain item=0',
        'healthcheck healthcheck.test.1 "curl -u a:b x" at "curl -u a:b x" plain item=1',
      ],
      other: ['other services.api.image "a:1" at "a:1" plain', 'other services.api.build.context "." at "." plain'],
    },
    {
      name: 'a merge key inside environment: the merged values belong to the service (origin merged); own keys win',
      text: 'x-env: &common\n  DB_PASSWORD: hunter2\n  LOG: info\nservices:\n  api:\n    image: a:1\n    environment:\n      <<: *common\n      LOG: debug\n',
      want: [
        'environment environment.LOG "debug" at "debug" plain name=LOG@LOG env=LOG',
        'environment environment.DB_PASSWORD "hunter2" at "hunter2" plain name=DB_PASSWORD@DB_PASSWORD merged env=DB_PASSWORD',
      ],
      other: ['other x-env.LOG "info" at "info" plain', 'other services.api.image "a:1" at "a:1" plain'],
    },
    {
      name: 'a service merged from an anchor, and an aliased environment',
      text: 'x-base: &base\n  image: a:1\n  environment: &env\n    API_KEY: k1\nservices:\n  web:\n    <<: *base\n  worker:\n    image: b:1\n    environment: *env\n',
      service: 'worker',
      want: ['environment environment.API_KEY "k1" at "k1" plain name=API_KEY@API_KEY merged env=API_KEY'],
    },
    {
      name: 'quoted list items: spans inside the quotes, the name before =',
      text: "services:\n  api:\n    image: a:1\n    environment:\n      - 'PW=it''s'\n      - \"T=a\\tb\"\n",
      want: [
        'environment environment.0 "it\'s" at "it\'\'s" single name=PW@PW env=PW',
        'environment environment.1 "a\\tb" at "a\\\\tb" double name=T@T env=T',
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = compose(c.text);
      const spec = m.containers.find((x) => x.name === (c.service ?? 'api')) ?? m.containers[0];
      assert.deepEqual(spec.strings.map((f) => row(c.text, f)), c.want);
      if (c.other) {
        assert.deepEqual(m.documents.flatMap((d) => d.strings).map((f) => row(c.text, f)), c.other);
      }
    });
  }

  test('strings are built on first read, once', () => {
    const m = compose('services:\n  api:\n    image: a:1\n    environment:\n      A: b\n');
    const spec = m.containers[0];
    assert.equal(typeof Object.getOwnPropertyDescriptor(spec, 'strings')?.get, 'function', 'not built while the model is built');
    const first = spec.strings;
    assert.equal(spec.strings, first, 'the same list on the second read');
    assert.equal(Object.getOwnPropertyDescriptor(spec, 'strings')?.get, undefined);
  });

  test('one document per YAML document; containers by document; top-level secrets; the parsed document as key', () => {
    const text = 'services:\n  a:\n    image: a:1\nsecrets:\n  s1:\n    file: ./s1.txt\n  s2:\n    external: true\n---\nservices:\n  b:\n    image: b:1\n';
    const m = compose(text);
    assert.deepEqual(m.documents.map((d) => d.containers.map((c) => c.name)), [['a'], ['b']]);
    assert.deepEqual([...m.documents[0].declaredSecrets], [['s1', './s1.txt'], ['s2', null]]);
    assert.notEqual(m.documents[0].key, m.documents[1].key);
    const again = parseYamlFile(text, new YamlDocCache());
    assert.ok(again[0].doc !== m.documents[0].key, 'a fresh parse is a fresh key');
  });
});

describe('string facts: Kubernetes', () => {
  const manifest =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    a/b: c\nspec:\n  template:\n    metadata:\n      annotations:\n        t: u\n    spec:\n      containers:\n        - name: app\n          image: x:1\n' +
    '          env:\n            - name: PW\n              value: "p1"\n            - name: REF\n              valueFrom: {secretKeyRef: {name: s, key: k}}\n          args: [--pw, p2]\n' +
    '          livenessProbe:\n            exec:\n              command: [sh, -c, ok]\n            httpGet:\n              httpHeaders:\n                - name: Authorization\n                  value: Bearer t\n          lifecycle:\n            preStop:\n              exec:\n                command: stop\n' +
    '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: pw\ndata:\n  token: dG9r\n---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: sealed\nspec:\n  encryptedData:\n    password: AgBy\n' +
    '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: enc\nstringData:\n  password: ENC[x]\nsops:\n  version: 3.9.0\n';

  test('container strings: env value (linked), args, exec probe, header, hook; object named', () => {
    const m = kube(manifest);
    const obj = 'object=Deployment/web/shop';
    assert.deepEqual(m.containers[0].strings.map((f) => row(manifest, f)), [
      `environment env.0.value "p1" at "p1" double name=PW@PW ${obj} env=PW`,
      `args args.0 "--pw" at "--pw" plain item=0 ${obj}`,
      `args args.1 "p2" at "p2" plain item=1 ${obj}`,
      `probe livenessProbe.exec.command.0 "sh" at "sh" plain item=0 within=livenessProbe ${obj}`,
      `probe livenessProbe.exec.command.1 "-c" at "-c" plain item=1 within=livenessProbe ${obj}`,
      `probe livenessProbe.exec.command.2 "ok" at "ok" plain item=2 within=livenessProbe ${obj}`,
      `header livenessProbe.httpGet.httpHeaders.0.value "Bearer t" at "Bearer t" plain name=Authorization@Authorization within=livenessProbe ${obj}`,
      `hook lifecycle.preStop.exec.command "stop" at "stop" plain within=preStop ${obj}`,
    ]);
  });

  test('file strings: annotations, Secret data and stringData, SealedSecret and SOPS documents marked', () => {
    const m = kube(manifest);
    assert.deepEqual(m.documents.map((d) => d.sops), [false, false, false, true]);
    const rows = m.documents.slice(1, 3).flatMap((d) => d.strings).map((f) => row(manifest, f));
    assert.deepEqual(rows, [
      'data data.token "dG9r" at "dG9r" plain name=token@token object=Secret/db',
      'stringData stringData.password "pw" at "pw" plain name=password@password object=Secret/db',
      'other apiVersion "v1" at "v1" plain object=Secret/db',
      'other kind "Secret" at "Secret" plain object=Secret/db',
      'other metadata.name "db" at "db" plain object=Secret/db',
      'other apiVersion "bitnami.com/v1alpha1" at "bitnami.com/v1alpha1" plain object=SealedSecret/sealed',
      'other kind "SealedSecret" at "SealedSecret" plain object=SealedSecret/sealed',
      'other metadata.name "sealed" at "sealed" plain object=SealedSecret/sealed',
      'other spec.encryptedData.password "AgBy" at "AgBy" plain object=SealedSecret/sealed',
    ]);
    const first = m.documents[0].strings.map((f) => row(manifest, f));
    assert.deepEqual(first.filter((r) => r.startsWith('annotation')), [
      'annotation metadata.annotations.a/b "c" at "c" plain name=a/b@a/b object=Deployment/web/shop',
      'annotation spec.template.metadata.annotations.t "u" at "u" plain name=t@t object=Deployment/web/shop',
    ]);
    assert.ok(!first.some((r) => r.includes('"p1"') || r.includes('"p2"')), 'container strings are not file strings');
  });
});

describe('string facts: read and replace keep the scalar quoting', () => {
  const cases: { name: string; value: string; inFlow?: boolean; from: number; to: number; text: string; want: string | null; read?: string | null }[] = [
    { name: 'plain, whole', value: 'hunter2', from: 0, to: 7, text: '${PW}', want: 'A: ${PW}\n', read: 'hunter2' },
    { name: 'plain, a part', value: 'postgres://u:pw@h', from: 13, to: 15, text: '${PW}', want: 'A: postgres://u:${PW}@h\n', read: 'pw' },
    { name: 'single quotes: the quote is doubled', value: "'it''s'", from: 0, to: 5, text: "a'b", want: "A: 'a''b'\n", read: "it's" },
    { name: 'double quotes: escaped', value: '"pw"', from: 0, to: 2, text: 'a"b', want: 'A: "a\\"b"\n', read: 'pw' },
    { name: 'double quotes with an escape in the range: refused', value: '"a\\tb"', from: 0, to: 4, text: 'x', want: null, read: null },
    { name: 'a plain scalar that would end early (": "): quoted when whole', value: 'pw', from: 0, to: 2, text: 'a: b', want: 'A: "a: b"\n' },
    { name: 'a plain scalar that would end early, a part: refused', value: 'pwxy', from: 0, to: 2, text: 'a #b', want: null },
    { name: 'block scalar: refused', value: '|\n  secret', from: 0, to: 6, text: 'x', want: null, read: null },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = `A: ${c.value}\n`;
      const m = compose(`services:\n  s:\n    image: a:1\n    environment:\n${text.replace(/^/gm, '      ').replace(/ +$/, '')}`);
      const f = m.containers[0].strings[0];
      const full = `services:\n  s:\n    image: a:1\n    environment:\n${text.replace(/^/gm, '      ').replace(/ +$/, '')}`;
      const plan = f.replace(f.start + c.from, f.start + c.to, c.text);
      const out = plan ? applyEdits(full, plan.build()!.edits) : null;
      assert.equal(out === null ? null : out.slice(full.indexOf('A:')).replace(/^ +/gm, ''), c.want);
      if (c.read !== undefined) assert.equal(f.read(f.start + c.from, f.start + c.to), c.read);
    });
  }

  test('a whole plain scalar in a flow map is double-quoted; a part is refused', () => {
    const text = 'services:\n  s:\n    image: a:1\n    environment: {A: pw1, B: x-pw2}\n';
    const [a, b] = compose(text).containers[0].strings;
    assert.equal(a.inFlow, true);
    assert.equal(applyEdits(text, a.replace(a.start, a.start + 3, '${A}')!.build()!.edits), 'services:\n  s:\n    image: a:1\n    environment: {A: "${A}", B: x-pw2}\n');
    assert.equal(b.replace(b.start + 2, b.start + 5, '${B}'), null);
  });

  test('the value of a NAME=value item in a flow sequence: never quoted alone (the item is one scalar), refused', () => {
    const text = 'services:\n  s: {image: a, environment: [DB_PASSWORD=hunter2, B=x]}\n';
    const [a] = compose(text).containers[0].strings;
    assert.equal(a.name, 'DB_PASSWORD');
    assert.equal(a.replace(a.start, a.start + a.raw.length, '${DB_PASSWORD}'), null);
    assert.equal(applyEdits(text, a.replace(a.start, a.start + a.raw.length, 'other')!.build()!.edits), text.replace('hunter2', 'other'));
  });

  test('the value of a NAME=value item in a block sequence: replaced inside the item', () => {
    const text = 'services:\n  s:\n    image: a\n    environment:\n      - "DB_PASSWORD=hunter2"\n';
    const [a] = compose(text).containers[0].strings;
    assert.equal(applyEdits(text, a.replace(a.start, a.start + a.raw.length, '${DB_PASSWORD}')!.build()!.edits), text.replace('hunter2', '${DB_PASSWORD}'));
  });
});
