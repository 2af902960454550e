import { basename, classify } from './classify';
import { buildComposeModel, type BuildUserLookup } from './model/fromCompose';
import { ComposeServiceReuse } from './composeReuse';
import { buildKubernetesModel, type KubeObject } from './model/fromKubernetes';
import { parseDocument, type Document } from 'yaml';
import { parseYamlFile, YamlDocCache, type YamlDoc } from './parse/yaml';
import { get, getMap, str } from './model/yamlTree';
import type { Config } from './config';
import type { ContainerSpec } from './model/container';
import { buildDockerfileModel } from './model/fromDockerfile';
import { parseDockerfile } from './parse/dockerfile';
import { DockerMemos, type InstructionMemo } from './parse/dockerMemo';
import { BUILTIN_IDS, CATALOG_IDS, type AnalysedFile, type Rule } from './rule';
import { findSuppressions, idsFor, suppressedBy } from './suppress';
import { inPreset, presetOf } from './presets';
import { setRecent } from './recent';
import { maskRandomWords, safeText } from './mask';
import { lineBreaks, stripBom, TextIndex, type Span } from './text';
import type { FileKind, FileRequest, Finding, Fix, FixOffer, PlannedFix, Report, Severity, TextEdit } from './types';

export interface AnalyzeInput {
  text: string;
  /** File path or URI path, used for classification by name and for messages. */
  path?: string;
  languageId?: string;
  /** Force a kind (e.g. the CLI's --stdin-filename already decided). */
  kind?: FileKind;
  /** Other files of the workspace (cross-file facts: a service's Dockerfile, a kustomization). */
  workspace?: WorkspaceView;
  /**
   * A time budget for this analysis, in milliseconds (the language server passes one so a
   * hostile file never freezes the editor). Checked between YAML documents and between
   * rules; past it, analysis stops with one `file-too-large` info finding. None: no limit.
   */
  budgetMs?: number;
  /**
   * Names the document across edits (the language server passes its URI). With it, the
   * parsed YAML documents are kept for this key only (exactly those of its latest text), and
   * a multi-document manifest reuses each unchanged document's findings: an edit re-analyses
   * the edited document (and, when it holds a ServiceAccount or LimitRange, the documents
   * that read those). Findings reused so carry their fixes on demand: reading `fixes`
   * analyses the whole text once. Callers that need every fix at once leave it out.
   */
  cacheKey?: string;
}

/** Read access to files near the analysed one; the core never touches the disk itself. */
export interface WorkspaceView {
  /** The text of a file by a path relative to the analysed file's folder, if it exists. */
  read(relativePath: string): string | undefined;
  /** Whether a file exists there, readable or not (a fix never writes into an existing secret file). */
  exists?(relativePath: string): boolean;
}

export interface AnalysisResult {
  kind: FileKind;
  /** The text analysed: the input without its BOM. Finding offsets index this text. */
  text: string;
  bom: boolean;
  index: TextIndex;
  findings: Finding[];
  /** The file's containers (core/harden.ts groups findings by them); unset for files with none. */
  containers?: ContainerSpec[];
  /**
   * A multi-document YAML file analysed with a `cacheKey`: where each document starts, in
   * order, and a key naming its text (the same key for the same text while the engine keeps
   * its parse). What the language server keeps per document (lsp/diagnostics.ts) is keyed by it.
   */
  parts?: { start: number; key: string }[];
}

/** The one info on a legacy v1 Compose file (RULES.md, Compose; docs/rules/legacy-compose-format.md). */
export const LEGACY_COMPOSE_MESSAGE =
  "Legacy Compose v1 format (services at the top level): current docker compose and docker stack deploy refuse it; move the services under 'services:'";

/** Files larger than this are skipped with a `file-too-large` finding. */
export const MAX_FILE_SIZE = 2 * 1024 * 1024;

export interface Engine {
  readonly rules: readonly Rule[];
  /**
   * How many YAML documents were parsed so far (documents are cached by their text); how many
   * edited Compose services were parsed alone (composeReuse.ts, `edited`), and how many edits
   * that tried were refused (the whole text parsed instead).
   */
  readonly stats: { readonly yamlParses: number; readonly serviceParses: number; readonly serviceRefused: number };
  /** The clock budgets are measured with (milliseconds); tests replace it. */
  now: () => number;
  analyze(input: AnalyzeInput, config: Config): AnalysisResult;
  /** Drops what is cached for a `cacheKey` (a document closed), or everything. */
  forget(cacheKey?: string): void;
  /** Drops reused findings (not parses) for a key, or for all: cross-file facts changed. */
  invalidate(cacheKey?: string): void;
  /** What the caches hold, for tests and the bench: entries and characters of text kept. */
  cacheSize(): { yamlEntries: number; yamlChars: number; groupEntries: number; groupChars: number; keys: number };
  /** What the Dockerfile memos hold (documents, instruction texts, results, characters of text) and how many results were computed and reused so far. */
  dockerCacheSize(): { keys: number; instructions: number; results: number; chars: number; computed: number; reused: number };
  fixAll(input: AnalyzeInput, config: Config, options?: FixAllOptions): FixAllResult;
}

export interface FixAllOptions {
  /** Leave out fixes that write other files (editors apply those one by one). */
  skipFileFixes?: boolean;
  /** Also the fixes not marked safe (`--unsafe-fixes`): a finding with no preferred fix gets its first fix. */
  unsafe?: boolean;
  /** Only the fixes of these findings (e.g. one container's: core/harden.ts); asked again each round. */
  only?: (f: Finding, result: AnalysisResult) => boolean;
}

export interface FixAllResult {
  text: string;
  bom: boolean;
  applied: number;
  files: FileRequest[];
  result: AnalysisResult;
}

/**
 * The engine's YAML cache, which also stops parsing once an analysis is past its budget:
 * the documents after that point read as empty, and `stopped` says so.
 */
class BudgetedYamlCache extends YamlDocCache {
  deadline = Infinity;
  stopped = false;
  /** Documents handed out before the budget ran out. */
  served = 0;
  clock: () => number = () => performance.now();
  private empty: Document.Parsed | undefined;

  override get(text: string): Document.Parsed {
    if (this.deadline !== Infinity && this.clock() > this.deadline) {
      this.stopped = true;
      this.empty ??= parseDocument('');
      return this.empty;
    }
    this.served++;
    return super.get(text);
  }
}

export function createEngine(rules: readonly Rule[]): Engine {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  /** Each rule's preset (presetOf), once. */
  const presets = new Map(rules.map((r) => [r.meta.id, presetOf(r.meta)]));
  const yamlCache = new BudgetedYamlCache();

  function severityOf(rule: string, reported: Severity, config: Config): Severity | null {
    // a rule that crashed is always shown: nothing may hide it (CONTRACT.md)
    if (rule === 'internal-error') return 'error';
    const setting = config.rules[rule];
    if (setting === 'off') return null;
    // a rule outside the preset runs only when a severity is set for it
    const preset = presets.get(rule);
    if (preset !== undefined && !inPreset(preset, config.preset) && setting === undefined) return null;
    return setting ?? reported;
  }

  /** Per-instruction results of each Dockerfile by cacheKey (latest text only). */
  const dockerMemos = new DockerMemos();

  /** Reused findings per cacheKey, by the text of their group of documents (latest text only). */
  const groups = new Map<string, { configKey: string; entries: Map<string, GroupEntry>; chars: number }>();
  const MAX_GROUP_KEYS = 64;
  /** Reused reports per Compose service (composeReuse.ts). */
  const composeUnits = new ComposeServiceReuse(MAX_GROUP_KEYS);

  function analyze(input: AnalyzeInput, config: Config): AnalysisResult {
    return analyzeWith(input, config, input.cacheKey !== undefined);
  }

  function analyzeWith(input: AnalyzeInput, config: Config, reuse: boolean): AnalysisResult {
    const started = engine.now();
    const deadline = input.budgetMs === undefined ? Infinity : started + Math.max(0, input.budgetMs);
    const { text, bom } = stripBom(input.text);
    const index = new TextIndex(text);
    const kind = input.kind ?? classify(text, input.path, input.languageId);
    const result: AnalysisResult = { kind, text, bom, index, findings: [] };
    const raw: RawReport[] = [];
    const ignoreRegions: IgnoreRegion[] = [];
    const builtin = (rule: string, span: Span, message: string) =>
      raw.push({ rule, severity: BUILTIN_IDS[rule], start: span.start, end: span.end, message });
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      const ms = Math.round(engine.now() - started);
      builtin('file-too-large', { start: 0, end: 0 }, `Analysis stopped after ${ms} ms: this file takes too long to check, so its results are incomplete`);
    };

    if (text.length > MAX_FILE_SIZE) {
      builtin('file-too-large', { start: 0, end: 0 }, `File not analysed: ${(text.length / 1048576).toFixed(1)} MB is over the ${MAX_FILE_SIZE / 1048576} MB limit`);
      result.findings = finish(raw, result, config, false);
      return result;
    }
    if (kind === 'unknown') return result;
    if (text.includes('\0')) {
      builtin(kind === 'dockerfile' ? 'invalid-dockerfile' : 'invalid-yaml', { start: 0, end: 0 }, 'This looks like a binary file, not text');
      result.findings = finish(raw, result, config, false);
      return result;
    }

    /** Runs every rule that applies over `file`'s model into `out`; false when the budget ran out. */
    const runRules = (file: AnalysedFile, out: RawReport[]): boolean => {
      for (const rule of rules) {
        // no budget (the CLI): no clock read per rule
        if (deadline !== Infinity && engine.now() > deadline) return false;
        if (!rule.meta.platforms.includes(kind as never)) continue;
        if (severityOf(rule.meta.id, rule.meta.severity, config) === null) continue;
        const linuxOnlySkip = rule.meta.linuxOnly === true;
        const ctxFile: AnalysedFile = linuxOnlySkip ? { ...file, containers: file.containers.filter((c) => !c.windows) } : file;
        if (linuxOnlySkip && kind === 'dockerfile' && file.dockerfile?.windows) continue;
        try {
          rule.check({
            file: ctxFile,
            config,
            report: (r) => (r.preset && !inPreset(r.preset, config.preset) && config.rules[rule.meta.id] === undefined) || out.push(rawOf(r, rule)),
          });
        } catch (e) {
          // A rule bug must not take the editor down, nor hide: its own finding, which names
          // the rule and the kind of error but never the exception's text (it may quote the file).
          out.push({ rule: 'internal-error', severity: BUILTIN_IDS['internal-error'], start: 0, end: 0, message: `Rule ${rule.meta.id} failed on this file (internal error: ${errorKind(e)}); please report it` });
        }
      }
      return true;
    };

    const file: AnalysedFile = { kind, path: input.path, text, index, containers: [], workspace: input.workspace };
    const composeKeyBase = () => `${configKeyOf(config)}\0${input.path ?? ''}`;
    const composeOptions = () => ({
      nonRootImages: config.nonRootImages,
      target: config.compose.target === 'stack' || /stack/i.test(basename(input.path ?? '')) ? ('stack' as const) : ('compose' as const),
      dockerfileUser: dockerfileUserLookup(input, config),
    });
    /**
     * An edit inside one service's body of a Compose file analysed before: only that service
     * is parsed (composeReuse.ts, `edited`) and checked; the other services and the top level
     * reuse their reports. False: nothing was done, the whole text is parsed.
     */
    const editedService = (): boolean => {
      // before the parse, the clock is read as before the whole text's (a budget past already: parsed whole, and stopped there)
      const edit = composeUnits.edited(input.cacheKey!, composeKeyBase(), text, () => engine.now() <= deadline);
      if (!edit) return false;
      file.yaml = [edit.ydoc];
      file.compose = buildComposeModel(file, file.yaml, composeOptions());
      file.containers.push(...file.compose.containers);
      const whole = wholeOf(input, config);
      const later = fixesFrom(whole);
      const done = composeUnits.runEdited(input.cacheKey!, file, edit, runRules, raw, later);
      if (done === null) {
        file.yaml = undefined;
        file.compose = undefined;
        file.containers.length = 0;
        return false;
      }
      if (!done) stop();
      // the other services' containers (CodeLens, Harden, the containers view) come from the whole analysis the fixes use
      lazyProperty(result, 'containers', containersOf(whole));
      return true;
    };
    let rulesDone = false;
    let memo: InstructionMemo | undefined;
    result.containers = file.containers;
    if (kind === 'dockerfile') {
      memo = reuse ? dockerMemos.take(input.cacheKey!, configKeyOf(config)) : undefined;
      const parsed = parseDockerfile(text, memo, index);
      for (const p of parsed.problems) builtin('invalid-dockerfile', p.span, p.message);
      const ws = input.workspace;
      file.dockerfile = buildDockerfileModel(parsed, { nonRootImages: config.nonRootImages, read: ws && ((p) => ws.read(p)) });
      if (file.dockerfile.container) file.containers.push(file.dockerfile.container);
    } else if (kind === 'compose' && reuse && editedService()) {
      rulesDone = true;
    } else {
      yamlCache.deadline = deadline;
      yamlCache.stopped = false;
      yamlCache.served = 0;
      yamlCache.clock = engine.now;
      yamlCache.begin(input.cacheKey ?? input.path ?? '');
      let docs: YamlDoc[];
      try {
        docs = parseYamlFile(text, yamlCache);
      } finally {
        yamlCache.deadline = Infinity;
        yamlCache.end();
      }
      if (yamlCache.stopped) {
        // the documents past the budget were not parsed: report that, and none of them
        docs = docs.slice(0, yamlCache.served);
        stop();
      } else if (input.cacheKey !== undefined && docs.length > 1) index.adopt(joinedLineStarts(docs, text.length));
      const template = (input.path ?? '').replace(/\\/g, '/').includes('/templates/');
      for (const d of docs) {
        // Helm chart templates are not YAML until rendered: no parse-error noise for them.
        if (template || d.text.includes('{{')) continue;
        for (const e of d.errors.slice(0, 3)) builtin('invalid-yaml', e.span, `Not valid YAML: ${maskRandomWords(e.message)}`);
        for (const k of d.duplicates.slice(0, 3)) builtin('invalid-yaml', k.span, k.message);
      }
      const clean = docs.filter((d) => d.errors.length === 0);
      file.yaml = clean;
      if (input.cacheKey !== undefined && docs.length > 1 && !stopped) result.parts = docs.map((d) => ({ start: d.base, key: docIdOf(d) }));
      if (kind === 'kubernetes') {
        const opts = { isPatch: kustomizePatchCheck(input), workspace: input.workspace, fileName: input.path && basename(input.path) };
        if (reuse && !stopped && clean.length > 1) {
          rulesDone = true;
          const whole = wholeOf(input, config);
          if (!kubernetesByGroup(input.cacheKey!, file, clean, opts, config, runRules, raw, ignoreRegions, fixesFrom(whole))) stop();
          // reused documents build no model: the containers (CodeLens, Harden, the containers
          // view) come from the same whole analysis as the reused reports' fixes
          else lazyProperty(result, 'containers', containersOf(whole));
        } else {
          file.kubernetes = buildKubernetesModel(file, clean, opts);
          file.containers.push(...file.kubernetes.containers);
          ignoreRegions.push(...annotationSuppressions(file.kubernetes.objects));
        }
      } else {
        file.compose = buildComposeModel(file, clean, composeOptions());
        file.containers.push(...file.compose.containers);
        const v1 = file.compose.legacy ? file.compose.services.find((x) => x.legacy) : undefined;
        if (v1) builtin('legacy-compose-format', v1.keySpan, LEGACY_COMPOSE_MESSAGE);
        if (reuse && !stopped) {
          const later = fixesFrom(wholeOf(input, config));
          const done = composeUnits.run(input.cacheKey!, composeKeyBase(), file, runRules, raw, later);
          if (done !== null) rulesDone = true;
          if (done === false) stop();
        }
      }
    }

    if (!rulesDone && !stopped && !runRules(file, raw)) stop();
    memo?.end();
    result.findings = finish(raw, result, config, true, ignoreRegions);
    return result;
  }

  /** One whole analysis of a text without reuse (no budget), made when first asked and then kept. */
  function wholeOf(input: AnalyzeInput, config: Config): () => AnalysisResult {
    let memo: AnalysisResult | null = null;
    return () => (memo ??= analyzeWith({ ...input, budgetMs: undefined }, config, false));
  }

  /**
   * A multi-document manifest, one group at a time: each document with the documents that
   * hold ServiceAccounts or LimitRanges (the only facts one document reads from another),
   * plus those alone. A group whose texts are unchanged reuses its reports, moved to where
   * its documents now start. False when the budget ran out.
   */
  function kubernetesByGroup(
    key: string,
    file: AnalysedFile,
    docs: YamlDoc[],
    opts: Parameters<typeof buildKubernetesModel>[2],
    config: Config,
    runRules: (file: AnalysedFile, out: RawReport[]) => boolean,
    raw: RawReport[],
    regions: IgnoreRegion[],
    /** The fixes of a reused report, looked up in one whole analysis made when a fix is first read. */
    later: (f: Finding) => Fix[],
  ): boolean {
    const related = docs.filter(isRelatedDoc);
    const plain = related.length ? docs.filter((d) => !related.includes(d)) : docs;
    const list: YamlDoc[][] = plain.map((d) => [d, ...related]);
    if (related.length) list.unshift(related);
    const configKey = configKeyOf(config);
    const before = groups.get(key);
    // a group is named by its parsed documents (the YAML cache hands out the same parse for
    // the same text, and a new one for any other), never by its text: no text is hashed per edit
    const prev = before?.configKey === configKey ? before.entries : undefined;
    const next = new Map<string, GroupEntry>();
    let chars = 0;
    let ok = true;
    const relatedKeys = new Set<string>();
    const outside = new Set<string>();
    for (const [i, group] of list.entries()) {
      const gkey = group.length === 1 ? docIdOf(group[0]) : group.map(docIdOf).join(',');
      let entry = next.get(gkey) ?? prev?.get(gkey);
      let fresh: RawReport[] | null = null;
      if (!entry) {
        const sub: AnalysedFile = { ...file, yaml: group, containers: [] };
        sub.kubernetes = buildKubernetesModel(sub, group, opts);
        sub.containers.push(...sub.kubernetes.containers);
        fresh = [];
        if (!runRules(sub, fresh)) {
          ok = false;
          break;
        }
        entry = groupEntry(group, fresh, annotationSuppressions(sub.kubernetes.objects));
      }
      if (!next.has(gkey)) {
        next.set(gkey, entry);
        chars += gkey.length;
      }
      const isRelatedGroup = related.length > 0 && i === 0;
      const at = (doc: number, offset: number) => (doc < 0 ? offset : group[doc].base + offset);
      for (const [n, r] of entry.reports.entries()) {
        const { rule, severity, message } = r.report;
        const moved: RawReport = { rule, severity, message, start: at(r.doc, r.start), end: at(r.doc, r.end), fixes: undefined, fixesLater: undefined, build: undefined };
        // what the documents with ServiceAccounts and LimitRanges report on themselves, once
        if (r.doc < 0) {
          // not inside the group's documents (a file-level report): once
          const k = rawKey(moved);
          if (outside.has(k)) continue;
          outside.add(k);
        } else if (isRelatedGroup) relatedKeys.add(rawKey(moved));
        else if (r.doc > 0 && relatedKeys.has(rawKey(moved))) continue;
        if (fresh) {
          moved.fixes = fresh[n].fixes;
          moved.fixesLater = fresh[n].fixesLater;
          moved.build = fresh[n].build;
        }
        else moved.fixesLater = later;
        raw.push(moved);
      }
      for (const g of entry.regions) regions.push({ start: at(g.doc, g.start), end: at(g.doc, g.end), ids: g.ids });
    }
    if (!ok) {
      groups.delete(key);
      return false;
    }
    setRecent(groups, key, { configKey, entries: next, chars }, MAX_GROUP_KEYS);
    return true;
  }

  /** A rule's own and peer ids, lower case (suppress.ts), once per rule. */
  const ruleIds = new Map<string, Set<string>>();
  function idsOf(rule: string): Set<string> {
    let ids = ruleIds.get(rule);
    if (!ids) ruleIds.set(rule, (ids = idsFor(rule, byId.get(rule)?.meta.peers)));
    return ids;
  }

  function finish(raw: RawReport[], result: AnalysisResult, config: Config, suppress: boolean, regions: IgnoreRegion[] = []): Finding[] {
    const out: Finding[] = [];
    const sups = suppress ? findSuppressions(result.index, result.kind !== 'dockerfile') : [];
    const mask = maskCached;
    for (const r of raw) {
      const severity = severityOf(r.rule, r.severity, config);
      if (severity === null) continue;
      const { start, end } = clampSpan(result.text, r.start, r.end);
      if (r.rule !== 'internal-error') {
        const ids = idsOf(r.rule);
        if (sups.length && suppressedBy(sups, r.rule, result.index.positionAt(start).line, ids)) continue;
        if (regions.some((g) => g.start <= start && start < g.end && g.ids.some((x) => x === '*' || ids.has(x.toLowerCase())))) continue;
      }
      if (r.build) out.push(new LazyFinding(r.rule, severity, mask(r.message), start, end, r.build as (f: Finding) => Fix[], true));
      else if (r.fixesLater) out.push(new LazyFinding(r.rule, severity, mask(r.message), start, end, r.fixesLater, false));
      else out.push({ rule: r.rule, severity, message: mask(r.message), start, end, fixes: ((r.fixes as Fix[] | undefined) ?? []).map((f) => ({ ...f, title: mask(f.title) })) });
    }
    const unusedSeverity = severityOf('unused-suppression', 'info', config);
    if (unusedSeverity) {
      for (const s of sups) {
        if (!s.own || s.used || s.ids.includes('*')) continue;
        const known = s.ids.filter((id) => CATALOG_IDS.includes(id) || id in BUILTIN_IDS);
        const unknown = s.ids.filter((id) => !known.includes(id));
        let message: string | null = null;
        if (unknown.length) message = `Unknown rule ${unknown.map((x) => `'${x}'`).join(', ')} in bulkhead-ignore`;
        // Only rules that ran can prove a suppression unused.
        else if (known.every((id) => byId.has(id) && severityOf(id, byId.get(id)!.meta.severity, config) !== null && byId.get(id)!.meta.platforms.includes(result.kind as never))) {
          message = `This bulkhead-ignore for ${known.join(', ')} suppresses nothing${s.file ? ' in this file' : ' on the line below or this line'}`;
        }
        if (message) {
          // rule ids come from the comment's text: the same masking and bound as every other message
          out.push({ rule: 'unused-suppression', severity: unusedSeverity, message: mask(message), start: s.span.start, end: s.span.end, fixes: [{ title: 'Remove the unused bulkhead-ignore comment', preferred: false, edits: [removeComment(result, s.span)] }] });
        }
      }
    }
    // rule ids by code point, not localeCompare: the same order on every machine and locale, and
    // no ICU collator (its first use pages in ~3 MB of Node's ICU data, kept for the process)
    return out.sort((a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  }

  /**
   * Applies preferred fixes round by round until nothing changes. After each round it
   * checks that every fix cleared the finding it was chosen for (no finding of the same
   * rule, with the same message, where that finding moved to); fixes that did not are
   * dropped and never tried again, and the round is redone without them. A fix that cannot
   * work (a USER appended into an unterminated heredoc) so stops after one try instead of
   * being applied again on every round and every save.
   */
  function fixAll(input: AnalyzeInput, config: Config, options: FixAllOptions = {}): FixAllResult {
    let current = input;
    let applied = 0;
    const files: FileRequest[] = [];
    let result = analyze(current, config);
    const bom = result.bom;
    const blocked = new Set<string>();
    const seen = new Set<string>([result.text]);
    for (let round = 0; round < 10; round++) {
      const only = options.only;
      let chosen = choose(only ? result.findings.filter((f) => only(f, result)) : result.findings, options.skipFileFixes, (c) => !blocked.has(fixKey(result.text, c)), options.unsafe);
      let text = result.text;
      let next: AnalysisResult | null = null;
      while (chosen.length > 0) {
        const edits = chosen.flatMap((c) => c.fix.edits);
        text = applyEdits(result.text, edits);
        if (text === result.text) break;
        next = analyze({ ...current, text }, config);
        const after = next;
        const failed = chosen.filter((c) => !cleared(c.finding, edits, after));
        if (failed.length === 0) break;
        for (const c of failed) blocked.add(fixKey(result.text, c));
        chosen = chosen.filter((c) => !failed.includes(c));
        text = result.text;
        next = null;
      }
      if (!next || text === result.text || seen.has(text)) break;
      seen.add(text);
      applied += chosen.length;
      for (const c of chosen) files.push(...(c.fix.files ?? []));
      current = { ...current, text };
      result = next;
    }
    return { text: result.text, bom, applied, files, result };
  }

  const engine: Engine = {
    rules,
    get stats() {
      return { yamlParses: yamlCache.parses, serviceParses: composeUnits.sliceParses, serviceRefused: composeUnits.sliceRefused };
    },
    now: () => performance.now(),
    analyze,
    forget(cacheKey) {
      if (cacheKey === undefined) {
        groups.clear();
        composeUnits.forget();
        yamlCache.clearOwners();
        dockerMemos.clear();
      } else {
        groups.delete(cacheKey);
        composeUnits.forget(cacheKey);
        yamlCache.forget(cacheKey);
        dockerMemos.delete(cacheKey);
      }
    },
    invalidate(cacheKey) {
      if (cacheKey === undefined) groups.clear();
      else groups.delete(cacheKey);
      composeUnits.forget(cacheKey);
    },
    cacheSize() {
      const y = yamlCache.size();
      let groupEntries = 0;
      let groupChars = 0;
      for (const g of groups.values()) {
        groupEntries += g.entries.size;
        groupChars += g.chars;
      }
      const units = composeUnits.size();
      groupEntries += units.entries;
      groupChars += units.chars;
      return { yamlEntries: y.entries, yamlChars: y.chars, groupEntries, groupChars, keys: Math.max(y.owners, groups.size + units.files) };
    },
    dockerCacheSize: () => dockerMemos.size(),
    fixAll,
  };
  return engine;
}

/** What went wrong, by its class only (`TypeError`, `RangeError`): an exception's message may quote the file. */
function errorKind(e: unknown): string {
  const name = e instanceof Error ? e.name : typeof e;
  return /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(name) ? name : 'Error';
}

/**
 * Keeps a finding's offsets inside the text, in order, and off the middle of a `\r\n` (a
 * position between the two is no place in an editor, and CRLF is one line break): an offset
 * there moves back to the `\r`, the end of the line's content.
 */
export function clampSpan(text: string, start: number, end: number): Span {
  const inside = (o: number) => (Number.isFinite(o) ? Math.max(0, Math.min(Math.trunc(o), text.length)) : 0);
  let s = inside(start);
  let e = Math.max(s, inside(end));
  const split = (o: number) => o > 0 && o < text.length && text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10;
  if (split(s)) s--;
  if (split(e)) e--;
  return { start: s, end: Math.max(s, e) };
}

/** Each finding's preferred fix, dropping any whose edits overlap one already taken. */
export function chooseFixes(findings: Finding[], skipFileFixes = false): Fix[] {
  return choose(findings, skipFileFixes, () => true).map((c) => c.fix);
}

interface Chosen {
  finding: Finding;
  fix: Fix;
}

function choose(findings: Finding[], skipFileFixes: boolean | undefined, allowed: (c: Chosen) => boolean, unsafe = false): Chosen[] {
  const taken: TextEdit[] = [];
  const out: Chosen[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const usable = (x: Fix) => !(skipFileFixes && x.files?.length);
    const fix = f.fixes.find((x) => x.preferred && usable(x)) ?? (unsafe ? f.fixes.find(usable) : undefined);
    if (!fix || !allowed({ finding: f, fix })) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const overlaps = fix.edits.some((e) => taken.some((t) => e.start < t.end && t.start < e.end || e.start === t.start));
    if (overlaps) continue;
    seen.add(key);
    taken.push(...fix.edits);
    out.push({ finding: f, fix });
  }
  return out;
}

/** Names a fix of a finding independently of where earlier rounds moved it. */
function fixKey(text: string, c: Chosen): string {
  return [c.finding.rule, c.finding.message, c.fix.title, text.slice(c.finding.start, c.finding.end)].join('\0');
}

/** Where an offset is after the edits (sorted or not, never overlapping); at an insertion point, before or after it. */
function mapOffset(o: number, edits: readonly TextEdit[], after: boolean): number {
  let delta = 0;
  let inside: TextEdit | null = null;
  for (const e of edits) {
    if (e.end < o || (e.end === o && (e.start < o || after))) delta += e.text.length - (e.end - e.start);
    else if (e.start < o && o < e.end) inside = e;
  }
  return inside ? inside.start + delta + (after ? inside.text.length : 0) : o + delta;
}

/** True unless the analysis after the edits still has the same finding where it moved to. */
function cleared(f: Finding, edits: readonly TextEdit[], after: AnalysisResult): boolean {
  const spans = [false, true].map((right) => ({ start: mapOffset(f.start, edits, right), end: mapOffset(f.end, edits, right) }));
  return !after.findings.some((g) => g.rule === f.rule && g.message === f.message && spans.some((s) => s.start === g.start && s.end === g.end));
}

/** Applies non-overlapping edits (offsets into `text`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** An edit that removes a comment: the whole line when the comment is alone on it. */
function removeComment(result: AnalysisResult, span: Span): TextEdit {
  const { index } = result;
  const line = index.positionAt(span.start).line;
  const start = index.lineStart(line);
  if (result.text.slice(start, span.start).trim() === '') {
    const next = line + 1 < index.lineCount ? index.lineStart(line + 1) : index.lineEnd(line);
    return { start, end: next, text: '' };
  }
  let s = span.start;
  while (s > start && /[ \t]/.test(result.text[s - 1])) s--;
  return { start: s, end: span.end, text: '' };
}

interface IgnoreRegion extends Span {
  ids: string[];
}

const IGNORE_ANNOTATION = 'bulkhead.dev/ignore';
const KUBE_LINTER_ANNOTATION = 'ignore-check.kube-linter.io/';

/** `bulkhead.dev/ignore: "rule-a,rule-b"` (and kube-linter's) on an object or its pod template. */
function annotationSuppressions(objects: KubeObject[]): IgnoreRegion[] {
  const out: IgnoreRegion[] = [];
  for (const o of objects) {
    const { doc, base } = o.ydoc;
    const ids: string[] = [];
    for (const meta of [getMap(o.map, 'metadata', doc), o.podMeta]) {
      const ann = getMap(meta, 'annotations', doc);
      if (!ann) continue;
      const own = str(get(ann, IGNORE_ANNOTATION, doc)?.value);
      if (own) ids.push(...own.split(/[,\s]+/).filter(Boolean));
      for (const p of ann.items) {
        const k = String((p.key as { value?: unknown } | null)?.value ?? '');
        if (k.startsWith(KUBE_LINTER_ANNOTATION)) ids.push(k.slice(KUBE_LINTER_ANNOTATION.length));
      }
    }
    if (ids.length && o.map.range) out.push({ start: base + o.map.range[0], end: base + o.map.range[2], ids });
  }
  return out;
}

/** A manifest listed under a kustomization's patches in the same folder is a partial object. */
function kustomizePatchCheck(input: AnalyzeInput): ((d: YamlDoc) => boolean) | undefined {
  if (!input.workspace || !input.path) return undefined;
  const name = basename(input.path);
  let listed: boolean | undefined;
  return () => {
    if (listed === undefined) listed = kustomizationPatches(input.workspace!).has(name);
    return listed;
  };
}

/** File names a kustomization in this folder lists as patches (all three patch forms). */
function kustomizationPatches(ws: WorkspaceView): Set<string> {
  const out = new Set<string>();
  for (const k of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const text = ws.read(k);
    if (text === undefined) continue;
    let data: unknown;
    try {
      data = parseDocument(text).toJS({ maxAliasCount: 100 });
    } catch {
      return out;
    }
    const o = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
      const list = o[key];
      if (!Array.isArray(list)) continue;
      for (const p of list) {
        const file = typeof p === 'string' ? p : p && typeof p === 'object' ? (p as Record<string, unknown>).path : undefined;
        if (typeof file === 'string' && !file.includes('\n')) out.add(basename(file));
      }
    }
    return out;
  }
  return out;
}

/**
 * The latest answer per Compose file and Dockerfile (and target), with the Dockerfile's text,
 * the config's nonRootImages and every file the model read: reused while all are the same.
 */
const builtUsers = new Map<string, { text: string | undefined; nonRootImages: string[]; reads: [string, string | undefined][]; found: ReturnType<BuildUserLookup> }>();
const MAX_BUILT_USERS = 64;

/** Reads a service's Dockerfile from the workspace and answers with its final USER and VOLUMEs (each Dockerfile parsed once per analysis, and again only when it or a file it read changed). */
function dockerfileUserLookup(input: AnalyzeInput, config: Config): BuildUserLookup | undefined {
  const ws = input.workspace;
  if (!ws) return undefined;
  const seen = new Map<string, ReturnType<BuildUserLookup>>();
  return (context, dockerfile, target) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.includes('${')) return null;
    const rel = `${context.replace(/\/+$/, '')}/${dockerfile}`.replace(/^\.\//, '');
    const key = `${rel}\n${target ?? ''}`;
    if (seen.has(key)) return seen.get(key)!;
    const text = ws.read(rel);
    const dir = context.replace(/\/+$/, '').replace(/^\.(\/|$)/, '');
    const read = (p: string) => ws.read(dir ? `${dir}/${p}` : p);
    // the same Dockerfile, config and files it read as last time: the same answer (no parse per keystroke)
    const memoKey = `${input.path ?? ''}\0${key}`;
    const last = builtUsers.get(memoKey);
    if (last && last.text === text && last.nonRootImages === config.nonRootImages && last.reads.every(([p, t]) => read(p) === t)) {
      seen.set(key, last.found);
      return last.found;
    }
    const reads: [string, string | undefined][] = [];
    const logged = (p: string) => {
      const t = read(p);
      reads.push([p, t]);
      return t;
    };
    const model = text === undefined ? null : buildDockerfileModel(parseDockerfile(stripBom(text).text), { nonRootImages: config.nonRootImages, target, read: logged });
    const found = model?.container ? { user: model.container.user, path: rel, volumes: model.volumes } : null;
    seen.set(key, found);
    setRecent(builtUsers, memoKey, { text, nonRootImages: config.nonRootImages, reads, found }, MAX_BUILT_USERS);
    return found;
  };
}

/**
 * A report on its way to a finding; `build` (a rule's fix builder) or `fixesLater` (the
 * engine's lookup in a whole analysis) builds its fixes when first read (`fixes` is then unset).
 */
type RawReport = Omit<Report, 'fixes'> & { rule: string; severity: Severity; fixes?: Fix[]; fixesLater?: (f: Finding) => Fix[]; build?: () => (Fix | PlannedFix)[] };

/** A rule's report as the engine keeps it: a fix builder is kept as `build` (LazyFinding calls it); a rule not fixable has none. */
function rawOf(r: Report, rule: Rule): RawReport {
  const out: RawReport = { start: r.start, end: r.end, message: r.message, rule: rule.meta.id, severity: r.severity ?? rule.meta.severity };
  if (r.preset !== undefined) out.preset = r.preset;
  const fixes = r.fixes;
  if (!rule.meta.fixable) out.fixes = [];
  else if (typeof fixes === 'function') out.build = fixes;
  else out.fixes = fixes;
  return out;
}

/** A group's reports and ignore regions, each offset relative to the start of the group's document it lies in (doc -1: kept as is). */
interface GroupEntry {
  reports: { doc: number; start: number; end: number; report: Pick<RawReport, 'rule' | 'severity' | 'message'> }[];
  regions: { doc: number; start: number; end: number; ids: string[] }[];
}

/** The documents with objects other documents read facts from (one manifest's pods read its ServiceAccounts and LimitRanges). */
const RELATED_OBJECT = /\bkind["']?[ \t]*:[ \t]*["']?(?:ServiceAccount|LimitRange|List)\b/;

/** Per parsed document (parses are cached by their exact text): an id naming it, whether it holds related objects, its line breaks. */
const docFacts = new WeakMap<Document.Parsed, { id: string; related: boolean; lines?: number[] }>();
let nextDocId = 0;
function factsOf(d: YamlDoc): { id: string; related: boolean; lines?: number[] } {
  let f = docFacts.get(d.doc);
  if (!f) docFacts.set(d.doc, (f = { id: (nextDocId++).toString(36), related: RELATED_OBJECT.test(d.text) }));
  return f;
}
const docIdOf = (d: YamlDoc): string => factsOf(d).id;

/**
 * A file's line starts from its documents' own (each document's computed once per parse):
 * no scan of the whole text per edit. Undefined unless the documents cover the text exactly.
 */
function joinedLineStarts(docs: YamlDoc[], length: number): number[] | undefined {
  const starts = [0];
  let at = 0;
  for (const d of docs) {
    if (d.base !== at) return undefined;
    const f = factsOf(d);
    const lines = (f.lines ??= lineBreaks(d.text));
    for (const l of lines) starts.push(d.base + l);
    at += d.text.length;
  }
  return at === length ? starts : undefined;
}
const isRelatedDoc = (d: YamlDoc): boolean => factsOf(d).related;

function groupEntry(group: YamlDoc[], reports: RawReport[], regions: IgnoreRegion[]): GroupEntry {
  const docOf = (offset: number) => {
    for (let i = 0; i < group.length; i++) {
      const d = group[i];
      if (d.base <= offset && offset <= d.base + d.text.length) return i;
    }
    return -1;
  };
  const rel = (offset: number, doc: number) => (doc < 0 ? offset : offset - group[doc].base);
  return {
    // only what finish() reads; fixes are not kept: a reused report builds them again when asked
    reports: reports.map((r) => {
      const doc = docOf(r.start);
      return { doc, start: rel(r.start, doc), end: rel(r.end, doc), report: { rule: r.rule, severity: r.severity, message: r.message } };
    }),
    regions: regions.map((g) => {
      const doc = docOf(g.start);
      return { doc, start: rel(g.start, doc), end: rel(g.end, doc), ids: g.ids };
    }),
  };
}

function rawKey(r: RawReport): string {
  return `${r.rule}\0${r.start}\0${r.end}\0${r.message}`;
}

function findingKey(f: Finding): string {
  return `${f.rule}\0${f.start}\0${f.end}\0${f.message}`;
}

/** The config as a cache key (configs are small; the same object is asked about on every keystroke). */
const configKeys = new WeakMap<Config, string>();
function configKeyOf(config: Config): string {
  let k = configKeys.get(config);
  if (k === undefined) configKeys.set(config, (k = JSON.stringify(config)));
  return k;
}

/**
 * Every fix of a text by finding, from its whole analysis (`wholeOf`): reused reports build no
 * fixes of their own. The analysis runs, and the lookup is made, when the first fix is read.
 */
function fixesFrom(whole: () => AnalysisResult): (f: Finding) => Fix[] {
  let byKey: Map<string, Fix[]> | null = null;
  return (f) => {
    if (!byKey) {
      byKey = new Map();
      for (const x of whole().findings) if (!byKey.has(findingKey(x))) byKey.set(findingKey(x), x.fixes);
    }
    return byKey.get(findingKey(f)) ?? [];
  };
}

/*
 * The closures a reused result keeps (its findings' fixes, fixesFrom above; its containers)
 * are made here, outside analyzeWith: a closure made inside it keeps analyzeWith's whole scope alive (the
 * file, its parse and model) as long as the result is kept, and the language server keeps
 * the last result of each document (a heap snapshot with one result kept showed the parse
 * of its Compose edit still alive; with these, only the engine's cached parse).
 */
function containersOf(whole: () => AnalysisResult): () => ContainerSpec[] | undefined {
  return () => whole().containers;
}

/**
 * A finding whose `fixes` are built when first read, then kept. A class with the getter on its
 * prototype, holding the rule's builder as it is: a getter and a try/catch wrapper made for
 * each finding (closures over the builder, which closes over the rule's context) kept each
 * analysis's parse and model alive through V8's young-generation collections, so they went to
 * the old generation and stayed there until a full collection (see core/attach.ts: ~76 KB of
 * each Dockerfile analysis before, ~4 KB after).
 */
class LazyFinding implements Finding {
  #built: Fix[] | undefined = undefined;
  /** What the builder returned, before planned fixes are built (read by `offers`). */
  #planned: (Fix | PlannedFix)[] | undefined = undefined;
  #later: ((f: Finding) => (Fix | PlannedFix)[]) | undefined;
  /** True for a rule's builder: one that throws offers no fix rather than breaking the code action or `--fix` that asked. */
  readonly #guarded: boolean;

  constructor(
    public rule: string,
    public severity: Severity,
    public message: string,
    public start: number,
    public end: number,
    later: (f: Finding) => (Fix | PlannedFix)[],
    guarded: boolean,
  ) {
    this.#later = later;
    this.#guarded = guarded;
  }

  /** Runs the builder, once. */
  #plan(): (Fix | PlannedFix)[] {
    if (this.#planned === undefined) {
      const later = this.#later!;
      this.#later = undefined;
      if (!this.#guarded) this.#planned = later(this);
      else {
        try {
          this.#planned = (later as () => (Fix | PlannedFix)[])();
        } catch {
          this.#planned = [];
        }
      }
    }
    return this.#planned;
  }

  get fixes(): Fix[] {
    if (this.#built === undefined) {
      const fixes: Fix[] = [];
      for (const x of this.#plan()) {
        if (!isPlanned(x)) {
          fixes.push({ ...x, title: maskCached(x.title) });
          continue;
        }
        let change: ReturnType<PlannedFix['build']>;
        try {
          change = x.build();
        } catch (e) {
          if (!this.#guarded) throw e;
          change = null;
        }
        if (!change) continue;
        const fix: Fix = { title: maskCached(x.title), preferred: x.preferred, edits: change.edits };
        if (change.files) fix.files = change.files;
        fixes.push(fix);
      }
      this.#built = fixes;
      this.#planned = undefined;
    }
    return this.#built;
  }

  set fixes(value: Fix[]) {
    this.#built = value;
    this.#planned = undefined;
    this.#later = undefined;
  }

  /** Each fix's title and safety, without building the edits of a planned fix. */
  get offers(): FixOffer[] {
    const from = this.#built ?? this.#plan();
    return from.map((x) => ({ title: maskCached(x.title), preferred: x.preferred }));
  }
}

function isPlanned(x: Fix | PlannedFix): x is PlannedFix {
  return typeof (x as Partial<PlannedFix>).build === 'function';
}

/**
 * A finding's fixes as a report lists them: title and safety. A planned fix is listed without
 * building its edits (it is listed when its plan exists; none of the 4,700 builds over the
 * test corpus, the KICS corpus and the bench fixtures was refused once planned).
 */
export function fixOffers(f: Finding): FixOffer[] {
  return f instanceof LazyFinding ? f.offers : f.fixes;
}

/** `obj[key]` built by `build` when first read (then a plain property); setting it first skips the build. */
function lazyProperty<T extends object, K extends keyof T>(obj: T, key: K, build: () => T[K]): void {
  const plain = (value: T[K]) => Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = build();
      plain(value);
      return value;
    },
    set: plain,
  });
}

/** Masked messages and titles by their text (the same few hundred recur on every keystroke). */
const masked = new Map<string, string>();
function maskCached(t: string): string {
  let m = masked.get(t);
  if (m === undefined) {
    if (masked.size >= 4096) masked.clear();
    masked.set(t, (m = safeText(t)));
  }
  return m;
}
