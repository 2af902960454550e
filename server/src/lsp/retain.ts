/**
 * What the server keeps of each open document's analysis between requests (docs/performance.md,
 * "Bounded memory").
 *
 * A whole analysis holds the parsed file, the model (every container's facts and the setters
 * that build fixes) and the findings' fixes: tens of kilobytes for a small Dockerfile, far
 * more for a manifest. Only the documents analysed last (the ones being typed in) keep it.
 * The others shrink to what diagnostics, the status and a later pull read: the text, its line
 * index and each finding's rule, severity, message and range. A request that needs more of a
 * shrunk analysis (a hover's fix titles, a lens's containers) analyses that text once more,
 * without the per-document reuse, and the few analyses made so are kept in a small LRU.
 * Code actions (whole analyses with every fix) are kept for the last few documents only.
 */
import type { AnalysisResult } from '../core/engine';
import type { ContainerSpec } from '../core/model/container';
import type { Finding, Fix, Severity } from '../core/types';

export interface RetainedEntry {
  version: number;
  configKey: string;
  result: AnalysisResult;
}

export interface RetainOptions {
  /** How many of the most recently stored analyses stay whole. */
  whole: number;
  /** Past that: shrink the older ones (diagnostics analyses) or drop them (code-action analyses). */
  older: 'shrink' | 'drop';
  /** How many analyses made again for shrunk ones are kept (hover and lens ask several times in a row). */
  again?: number;
}

/** What a shrunk analysis answers with, once asked for more than its findings. */
class Regrown {
  private whole: AnalysisResult | null = null;
  private byKey: Map<string, Fix[]> | null = null;

  constructor(
    private readonly store: RetainedAnalyses,
    private readonly again: () => AnalysisResult,
  ) {}

  result(): AnalysisResult {
    if (!this.whole) {
      this.whole = this.again();
      this.store.regrown(this);
    }
    return this.whole;
  }

  fixes(f: Finding): Fix[] {
    if (!this.byKey || !this.whole) {
      const whole = this.result();
      this.byKey = new Map();
      for (const g of whole.findings) {
        const k = findingKey(g);
        if (!this.byKey.has(k)) this.byKey.set(k, g.fixes);
      }
    }
    return this.byKey.get(findingKey(f)) ?? [];
  }

  /** Dropped from the LRU: the next question analyses again. */
  forget(): void {
    this.whole = null;
    this.byKey = null;
  }
}

function findingKey(f: Finding): string {
  return `${f.rule}\0${f.start}\0${f.end}\0${f.message}`;
}

/** A finding as diagnostics read it; its fixes are built again when read (a hover's fix titles). */
class ShrunkFinding implements Finding {
  constructor(
    readonly rule: string,
    readonly severity: Severity,
    readonly message: string,
    readonly start: number,
    readonly end: number,
    private readonly from: Regrown,
  ) {}

  get fixes(): Fix[] {
    return this.from.fixes(this);
  }
}

/** A shrunk analysis: the same findings, text and index; containers analysed again when read. */
class ShrunkResult implements AnalysisResult {
  readonly kind: AnalysisResult['kind'];
  readonly text: string;
  readonly bom: boolean;
  readonly index: AnalysisResult['index'];
  readonly findings: Finding[];
  private readonly from: Regrown;
  private readonly hasContainers: boolean;

  constructor(result: AnalysisResult, from: Regrown) {
    this.kind = result.kind;
    this.text = result.text;
    this.bom = result.bom;
    this.index = result.index;
    this.from = from;
    this.hasContainers = 'containers' in result; // not read: a manifest's containers may be built on first read
    this.findings = result.findings.map((f) => new ShrunkFinding(f.rule, f.severity, f.message, f.start, f.end, from));
  }

  get containers(): ContainerSpec[] | undefined {
    return this.hasContainers ? this.from.result().containers : undefined;
  }
}

/** True for an analysis kept in its shrunk form. */
export function isShrunk(result: AnalysisResult): boolean {
  return result instanceof ShrunkResult;
}

/**
 * Analyses per document URI (the latest stored version of each), `Map`-like. `set` takes the
 * way to analyse the same text again, used when a shrunk analysis is asked for more.
 */
export class RetainedAnalyses {
  /** Insertion order is recency: the last `whole` entries are whole. */
  private readonly entries = new Map<string, RetainedEntry & { again?: () => AnalysisResult }>();
  private readonly regrownLru: Regrown[] = [];

  constructor(private readonly options: RetainOptions) {}

  get(uri: string): RetainedEntry | undefined {
    return this.entries.get(uri);
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  /**
   * `shrunk`: keep the analysis shrunk from the start (with `older: 'shrink'` and `again`), for
   * a document not expected to be asked again soon: a whole analysis kept for a few more
   * analyses outlives V8's young generation and is copied to the old one.
   */
  set(uri: string, entry: RetainedEntry, again?: () => AnalysisResult, shrunk = false): void {
    this.entries.delete(uri);
    if (shrunk && again && this.options.older === 'shrink') {
      this.entries.set(uri, { version: entry.version, configKey: entry.configKey, result: new ShrunkResult(entry.result, new Regrown(this, again)) });
      return;
    }
    this.entries.set(uri, { ...entry, again });
    let older = this.entries.size - this.options.whole;
    for (const [key, e] of this.entries) {
      if (older-- <= 0) break;
      if (isShrunk(e.result)) continue;
      if (this.options.older === 'drop' || !e.again) this.entries.delete(key);
      else this.entries.set(key, { version: e.version, configKey: e.configKey, result: new ShrunkResult(e.result, new Regrown(this, e.again)) });
    }
  }

  delete(uri: string): boolean {
    return this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
    for (const r of this.regrownLru.splice(0)) r.forget();
  }

  /** What is kept, for tests and the bench. */
  stats(): { entries: number; whole: number; shrunk: number; regrown: number } {
    let shrunk = 0;
    for (const e of this.entries.values()) if (isShrunk(e.result)) shrunk++;
    return { entries: this.entries.size, whole: this.entries.size - shrunk, shrunk, regrown: this.regrownLru.length };
  }

  /** A shrunk analysis was analysed again: keep that in the LRU, forgetting the oldest. */
  regrown(r: Regrown): void {
    const at = this.regrownLru.indexOf(r);
    if (at >= 0) this.regrownLru.splice(at, 1);
    this.regrownLru.push(r);
    while (this.regrownLru.length > (this.options.again ?? 4)) this.regrownLru.shift()!.forget();
  }
}
