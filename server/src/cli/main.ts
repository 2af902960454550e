import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { mergeConfig, type Config, type ConfigLayer } from '../core/config';
import { SEVERITY_ORDER, type Severity } from '../core/types';
import { BUILTIN_IDS, docsUrl } from '../core/rule';
import { TextIndex } from '../core/text';
import { engine, rules } from '../rules';
import { ConfigCache, loadConfigFile, type LoadedConfig } from '../node/config';
import { applyFileRequests, diskWorkspace, writeFileAtomic } from '../node/files';
import { VERSION } from '../version';
import { displayPath, toJson, toSarif, toText, type FileReport, type RunReport } from './report';
import { isCandidateName, walk } from './walk';
import { BOM } from '../core/text';

export interface CliIo {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

interface Options {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  fix?: boolean;
  failOn: Severity | 'never';
  preset?: 'recommended' | 'strict';
  config?: string;
  listRules?: boolean;
  stdinFilename?: string;
  quiet?: boolean;
  color?: boolean;
}

class UsageError extends Error {}

function configError(c: LoadedConfig, cwd: string): string {
  const idx = new TextIndex(c.text);
  return c.problems
    .map((p) => {
      const pos = p.span ? idx.positionAt(p.span.start) : { line: 0, character: 0 };
      return `${displayPath(c.file, cwd)}:${pos.line + 1}:${pos.character + 1}: ${p.message}`;
    })
    .join('\n');
}

function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stdin.on('error', reject);
  });
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('bulkhead')
    .description('Find and fix container-security mistakes in Dockerfiles, Compose files and Kubernetes manifests.')
    .argument('[paths...]', 'files or folders to scan (default: the current folder)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fix', 'apply safe fixes, then report what remains')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'never']).default('warning'))
    .addOption(new Option('--preset <preset>', 'rule preset').choices(['recommended', 'strict']))
    .option('-c, --config <file>', 'use this .bulkhead.yaml for every file (instead of the nearest one)')
    .option('--list-rules', 'list the rules and exit')
    .option('--stdin-filename <name>', 'read the text from stdin, analysed as if it were this file')
    .option('-q, --quiet', 'text format: show errors only')
    .option('--no-color', 'no colours in text output')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  let parsed: { opts: Options; paths: string[] };
  try {
    program.parse(argv, { from: 'user' });
    parsed = { opts: program.opts<Options>(), paths: program.args };
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const { opts, paths } = parsed;
  try {
    return await run(opts, paths, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`bulkhead: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    io.stderr.write(`bulkhead: ${err.code ? `${err.code}: ` : ''}${err.message}\n`);
    return 2;
  }
}

async function run(opts: Options, paths: string[], io: CliIo): Promise<number> {
  const cwd = io.cwd;
  if (opts.listRules) {
    const list = rules.map((r) => ({ id: r.meta.id, severity: r.meta.severity, platforms: r.meta.platforms, preset: r.meta.strict ? 'strict' : 'recommended', fixable: r.meta.fixable, title: r.meta.title, docs: docsUrl(r.meta.id) }));
    const builtins = Object.entries(BUILTIN_IDS).map(([id, severity]) => ({ id, severity, platforms: [], preset: 'recommended', fixable: false, title: id, docs: docsUrl(id) }));
    if (opts.format === 'json') io.stdout.write(`${JSON.stringify([...list, ...builtins], null, 2)}\n`);
    else for (const r of list) io.stdout.write(`${r.id.padEnd(28)} ${r.severity.padEnd(8)} ${r.platforms.join(',').padEnd(30)} ${r.fixable ? 'fix' : '   '}  ${r.title}\n`);
    return 0;
  }

  const cliLayer: ConfigLayer = opts.preset ? { preset: opts.preset } : {};
  let fixed: LoadedConfig | null = null;
  if (opts.config) {
    try {
      fixed = loadConfigFile(path.resolve(cwd, opts.config));
    } catch (e) {
      throw new UsageError(`cannot read --config ${opts.config}: ${(e as Error).message}`);
    }
    if (fixed.problems.length) throw new UsageError(`invalid configuration:\n${configError(fixed, cwd)}`);
  }
  const cache = new ConfigCache();
  const configFor = (file: string): Config => {
    const loaded = fixed ?? cache.nearest(path.dirname(file));
    if (loaded?.problems.length) throw new UsageError(`invalid configuration:\n${configError(loaded, cwd)}`);
    return mergeConfig(loaded?.layer, cliLayer);
  };

  const report: RunReport = { files: [], fixed: 0, skipped: 0 };

  if (opts.stdinFilename !== undefined) {
    const text = await readStdin(io.stdin);
    const file = path.resolve(cwd, opts.stdinFilename);
    const config = configFor(file);
    if (opts.fix) {
      const r = engine.fixAll({ text, path: file, workspace: diskWorkspace(file) }, config);
      report.fixed = r.applied;
      io.stdout.write((r.bom ? BOM : '') + r.text);
      report.files.push({ path: displayPath(file, cwd), kind: r.result.kind, index: r.result.index, findings: r.result.findings });
      // stdout carries the fixed text: the report goes to --output, else to stderr
      if (opts.output) output(opts, report, io, cwd);
      else io.stderr.write(render(opts, report, io, cwd));
      return exitCode(report, opts.failOn);
    }
    const r = engine.analyze({ text, path: file, workspace: diskWorkspace(file) }, config);
    report.files.push({ path: displayPath(file, cwd), kind: r.kind, index: r.index, findings: r.findings });
    output(opts, report, io, cwd);
    return exitCode(report, opts.failOn);
  }

  const targets: { file: string; explicit: boolean }[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (st.isDirectory()) {
      configFor(path.join(abs, 'Dockerfile')); // a broken configuration is an error even with nothing to scan
      const ignoresFor = (dir: string) => {
        const c = fixed ?? cache.nearest(dir);
        if (c?.problems.length) throw new UsageError(`invalid configuration:\n${configError(c, cwd)}`);
        return c ? { base: path.dirname(c.file), patterns: c.layer.ignore ?? [] } : null;
      };
      for (const f of walk(abs, ignoresFor)) targets.push({ file: f, explicit: false });
    } else targets.push({ file: abs, explicit: true });
  }
  const seen = new Set<string>();
  for (const { file, explicit } of targets) {
    if (seen.has(file)) continue;
    seen.add(file);
    const config = configFor(file);
    const raw = fs.readFileSync(file, 'utf8');
    const input = { text: raw, path: file, workspace: diskWorkspace(file) };
    let result = engine.analyze(input, config);
    if (result.kind === 'unknown' && !explicit && !isCandidateName(path.basename(file))) continue;
    if (result.kind === 'unknown' && !explicit) {
      report.skipped++;
      continue;
    }
    if (opts.fix && result.findings.some((f) => f.fixes.some((x) => x.preferred))) {
      const r = engine.fixAll(input, config);
      if (r.applied > 0) {
        writeFileAtomic(file, (r.bom ? BOM : '') + r.text);
        applyFileRequests(path.dirname(file), r.files);
        report.fixed += r.applied;
      }
      result = r.result;
    }
    const entry: FileReport = { path: displayPath(file, cwd), kind: result.kind, index: result.index, findings: result.findings };
    report.files.push(entry);
  }
  report.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  output(opts, report, io, cwd);
  return exitCode(report, opts.failOn);
}

function render(opts: Options, report: RunReport, io: CliIo, cwd: string): string {
  if (opts.format === 'json') return toJson(report, VERSION);
  if (opts.format === 'sarif') return toSarif(report, rules, VERSION, cwd);
  const color = opts.color !== false && !opts.output && Boolean(io.stdout.isTTY) && !process.env.NO_COLOR;
  return toText(report, color, Boolean(opts.quiet));
}

function output(opts: Options, report: RunReport, io: CliIo, cwd: string): void {
  const text = render(opts, report, io, cwd);
  if (opts.output) {
    try {
      writeFileAtomic(path.resolve(cwd, opts.output), text);
    } catch (e) {
      throw new UsageError(`cannot write --output ${opts.output}: ${(e as Error).message}`);
    }
  } else io.stdout.write(text);
}

function exitCode(report: RunReport, failOn: Severity | 'never'): number {
  if (failOn === 'never') return 0;
  const min = SEVERITY_ORDER[failOn];
  return report.files.some((f) => f.findings.some((x) => SEVERITY_ORDER[x.severity] >= min)) ? 1 : 0;
}
