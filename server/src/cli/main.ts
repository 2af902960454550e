import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { configErrors, mergeConfig, type Config, type ConfigLayer, type ConfigProblem } from '../core/config';
import { presetOf } from '../core/presets';
import { SEVERITY_ORDER, type FileKind, type Finding, type Severity } from '../core/types';
import { BUILTIN_IDS } from '../core/rule';
import { docsPage } from '../node/docs';
import { previewFileRequests, secretMasker, unifiedDiff } from './diff';
import { Progress } from './progress';
import { TextIndex } from '../core/text';
import { engine, rules } from '../rules';
import { ConfigCache, loadConfigFile, type LoadedConfig } from '../node/config';
import { applyFileRequests, diskWorkspace, scanRoot, writeFileAtomic, writeReport, writeTarget, type ReadRefusal } from '../node/files';
import { ScanFiles } from '../node/scanFiles';
import { VERSION } from '../version';
import { displayPath, toJson, toSarif, toText, type FileReport, type RunReport } from './report';
import { isCandidateName, walk } from './walk';
import { BOM, stripBom } from '../core/text';
import { AnalysisPool, threadCount, wireFinding, type FixDetail } from './pool';
import { MAX_FILE_SIZE, type AnalysisResult, type AnalyzeInput, type FixAllResult } from '../core/engine';
import { containerKey, describeLeft, hardenContainer } from '../core/harden';

export interface CliIo {
  cwd: string;
  /** The script a worker thread of a big scan runs (the CLI's own entry); none: one thread. */
  workerScript?: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
}

interface Options {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  fix?: boolean;
  unsafeFixes?: boolean;
  dryRun?: boolean;
  harden?: string;
  failOn: Severity | 'never';
  preset?: 'baseline' | 'recommended' | 'strict';
  config?: string;
  listRules?: boolean;
  stdinFilename?: string;
  quiet?: boolean;
  color?: boolean;
}

class UsageError extends Error {}

/**
 * A reader that stops early (`bulkhead | head`) closes the pipe: the rest of the report has
 * nowhere to go, which is not an error of the scan. Exit quietly with the exit code the run
 * sets, instead of an unhandled 'error' event and a stack trace.
 */
export function quietOnBrokenPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

const REFUSAL: Record<ReadRefusal, string> = {
  'missing': 'cannot be read',
  'outside-root': 'is a link to a file outside the project',
  'not-regular': 'is not a regular file',
  'symlink': 'is a link',
};

/** The text to analyse for a file read up to the limit: one past the limit when it is larger, so the engine says so. */
function analysedText(text: string, truncated: boolean): string {
  return truncated && text.length <= MAX_FILE_SIZE ? text.padEnd(MAX_FILE_SIZE + 1) : text;
}

/** The engine measured the text read, not the file: give the size on disk. */
function realSizeMessages(findings: { rule: string; message: string }[], size: number): void {
  for (const f of findings) {
    if (f.rule === 'file-too-large') f.message = f.message.replace(/^File not analysed: [0-9.]+ MB/, `File not analysed: ${(size / 1048576).toFixed(1)} MB`);
  }
}

function configError(c: LoadedConfig, cwd: string, problems: ConfigProblem[] = configErrors(c.problems)): string {
  const idx = new TextIndex(c.text);
  return problems
    .map((p) => {
      const pos = p.span ? idx.positionAt(p.span.start) : { line: 0, character: 0 };
      return `${displayPath(c.file, cwd)}:${pos.line + 1}:${pos.character + 1}: ${p.message}`;
    })
    .join('\n');
}

/**
 * A configuration's state for a run: errors stop it (exit 2), warnings (unknown keys and rule
 * ids) are printed once on stderr and the rest of the file applies (docs/configuration.md).
 */
function checkConfig(c: LoadedConfig | null, cwd: string, io: CliIo, warned: Set<string>): void {
  if (!c) return;
  if (configErrors(c.problems).length) throw new UsageError(`invalid configuration:\n${configError(c, cwd)}`);
  if (warned.has(c.file)) return;
  warned.add(c.file);
  const warnings = c.problems.filter((p) => p.severity === 'warning');
  if (warnings.length) io.stderr.write(`${configError(c, cwd, warnings).split('\n').map((l) => `bulkhead: warning: ${l} (ignored; invalid-config)`).join('\n')}\n`);
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
    .option('--unsafe-fixes', 'with --fix: also apply the fixes not marked safe')
    .option('--dry-run', 'with --fix: print the changes as a unified diff on stdout (the report goes to stderr or --output); write nothing')
    .option('--harden <container>', 'apply the safe fixes of one container (a Compose service, a Kubernetes container, or "final stage" of a Dockerfile), then report what remains')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'never']).default('warning'))
    .addOption(new Option('--preset <preset>', 'rule preset').choices(['baseline', 'recommended', 'strict']))
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
    // docs: the page installed with the CLI (a file URI), omitted when it is not there
    const list = rules.map((r) => ({ id: r.meta.id, severity: r.meta.severity, platforms: r.meta.platforms, preset: presetOf(r.meta), fixable: r.meta.fixable, ...(r.meta.pss ? { pss: r.meta.pss } : {}), title: r.meta.title, docs: docsPage(r.meta.id) }));
    // built-in findings are reported in every preset
    const builtins = Object.entries(BUILTIN_IDS).map(([id, severity]) => ({ id, severity, platforms: [], preset: 'baseline', fixable: false, title: id, docs: docsPage(id) }));
    if (opts.format === 'json') io.stdout.write(`${JSON.stringify([...list, ...builtins], null, 2)}\n`);
    else for (const r of list) io.stdout.write(`${r.id.padEnd(28)} ${r.severity.padEnd(8)} ${r.preset.padEnd(12)} ${r.platforms.join(',').padEnd(30)} ${r.fixable ? 'fix' : '   '}  ${('pss' in r ? `PSS ${r.pss}` : '').padEnd(16)}${r.title}\n`);
    return 0;
  }
  if (opts.unsafeFixes && !opts.fix) throw new UsageError('--unsafe-fixes needs --fix');
  if (opts.dryRun && !opts.fix) throw new UsageError('--dry-run needs --fix');
  const fixOptions = { unsafe: Boolean(opts.unsafeFixes) };

  const cliLayer: ConfigLayer = opts.preset ? { preset: opts.preset } : {};
  let fixed: LoadedConfig | null = null;
  if (opts.config) {
    try {
      const file = path.resolve(cwd, opts.config);
      fixed = loadConfigFile(file, path.parse(file).root); // named by the user: no root to stay in
    } catch (e) {
      throw new UsageError(`cannot read --config ${opts.config}: ${(e as Error).message}`);
    }
  }
  const warned = new Set<string>();
  checkConfig(fixed, cwd, io, warned);
  // a run that writes nothing may keep what it read and listed (node/scanFiles.ts)
  const files = new ScanFiles(!(opts.fix && !opts.dryRun) && opts.harden === undefined);
  const cache = new ConfigCache((f) => files.mayExist(f));
  /** One Config per configuration file (rules and caches see the same object for every file it governs). */
  const merged = new Map<LoadedConfig | null, Config>();
  const configFor = (file: string): Config => {
    const loaded = fixed ?? cache.nearest(path.dirname(file));
    checkConfig(loaded, cwd, io, warned);
    let config = merged.get(loaded);
    if (!config) merged.set(loaded, (config = mergeConfig(loaded?.layer, cliLayer)));
    return config;
  };

  const report: RunReport = { files: [], fixed: 0, skipped: 0, ...(opts.dryRun ? { dryRun: true } : {}) };
  if (opts.harden !== undefined && opts.fix) throw new UsageError('--harden and --fix cannot be combined: --harden fixes one container, --fix every file');
  let hardened = 0;
  /** --harden: the named containers' safe fixes, and a note on stderr of what they left. */
  const harden = (input: AnalyzeInput, config: Config, result: AnalysisResult, file: string): FixAllResult | null => {
    const keys = (result.containers ?? []).filter((c) => c.name === opts.harden).map((c) => containerKey(result, c));
    if (!keys.length) return null;
    let current = input;
    let last: FixAllResult | null = null;
    const files: FixAllResult['files'] = [];
    let applied = 0;
    for (const key of keys) {
      const h = hardenContainer(engine, current, config, key);
      applied += h.fixed.applied;
      files.push(...h.fixed.files);
      last = h.fixed;
      current = { ...current, text: h.fixed.text };
      const left = h.left.length ? `; left for review: ${describeLeft(h.left)}` : '';
      io.stderr.write(`bulkhead: hardened ${opts.harden} in ${displayPath(file, cwd)}: ${h.fixed.applied} ${h.fixed.applied === 1 ? 'fix' : 'fixes'} applied${left}\n`);
    }
    return last && { ...last, applied, files };
  };

  if (opts.stdinFilename !== undefined) {
    const text = await readStdin(io.stdin);
    const file = path.resolve(cwd, opts.stdinFilename);
    const config = configFor(file);
    const root = scanRoot(file, cwd);
    const hardenInput = { text, path: file, workspace: diskWorkspace(file, root) };
    const r0 = opts.harden !== undefined ? engine.analyze(hardenInput, config) : null;
    const hardenedStdin = r0 ? harden(hardenInput, config, r0, file) : null;
    if (r0 && !hardenedStdin) throw new UsageError(`no container named '${opts.harden}' in ${displayPath(file, cwd)}`);
    if (opts.fix || hardenedStdin) {
      const r = hardenedStdin ?? engine.fixAll({ text, path: file, workspace: diskWorkspace(file, root) }, config, fixOptions);
      report.fixed = r.applied;
      const after = (r.bom ? BOM : '') + r.text;
      if (opts.dryRun) {
        const before = engine.analyze({ text, path: file, workspace: diskWorkspace(file, root) }, config);
        io.stdout.write(unifiedDiff(text, after, displayPath(file, cwd), secretMasker(before.text, before.findings)));
      } else io.stdout.write(after);
      report.files.push({ path: displayPath(file, cwd), kind: r.result.kind, index: r.result.index, findings: r.result.findings });
      // stdout carries the fixed text: the report goes to --output, else to stderr
      if (opts.output) output(opts, report, io, cwd);
      else io.stderr.write(render(opts, report, io, cwd));
      return exitCode(report, opts.failOn);
    }
    const r = engine.analyze({ text, path: file, workspace: diskWorkspace(file, root) }, config);
    report.files.push({ path: displayPath(file, cwd), kind: r.kind, index: r.index, findings: r.findings });
    output(opts, report, io, cwd);
    return exitCode(report, opts.failOn);
  }

  const targets: { file: string; explicit: boolean; root: string }[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    const root = scanRoot(abs, cwd);
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
        checkConfig(c, cwd, io, warned);
        return c ? { base: path.dirname(c.file), patterns: c.layer.ignore ?? [] } : null;
      };
      const found = walk(abs, ignoresFor, (dir, names) => files.noteListing(dir, names));
      files.noteWalk(abs, root, found);
      for (const f of found) targets.push({ file: f, explicit: false, root });
    } else targets.push({ file: abs, explicit: true, root });
  }
  // a file found by a walk and also named on the command line is one file, and a named one
  // (CONTRACT.md: a named file is always reported, even when nothing in it is analysed)
  const byFile = new Map<string, (typeof targets)[number]>();
  for (const t of targets.splice(0)) {
    const had = byFile.get(t.file);
    if (!had) {
      byFile.set(t.file, t);
      targets.push(t);
    } else if (t.explicit) had.explicit = true;
  }
  const seen = new Set<string>();
  // a big scan shows how far it is, on a terminal only (never in a pipe or a CI log)
  const progress = new Progress(io.stderr, targets.length);
  const diffs: string[] = [];
  // a big scan that writes nothing analyses in worker threads too (pool.ts); the report is the same
  const threads = !opts.fix && opts.harden === undefined && io.workerScript ? threadCount(targets.length) : 1;
  /** What the report reads of a finding's fixes (SARIF lists none). */
  const fixDetail: FixDetail = opts.format === 'sarif' ? 'none' : 'titles';
  const keepsAnalysis = Boolean(opts.fix) || opts.harden !== undefined;
  const pool = threads > 1 ? new AnalysisPool((job) => engine.analyze({ text: job.text, path: job.path, workspace: files.workspace(job.path, job.root) }, job.config), fixDetail, io.workerScript!, threads - 1) : null;
  /** The pool's results, in the order of the targets: what the loop below does after analysis, for a report-only run. */
  const slots: Promise<FileReport | null>[] = [];
  const reported = (file: string, explicit: boolean, read: { truncated: boolean; size: number }, kind: FileKind, index: TextIndex, findings: Finding[]): FileReport | null => {
    if (read.truncated) realSizeMessages(findings, read.size);
    if (kind === 'unknown' && !explicit && !isCandidateName(path.basename(file))) return null;
    if (kind === 'unknown' && !explicit) {
      report.skipped++;
      return null;
    }
    return { path: displayPath(file, cwd), kind, index, findings };
  };
  try {
    // threads asked for by name start before the scan does (a small scan would not wait for them)
    if (pool && process.env.BULKHEAD_THREADS) await pool.whenReady();
    for (const [n, { file, explicit, root }] of targets.entries()) {
      if (!pool) progress.tick();
      if (seen.has(file)) {
        if (pool) progress.tick();
        continue;
      }
      seen.add(file);
      const config = configFor(file);
      const read = files.read(file, { root });
      if (!read.ok) {
        // a FIFO, a device, a link out of the project: never read, never waited on
        if (explicit) throw new UsageError(`${displayPath(file, cwd)} ${REFUSAL[read.reason]}`);
        progress.clear();
        io.stderr.write(`bulkhead: skipped ${displayPath(file, cwd)}: it ${REFUSAL[read.reason]}\n`);
        report.skipped++;
        if (pool) progress.tick();
        continue;
      }
      const input = { text: analysedText(read.text, read.truncated), path: file, workspace: files.workspace(file, root) };
      if (pool) {
        const index = new TextIndex(stripBom(input.text).text);
        slots.push(pool.submit({ text: input.text, path: file, root, config }).then((r) => {
          progress.tick();
          return reported(file, explicit, read, r.kind, index, r.findings);
        }));
        // let the workers' results in now and then (they ask for more work)
        if (n % 8 === 7) await pool.yieldNow();
        continue;
      }
      let result = engine.analyze(input, config);
      if (read.truncated) realSizeMessages(result.findings, read.size);
      if (result.kind === 'unknown' && !explicit && !isCandidateName(path.basename(file))) continue;
      if (result.kind === 'unknown' && !explicit) {
        report.skipped++;
        continue;
      }
      const wantsHarden = opts.harden !== undefined && (result.containers ?? []).some((c) => c.name === opts.harden);
      if (wantsHarden) hardened++;
      if (!read.truncated && (wantsHarden || (opts.fix && result.findings.some((f) => f.fixes.some((x) => x.preferred || opts.unsafeFixes))))) {
        const target = writeTarget(file, root);
        if (!target.ok) {
          progress.clear();
          io.stderr.write(`bulkhead: not fixed ${displayPath(file, cwd)}: ${target.reason}\n`);
        } else {
          const r = wantsHarden ? harden(input, config, result, file)! : engine.fixAll(input, config, fixOptions);
          if (r.applied > 0 && opts.dryRun) {
            const mask = secretMasker(result.text, result.findings);
            diffs.push(unifiedDiff(read.text, (r.bom ? BOM : '') + r.text, displayPath(file, cwd), mask));
            for (const x of previewFileRequests(path.dirname(file), r.files, root)) diffs.push(unifiedDiff(x.before, x.after, displayPath(x.path, cwd), mask));
            report.fixed += r.applied;
          } else if (r.applied > 0) {
            // through a link inside the project the target is fixed and the link stays; mode and owner are kept
            writeFileAtomic(target.path, (r.bom ? BOM : '') + r.text);
            const sides = applyFileRequests(path.dirname(file), r.files, root);
            progress.clear();
            for (const x of sides.refused) io.stderr.write(`bulkhead: did not write ${displayPath(x.path, cwd)}: ${x.reason}\n`);
            report.fixed += r.applied;
          }
          result = r.result;
        }
      }
      // a run that fixes nothing keeps what the report reads only (as the pool's workers send
      // it), so each file's analysis (model, parsed tree, fix builders) is garbage at once
      const findings = keepsAnalysis ? result.findings : result.findings.map((f) => wireFinding(f, fixDetail));
      if (!keepsAnalysis) engine.forget(file);
      const entry: FileReport = { path: displayPath(file, cwd), kind: result.kind, index: result.index, findings };
      report.files.push(entry);
    }
    if (pool) {
      await pool.drain();
      for (const entry of await Promise.all(slots)) if (entry) report.files.push(entry);
    }
  } finally {
    pool?.close();
  }
  progress.clear();
  if (opts.harden !== undefined && hardened === 0) throw new UsageError(`no container named '${opts.harden}' in the files scanned`);
  report.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (opts.dryRun) {
    // stdout carries the diff: the report goes to --output, else to stderr
    io.stdout.write(diffs.join(''));
    if (opts.output) output(opts, report, io, cwd);
    else io.stderr.write(render(opts, report, io, cwd));
    return exitCode(report, opts.failOn);
  }
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
      writeReport(path.resolve(cwd, opts.output), text);
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
