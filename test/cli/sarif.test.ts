/** CLI: SARIF 2.1.0 output (CONTRACT.md "SARIF"), validated against the official schema. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SUMMARIES } from '../../server/src/core/summaries';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Log, Result, ReportingDescriptor } from 'sarif';
import { CLEAN, PKG_VERSION, ROOT, ROOT_USER, run, tmp } from './helpers';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function sarif(args: string[], cwd: string): { status: number | null; text: string; log: Log; stderr: string } {
  const r = run(['--format', 'sarif', ...args], { cwd });
  let log: Log;
  try {
    log = JSON.parse(r.stdout) as Log;
  } catch (e) {
    assert.fail(`SARIF output is not JSON (exit ${r.status}): ${(e as Error).message}\n${r.stderr}`);
  }
  return { status: r.status, text: r.stdout, log, stderr: r.stderr };
}

function assertValid(log: Log): void {
  const ok = validate(log);
  assert.ok(ok, `SARIF schema errors:\n${JSON.stringify(validate.errors, null, 2)}`);
}

describe('cli: SARIF', () => {
  test('valid against the SARIF 2.1.0 schema, one run, exit code as for other formats', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'clean/Dockerfile': CLEAN });
    const s = sarif([], dir);
    assert.equal(s.status, 1, s.stderr);
    assertValid(s.log);
    assert.equal(s.log.version, '2.1.0');
    assert.equal(s.log.runs.length, 1);
    const driver = s.log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'bulkhead');
    assert.equal(driver.version, PKG_VERSION);
  });

  test('an empty result set is valid too', (t) => {
    const dir = tmp(t, { Dockerfile: CLEAN });
    const s = sarif([], dir);
    assert.equal(s.status, 0, s.stderr);
    assertValid(s.log);
    assert.deepEqual(s.log.runs[0]!.results, []);
  });

  test('tool.driver.rules describes no-root-user', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const s = sarif([], dir);
    const rules = s.log.runs[0]!.tool.driver.rules ?? [];
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    const rule = rules.find((r) => r.id === 'no-root-user') as ReportingDescriptor;
    assert.ok(rule, 'no-root-user is in tool.driver.rules');
    // the page installed with the CLI: works offline, and no guessed web address
    assert.equal(rule.helpUri, pathToFileURL(path.join(ROOT, 'docs', 'rules', 'no-root-user.md')).href);
    assert.ok(fs.existsSync(fileURLToPath(rule.helpUri!)), rule.helpUri);
    assert.equal(rule.shortDescription?.text, 'The container runs as root');
    assert.equal(rule.fullDescription?.text, `The container runs as root. ${SUMMARIES['no-root-user'].why}`);
    assert.equal(rule.help?.text, `${SUMMARIES['no-root-user'].why} Fix: ${SUMMARIES['no-root-user'].fix}`);
    assert.equal(s.log.runs[0]!.tool.driver.informationUri, undefined, 'no repository address that does not exist');
    assert.equal(rule.defaultConfiguration?.level, 'warning');
    const sev = rule.properties?.['security-severity'] as unknown;
    assert.equal(typeof sev, 'string');
    const n = Number(sev);
    assert.ok(Number.isFinite(n) && n >= 0 && n <= 10, `security-severity ${String(sev)}`);
  });

  test('result: ruleId, level, 1-based region, fingerprints, relative URI', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const s = sarif([], dir);
    const run0 = s.log.runs[0]!;
    const results = run0.results ?? [];
    assert.equal(results.length, 1);
    const r = results[0] as Result;
    assert.equal(r.ruleId, 'no-root-user');
    assert.equal(r.level, 'warning');
    assert.ok((r.message.text ?? '').length > 0);
    if (r.ruleIndex !== undefined) assert.equal(run0.tool.driver.rules?.[r.ruleIndex]?.id, 'no-root-user');
    const loc = r.locations?.[0]?.physicalLocation;
    assert.ok(loc);
    assert.equal(loc.artifactLocation?.uri, 'Dockerfile');
    assert.equal(loc.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.equal(loc.region?.startLine, 2);
    assert.equal(loc.region?.startColumn, 6);
    assert.equal(loc.region?.endColumn, 10);
    assert.ok(loc.region?.endLine === undefined || loc.region.endLine === 2);
    const fp = r.partialFingerprints ?? {};
    assert.ok(Object.keys(fp).length > 0, 'partialFingerprints present');
    for (const v of Object.values(fp)) assert.ok(typeof v === 'string' && v.length > 0);
    const base = run0.originalUriBaseIds?.['%SRCROOT%']?.uri;
    if (base !== undefined) assert.equal(base, pathToFileURL(dir).href.replace(/\/?$/, '/'));
  });

  test('nested files use relative URIs with "/" separators', (t) => {
    const dir = tmp(t, { 'deploy/app/Dockerfile': ROOT_USER });
    const s = sarif([], dir);
    assertValid(s.log);
    const loc = s.log.runs[0]!.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    assert.deepEqual({ uri: loc?.uri, uriBaseId: loc?.uriBaseId }, { uri: 'deploy/app/Dockerfile', uriBaseId: '%SRCROOT%' });
  });

  test('fingerprints are stable from run to run', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'b/Dockerfile': ROOT_USER });
    const a = sarif([], dir).log.runs[0]!.results!.map((r) => r.partialFingerprints);
    const b = sarif([], dir).log.runs[0]!.results!.map((r) => r.partialFingerprints);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a[0], a[1], 'two files, two fingerprints');
  });

  test('no code snippet in the output', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const s = sarif([], dir);
    assert.ok(!s.text.includes('"snippet"'), 'no snippet key');
    assert.ok(!s.text.includes('"contextRegion"'), 'no context region');
  });

  test('characters special in URIs are percent-encoded', (t) => {
    const dir = tmp(t, { 'my#dir/Dockerfile': ROOT_USER });
    const s = sarif([], dir);
    assert.equal(s.log.runs[0]!.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'my%23dir/Dockerfile');
  });

  test('a file outside the working folder gets an absolute file: URI', (t) => {
    const base = tmp(t, { 'work/.keep': '', 'other/Dockerfile': ROOT_USER });
    const s = sarif([path.join(base, 'other', 'Dockerfile')], path.join(base, 'work'));
    const loc = s.log.runs[0]!.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    assert.ok(loc);
    assert.equal(loc.uriBaseId, undefined);
    assert.equal(loc.uri, pathToFileURL(path.join(base, 'other', 'Dockerfile')).href);
  });

  test('--output writes SARIF to the file', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--format', 'sarif', '--output', 'bulkhead.sarif'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'bulkhead.sarif'), 'utf8')) as Log;
    assertValid(log);
    assert.equal(log.runs[0]!.results?.length, 1);
  });
});
