/**
 * The image knowledge table: which family an image reference resolves to (tags, digests,
 * registries, major-version ranges, variant tags), and the table's own consistency: every
 * entry has a source, every pattern is reachable (no earlier entry shadows it: more
 * specific rows first), and the facts agree with each other.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE_DATA } from '../../../server/src/core/model/imageData';
import { USER_IMAGE_DATA } from '../../../server/src/core/model/imageDataUsers';
import { lookupImage, type ImageKnowledge } from '../../../server/src/core/model/imageTable';
import { parseImageRef } from '../../../server/src/core/model/images';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** ref -> expected family (null: the table knows nothing about it). */
const CASES: [ref: string, family: string | null][] = [
  // registries and the Docker Hub spellings
  ['nginx', 'nginx'],
  ['nginx:1.27-alpine', 'nginx'],
  ['docker.io/library/nginx:stable', 'nginx'],
  ['docker.io/nginx', 'nginx'],
  ['library/nginx:latest', 'nginx'],
  ['index.docker.io/library/nginx', 'nginx'],
  [`nginx@${DIGEST}`, 'nginx'],
  [`nginx:1.27@${DIGEST}`, 'nginx'],
  ['ghcr.io/acme/nginx:1.27', null],
  ['registry.example.com:5000/nginx', null],
  ['nginxinc/nginx-unprivileged:stable-alpine', 'nginx-unprivileged'],
  ['nginx/nginx-unprivileged', 'nginx-unprivileged'],
  ['nginx-proxy', null],
  // variants before the general row
  ['httpd:2.4-alpine', 'httpd (alpine)'],
  ['httpd:2.4', 'httpd'],
  ['php:8.3-apache', 'php-apache'],
  ['php:8.3-fpm-alpine3.20', 'php-fpm (alpine)'],
  ['php:fpm', 'php-fpm'],
  ['php:8.3-cli', null],
  ['wordpress', 'wordpress'],
  ['wordpress:6.6-php8.3-apache', 'wordpress'],
  ['wordpress:cli-2.11.0-php8.3', 'wordpress cli'],
  ['wordpress:6-fpm-alpine', 'wordpress fpm (alpine)'],
  ['wordpress:php8.3-fpm', 'wordpress fpm'],
  ['nextcloud:31-apache', 'nextcloud'],
  ['nextcloud:fpm-alpine', 'nextcloud fpm (alpine)'],
  ['drupal:11-fpm', 'drupal fpm'],
  ['drupal:11', 'drupal'],
  ['mediawiki:1.42-fpm-alpine', 'mediawiki fpm (alpine)'],
  ['mediawiki', 'mediawiki'],
  ['caddy:2-builder-alpine', 'caddy builder'],
  ['caddy:2.8', 'caddy'],
  // major-version ranges; untagged and latest count as newest
  ['redis:7', 'redis'],
  ['redis:7.2.5-alpine', 'redis'],
  ['redis:6', 'redis'],
  ['redis:8', 'redis 8+'],
  ['redis:8.0-bookworm', 'redis 8+'],
  ['redis:latest', 'redis 8+'],
  ['redis', 'redis 8+'],
  [`redis@${DIGEST}`, 'redis 8+'],
  [`redis:7.4@${DIGEST}`, 'redis'],
  ['docker.io/library/redis:7.2', 'redis'],
  ['redis:alpine', null],
  ['bitnami/redis:7.2', 'bitnami (non-root)'],
  ['postgres:13', 'postgres <= 17'],
  ['docker.io/library/postgres:17.2-bookworm', 'postgres <= 17'],
  ['postgres:18', 'postgres 18+'],
  ['postgres', 'postgres 18+'],
  ['postgres:17-alpine', 'postgres (alpine) <= 17'],
  ['postgres:18-alpine3.22', 'postgres (alpine) 18+'],
  ['postgres:alpine', 'postgres (alpine) 18+'],
  ['postgres:trixie', 'postgres 18+'],
  ['haproxy:2.2', null],
  ['haproxy:2.4', 'haproxy 2.4-2.9'],
  ['haproxy:2.8-alpine', 'haproxy 2.4-2.9'],
  ['haproxy:3.2', 'haproxy'],
  ['haproxy', 'haproxy'],
  ['haproxy:lts', null],
  ['elasticsearch:7.17.10', 'elasticsearch <= 7'],
  ['docker.elastic.co/elasticsearch/elasticsearch:8.15.0', 'elasticsearch 8'],
  ['docker.elastic.co/elasticsearch/elasticsearch:9.1.2', 'elasticsearch 9+'],
  ['docker.elastic.co/kibana/kibana:8.11.0', 'kibana <= 8'],
  ['kibana:9.0.0', 'kibana 9+'],
  ['docker.elastic.co/logstash/logstash:8.15.0', 'logstash'],
  ['logstash:6.8.0', null],
  ['influxdb:2.7-alpine', 'influxdb 2'],
  ['influxdb:latest', 'influxdb 2'],
  ['influxdb:3-core', 'influxdb 3'],
  ['influxdb:core', 'influxdb 3'],
  ['influxdb:1.8', null],
  ['influxdb', null],
  ['telegraf:1.30', 'telegraf'],
  ['telegraf:1.21.4-alpine', 'telegraf'],
  ['telegraf:1.18', null],
  ['telegraf:1.3', null],
  ['sonarqube:9.9-community', 'sonarqube'],
  ['sonarqube:community', 'sonarqube'],
  ['sonarqube', 'sonarqube'],
  ['sonarqube:7.1', null],
  ['quay.io/keycloak/keycloak:26.0', 'keycloak'],
  ['quay.io/keycloak/keycloak:16.1.1', null],
  ['keycloak/keycloak:26.0', null],
  // vendors and other registries
  ['mongo:7', 'mongo'],
  ['mongo-express', null],
  ['rabbitmq:4-management', 'rabbitmq'],
  ['rabbitmq:4-management-alpine', 'rabbitmq (alpine)'],
  ['memcached:1.6-alpine', 'memcached'],
  ['zookeeper:3.9', 'zookeeper'],
  ['grafana/grafana-oss:11.0.0', 'grafana'],
  ['grafana/grafana', 'grafana'],
  ['grafana/grafana:5.0.4', null],
  ['quay.io/prometheus/prometheus:v2.53.0', 'prometheus'],
  ['prom/prometheus', 'prometheus'],
  ['prom/prometheus:v1.8.2', null],
  ['jenkins/jenkins:lts-jdk17', 'jenkins'],
  ['jenkins', null],
  ['quay.io/minio/minio:RELEASE.2024-06-13T22-53-53Z', 'minio'],
  ['trinodb/trino:450', 'trino'],
  ['confluentinc/cp-kafka:7.6.1', 'cp-kafka'],
  ['confluentinc/cp-zookeeper:7.6.1', null],
  ['selenium/standalone-chrome:latest', 'selenium'],
  ['selenium/node-firefox:4.20', 'selenium'],
  ['selenium/hub', null],
  ['hashicorp/vault:1.17', 'vault'],
  ['hashicorp/consul:1.19-ubi', 'consul (ubi)'],
  ['hashicorp/consul:1.19', 'consul'],
  ['registry:2', 'registry'],
  ['vaultwarden/server:latest', 'vaultwarden'],
  ['adminer:5-fastcgi', 'adminer'],
  ['ghost:5-alpine', 'ghost'],
  ['traefik:v3.1', 'traefik'],
  ['bitnami/postgresql:16', 'bitnami (non-root)'],
  ['bitnami/git', 'bitnami git'],
  ['bitnami/kafka', null],
  ['gcr.io/distroless/static-debian12:nonroot', 'distroless nonroot'],
  ['gcr.io/distroless/base-debian12:debug-nonroot', 'distroless nonroot'],
  ['gcr.io/distroless/java21-debian12:latest', 'distroless'],
  ['gcr.io/distroless/static-debian12', 'distroless'],
  ['cgr.dev/chainguard/static:latest', 'chainguard static'],
  ['cgr.dev/chainguard/nginx', null],
  // runtimes and bases
  ['node:20-alpine', 'node'],
  ['python:3.12-slim', 'python'],
  ['golang:1.22', 'golang'],
  ['ruby:3.3', 'ruby'],
  ['eclipse-temurin:21-jre', 'eclipse-temurin'],
  ['openjdk:21', 'openjdk'],
  ['busybox:1.36', 'busybox'],
  ['alpine:3.20', 'alpine'],
  ['debian:bookworm-slim', 'debian'],
  ['ubuntu:24.04', 'ubuntu'],
  ['myorg/app:1.0', null],
  ['', null],
];

describe('lookupImage: image reference -> family', () => {
  for (const [ref, family] of CASES) {
    test(`${ref || '(empty)'} -> ${family ?? 'unknown'}`, () => {
      assert.equal(lookupImage(ref)?.family ?? null, family);
    });
  }

  test('null and undefined are unknown', () => {
    assert.equal(lookupImage(null), null);
    assert.equal(lookupImage(undefined), null);
  });

  test('facts the rules depend on', () => {
    const pick = (ref: string) => {
      const e = lookupImage(ref);
      assert.ok(e, ref);
      return { startsAs: e.startsAs, runsAs: e.runsAs, uid: e.uid, stepsDown: e.stepsDown };
    };
    assert.deepEqual(pick('docker.elastic.co/elasticsearch/elasticsearch:9.0.0'), { startsAs: 'nonroot', runsAs: '1000', uid: 1000, stepsDown: false });
    assert.deepEqual(pick('elasticsearch:7.10.1'), { startsAs: 'root', runsAs: '1000', uid: 1000, stepsDown: true });
    assert.deepEqual(pick('quay.io/keycloak/keycloak:25.0'), { startsAs: 'nonroot', runsAs: '1000', uid: 1000, stepsDown: false });
    assert.deepEqual(pick('confluentinc/cp-kafka:7.6.1'), { startsAs: 'nonroot', runsAs: 'appuser', uid: 1000, stepsDown: false });
    assert.deepEqual(pick('selenium/standalone-firefox'), { startsAs: 'nonroot', runsAs: '1200', uid: 1200, stepsDown: false });
    assert.deepEqual(pick('trinodb/trino'), { startsAs: 'nonroot', runsAs: 'trino', uid: 1000, stepsDown: false });
    assert.deepEqual(pick('bitnami/mysql:8.4'), { startsAs: 'nonroot', runsAs: '1001', uid: 1001, stepsDown: false });
    assert.deepEqual(pick('gcr.io/distroless/cc-debian12:nonroot'), { startsAs: 'nonroot', runsAs: '65532', uid: 65532, stepsDown: false });
    assert.deepEqual(pick('jenkins/jenkins'), { startsAs: 'nonroot', runsAs: 'jenkins', uid: 1000, stepsDown: false });
    assert.deepEqual(pick('haproxy:2.6'), { startsAs: 'nonroot', runsAs: 'haproxy', uid: 99, stepsDown: false });
    assert.deepEqual(pick('postgres:16-alpine'), { startsAs: 'root', runsAs: 'postgres', uid: 70, stepsDown: true });
    assert.deepEqual(pick('postgres:16'), { startsAs: 'root', runsAs: 'postgres', uid: 999, stepsDown: true });
    assert.deepEqual(pick('node:22'), { startsAs: 'root', runsAs: null, uid: null, stepsDown: false });
    assert.deepEqual(lookupImage('postgres:17')?.writes, ['/var/lib/postgresql/data', '/var/run/postgresql', '/tmp']);
    assert.deepEqual(lookupImage('postgres:18')?.writes, ['/var/lib/postgresql', '/var/run/postgresql', '/tmp']);
    assert.deepEqual(lookupImage('redis:8')?.capabilities, ['CHOWN', 'FOWNER', 'SETUID', 'SETGID']);
    assert.deepEqual(lookupImage('redis:7')?.capabilities, ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID']);
    assert.deepEqual(lookupImage('caddy')?.capabilities, ['NET_BIND_SERVICE']);
    assert.deepEqual(lookupImage('hashicorp/vault')?.capabilities, ['CHOWN', 'SETFCAP', 'SETUID', 'SETGID']);
    assert.deepEqual(lookupImage('elasticsearch:8.15.0')?.writesShipped, ['/usr/share/elasticsearch/config']);
    assert.equal(lookupImage('elasticsearch:8.15.0')?.writes.includes('/usr/share/elasticsearch/config'), false);
    assert.deepEqual(lookupImage('zookeeper')?.writesShipped, ['/conf']);
    assert.equal(lookupImage('nginx')?.writesShipped, undefined);
  });

  test('a custom table: version prefixes, non-numeric tags fall through, first match wins', () => {
    const base: Omit<ImageKnowledge, 'family' | 'match'> = {
      startsAs: 'root', runsAs: null, uid: null, stepsDown: false, writes: [], capabilities: [], readOnlySafe: false, anyUidSafe: false, source: 's',
    };
    const table: ImageKnowledge[] = [
      { ...base, family: 'a old', match: ['acme/a'], versions: { max: 1 } },
      { ...base, family: 'a new', match: ['acme/a'], versions: { min: 2 } },
      { ...base, family: 'a any', match: ['acme/*'] },
    ];
    const fam = (ref: string) => lookupImage(ref, table)?.family ?? null;
    assert.equal(fam('acme/a:v1.4'), 'a old');
    assert.equal(fam('acme/a:v2'), 'a new');
    assert.equal(fam('acme/a'), 'a new');
    assert.equal(fam('acme/a:edge'), 'a any');
    assert.equal(fam('acme/b:1'), 'a any');
    assert.equal(fam('other/a:1'), null);
  });
});

/** A reference built from a pattern that the pattern (and its version range) accepts. */
function sampleFor(entry: ImageKnowledge, pattern: string): string {
  const { name, tag } = parseImageRef(pattern);
  const v = entry.versions ? (entry.versions.min ?? entry.versions.max) : undefined;
  const n = name.replace(/\*/g, 'x');
  if (tag === null) return v === undefined ? n : `${n}:${v}`;
  let t = tag.replace(/\*/g, '');
  if (v !== undefined && !/^\d/.test(t)) t = `${v}-${t}`;
  return `${n}:${t}`;
}

const CAPABILITIES = new Set([
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'SETUID', 'SETGID', 'SETFCAP', 'SETPCAP',
  'SYS_CHROOT', 'NET_BIND_SERVICE', 'NET_RAW', 'IPC_LOCK', 'KILL',
]);

describe('lookupImage: the table index', () => {
  test('gives the row a scan of every pattern gives, for refs made from every pattern (spellings, tags, versions, digests)', () => {
    const scan = [...IMAGE_DATA, ...USER_IMAGE_DATA]; // another array: lookupImage scans it pattern by pattern
    const refs = new Set<string>(CASES.map(([r]) => r));
    for (const entry of scan) {
      for (const pattern of entry.match) {
        const { name, tag } = parseImageRef(pattern);
        for (const n of [name, name.toUpperCase(), `docker.io/library/${name}`, `docker.io/${name}`, `ghcr.io/x/${name}`, `${name}-extra`]) {
          for (const fill of ['', 'x', 'a-b']) {
            const base = n.replaceAll('*', fill);
            const tags = tag === null ? ['', ':latest', ':1', ':7', ':8.2-alpine', ':v12', ':bookworm', `@${DIGEST}`] : ['', `:${tag.replaceAll('*', fill)}`, ':other'];
            for (const t of tags) refs.add(base + t);
          }
        }
      }
    }
    assert.ok(refs.size > 2000, `${refs.size} refs`);
    let known = 0;
    for (const ref of refs) {
      const indexed = lookupImage(ref);
      assert.equal(indexed, lookupImage(ref, scan), ref);
      if (indexed) known++;
    }
    assert.ok(known > 500, `${known} refs known`);
  });
});

describe('the image table itself', () => {
  test('has at least 30 families', () => {
    // 'postgres (alpine) <= 17', 'redis 8+', 'wordpress cli' are rows of one family
    const families = new Set(IMAGE_DATA.map((e) => e.family.split(' ')[0]));
    assert.ok(families.size >= 30, `only ${families.size} families: ${[...families].join(', ')}`);
  });

  for (const [i, e] of IMAGE_DATA.entries()) {
    test(`#${i} ${e.family}: complete and consistent`, () => {
      assert.ok(e.family.trim(), 'family');
      assert.ok(e.source.trim().length >= 20, 'source names a repository and file');
      assert.match(e.source, /[\w.-]+\/[\w.-]+/, 'source names a repository');
      assert.ok(e.match.length > 0, 'match');
      for (const p of e.match) assert.equal(p, p.trim().toLowerCase(), `pattern ${p} is trimmed lower case`);
      if (e.versions) assert.ok(e.versions.min !== undefined || e.versions.max !== undefined, 'empty version range');
      if (e.versions?.min !== undefined && e.versions.max !== undefined) assert.ok(e.versions.min <= e.versions.max);
      // users
      assert.ok(e.uid === null || (Number.isInteger(e.uid) && e.uid >= 0), 'uid');
      if (e.startsAs === 'nonroot') {
        assert.notEqual(e.uid, 0);
        assert.ok(e.runsAs, 'a non-root image names its user');
        assert.equal(e.stepsDown, false, 'a non-root start cannot step down');
        assert.deepEqual(e.capabilities, [], 'a non-root start needs no capability');
      }
      if (e.runsAs !== null && /^\d+$/.test(e.runsAs)) assert.equal(e.uid, Number(e.runsAs), 'numeric runsAs is the uid');
      if (e.stepsDown) {
        assert.equal(e.startsAs, 'root');
        assert.ok(e.runsAs, 'steps down to a named user');
        assert.ok(e.capabilities.includes('SETUID') && e.capabilities.includes('SETGID'), 'stepping down needs SETUID and SETGID');
      }
      if (e.startsAs === 'root' && !e.stepsDown) assert.equal(e.runsAs, null, 'a root image that keeps root has no runsAs');
      // capabilities: Docker names without CAP_, no duplicates
      for (const c of e.capabilities) assert.ok(CAPABILITIES.has(c), `unknown capability ${c}`);
      assert.equal(new Set(e.capabilities).size, e.capabilities.length, 'duplicate capability');
      // writes: absolute, normalised, no duplicates, most specific (no path inside another)
      for (const w of e.writes) assert.match(w, /^\/[^*]*[^/]$/, `path ${w}`);
      assert.equal(new Set(e.writes).size, e.writes.length, 'duplicate path');
      for (const a of e.writes) {
        for (const b of e.writes) assert.ok(a === b || !b.startsWith(`${a}/`), `${b} lies inside ${a}`);
      }
      if (e.readOnlySafe) assert.ok(e.writes.length > 0 || e.family === 'memcached', 'read-only safe with unknown writes');
      // shipped directories: never a tmpfs, so never read-only safe, and no tmpfs at `writes` may hide one
      const shipped = e.writesShipped ?? [];
      for (const w of shipped) assert.match(w, /^\/[^*]*[^/]$/, `path ${w}`);
      if (e.writesShipped) assert.ok(shipped.length > 0, 'writesShipped is absent or non-empty');
      if (shipped.length) assert.equal(e.readOnlySafe, false, 'read-only safe although it writes into shipped directories');
      for (const s of shipped) {
        for (const w of e.writes) assert.ok(s !== w && !s.startsWith(`${w}/`), `a tmpfs at ${w} would hide shipped ${s}`);
      }
    });
  }

  test('every pattern is reachable: no earlier entry shadows a later one', () => {
    const shadowed: string[] = [];
    for (const e of IMAGE_DATA) {
      for (const p of e.match) {
        const ref = sampleFor(e, p);
        const hit = lookupImage(ref);
        if (hit !== e) shadowed.push(`${p} (${e.family}) as ${ref} -> ${hit?.family ?? 'nothing'}`);
      }
    }
    assert.deepEqual(shadowed, []);
  });

  test('rows of one family with the same patterns do not overlap in versions', () => {
    const overlaps: string[] = [];
    for (const [i, a] of IMAGE_DATA.entries()) {
      for (const b of IMAGE_DATA.slice(i + 1)) {
        if (!a.match.some((p) => b.match.includes(p))) continue;
        const lo = (e: ImageKnowledge) => e.versions?.min ?? Number.NEGATIVE_INFINITY;
        const hi = (e: ImageKnowledge) => e.versions?.max ?? Number.POSITIVE_INFINITY;
        if (lo(a) <= hi(b) && lo(b) <= hi(a)) overlaps.push(`${a.family} / ${b.family}`);
      }
    }
    assert.deepEqual(overlaps, []);
  });
});
