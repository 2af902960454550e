/**
 * Per-service reuse for a Compose file (issue 16): an edit inside one service re-runs the
 * rules on that service only. The file is cut into units: each entry of `services:` (from
 * its key to the next service's key) and the context (everything outside `services:`: the
 * top-level networks, volumes, secrets, configs, x- sections). A service's reports are kept
 * by its text together with the context's text, the config and the file's name; the
 * context's by its own text. A unit whose key is unchanged reuses its reports, moved to where
 * it now starts; the others run the rules over a model holding only that unit.
 *
 * Only for files where units cannot read each other: one YAML document without errors or
 * duplicate keys, no aliases (no service merges another's anchor), no merge key among the
 * services, not a stack (its implicit default network depends on every service), not legacy.
 * Every report of a unit's run must lie inside that unit; otherwise the file is analysed
 * whole. Fixes are built on demand from one whole analysis (the caller's `fixesLater`).
 */
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { aliasNames } from './model/composeFacts';
import { composeDocumentPart, GPG_CONTEXT } from './model/strings';
import { ownString, type YamlDoc } from './parse/yaml';
import { setRecent } from './recent';
import type { AnalysedFile } from './rule';
import type { Finding, Fix, Report, Severity } from './types';

export type UnitReport = Omit<Report, 'fixes'> & { rule: string; severity: Severity; fixes?: Fix[]; fixesLater?: (f: Finding) => Fix[] };

/** A unit's reports: offsets relative to the unit's start (a service), or for the context absolute (before `services:`) or from the end of `services:` (after it). */
interface UnitEntry {
  /** The unit's text, as a copy of its own (never a view into a whole file's text). */
  key: string;
  /** What finish() reads of a report besides its span and fixes. */
  reports: { start: number; end: number; after: boolean; rule: string; severity: Severity; message: string }[];
}

interface Unit {
  /** The service's text (from its key to the next service's key); '' for the context. */
  key: string;
  /** The service entry's value (null for the context). */
  value: Node | null;
  start: number;
  end: number;
}

export class ComposeServiceReuse {
  /**
   * Per file (cacheKey): what every unit's key shares (`common`), the context's entry, and the
   * services of its latest text only, by their text (`order`: as they came). `failed`: a unit
   * reported outside itself with this `common`, so the file is analysed whole until it changes.
   */
  private readonly files = new Map<string, { common: string; failed: boolean; context: UnitEntry | null; entries: Map<string, UnitEntry>; order: UnitEntry[]; chars: number }>();
  /** Unit runs so far (tests count them). */
  runs = 0;

  constructor(private readonly maxFiles = 64) {}

  /** Drops a file's units, or every file's. */
  forget(key?: string): void {
    if (key === undefined) this.files.clear();
    else this.files.delete(key);
  }

  /** Units kept and the characters of their keys. */
  size(): { files: number; entries: number; chars: number } {
    let entries = 0;
    let chars = 0;
    for (const f of this.files.values()) {
      entries += f.entries.size + (f.context ? 1 : 0);
      chars += f.chars + f.common.length;
    }
    return { files: this.files.size, entries, chars };
  }

  /**
   * Runs the rules unit by unit into `raw`. Null when the file does not qualify (nothing was
   * added to `raw`: the caller runs the rules over the whole file); false when the budget ran out.
   * `keyBase` names what every unit depends on beyond the text (config, file name).
   */
  run(
    key: string,
    keyBase: string,
    file: AnalysedFile,
    runRules: (file: AnalysedFile, out: UnitReport[]) => boolean,
    raw: UnitReport[],
    fixesLater: () => (f: Finding) => Fix[],
  ): boolean | null {
    const model = file.compose;
    const docs = file.yaml ?? [];
    if (!model || model.stack || model.legacy || docs.length !== 1) return null;
    const ydoc = docs[0];
    const found = servicesMap(ydoc);
    if (!found) return null;
    const { services } = found;
    const { text } = file;
    const base = ydoc.base;
    const items = services.items as Pair<Node, Node | null>[];
    const starts: number[] = [];
    for (const p of items) {
      if (!isScalar(p.key) || !p.key.range || String(p.key.value) === '<<') return null;
      starts.push(base + p.key.range[0]);
    }
    const servicesEnd = base + services.range![1];
    if (!starts.length || starts.some((s, i) => i > 0 && s <= starts[i - 1]) || servicesEnd <= starts[starts.length - 1]) return null;
    const head = text.slice(0, starts[0]);
    const tail = text.slice(servicesEnd);
    const common = `${keyBase}\0${GPG_CONTEXT.test(text) ? 'gpg' : ''}\0${head.length}\0${head}\0${tail}`;
    const last = this.files.get(key);
    const prev = last?.common === common ? last : undefined;
    // this file's units reported outside themselves with these top-level sections: analysed whole
    if (prev?.failed) return null;
    // with aliases, which anchored values a service reads decides what the context reports (an
    // x- value no service merges is reported there): the context depends on every service
    const context: Unit = found.aliases ? { key: '', value: null, start: starts[0], end: servicesEnd } : { key: '', value: null, start: 0, end: 0 };
    const units: Unit[] = items.map((p, i) => ({ key: '', value: p.value, start: starts[i], end: i + 1 < starts.length ? starts[i + 1] : servicesEnd }));

    const next = new Map<string, UnitEntry>();
    const order: UnitEntry[] = [];
    let chars = 0;
    const out: UnitReport[] = [];
    let fixes: ((f: Finding) => Fix[]) | null = null;
    const lazy = (f: Finding) => (fixes ??= fixesLater())(f);
    const fail = (): null => {
      this.files.delete(key);
      this.files.set(key, { common: ownString(common), failed: true, context: null, entries: new Map(), order: [], chars: 0 });
      return null;
    };
    const inPlace = (e: UnitEntry | null | undefined, unit: Unit) => e && e.key.length === unit.end - unit.start && text.startsWith(e.key, unit.start);
    let contextEntry = inPlace(prev?.context, context) ? prev!.context! : null;
    if (!contextEntry) {
      const fresh: UnitReport[] = [];
      this.runs++;
      if (!runRules(this.part(file, ydoc, services, context, found.aliases), fresh)) return this.fail(key, raw, out);
      contextEntry = { key: ownString(text.slice(context.start, context.end)), reports: [] };
      for (const r of fresh) {
        const { rule, severity, message } = r;
        if (r.end <= starts[0] && r.start <= r.end) contextEntry.reports.push({ start: r.start, end: r.end, after: false, rule, severity, message });
        else if (r.start >= servicesEnd && r.start <= r.end) contextEntry.reports.push({ start: r.start - servicesEnd, end: r.end - servicesEnd, after: true, rule, severity, message });
        else return fail();
      }
    }
    for (const r of contextEntry.reports) {
      const from = r.after ? servicesEnd : 0;
      out.push({ rule: r.rule, severity: r.severity, message: r.message, start: from + r.start, end: from + r.end, fixesLater: lazy });
    }
    for (const [i, unit] of units.entries()) {
      // most services are where they were, unchanged: compared in place before any lookup
      const same = prev?.order[i];
      let entry = inPlace(same, unit) ? same : undefined;
      if (!entry) {
        unit.key = text.slice(unit.start, unit.end);
        entry = next.get(unit.key) ?? prev?.entries.get(unit.key);
      }
      if (!entry) {
        const fresh: UnitReport[] = [];
        this.runs++;
        if (!runRules(this.part(file, ydoc, services, unit, false), fresh)) return this.fail(key, raw, out);
        entry = { key: ownString(unit.key), reports: [] };
        for (const r of fresh) {
          if (r.start < unit.start || r.end > unit.end || r.end < r.start) return fail();
          entry.reports.push({ start: r.start - unit.start, end: r.end - unit.start, after: false, rule: r.rule, severity: r.severity, message: r.message });
        }
      }
      order.push(entry);
      if (!next.has(entry.key)) {
        next.set(entry.key, entry);
        chars += entry.key.length;
      }
      for (const r of entry.reports) out.push({ rule: r.rule, severity: r.severity, message: r.message, start: unit.start + r.start, end: unit.start + r.end, fixesLater: lazy });
    }
    raw.push(...out);
    setRecent(this.files, key, { common: prev ? prev.common : ownString(common), failed: false, context: contextEntry, entries: next, order, chars: chars + contextEntry.key.length }, this.maxFiles);
    return true;
  }

  /** Out of time: what the units before gave is kept (as a whole analysis keeps the rules that ran), nothing is cached. */
  private fail(key: string, raw: UnitReport[], out: UnitReport[]): false {
    raw.push(...out);
    this.files.delete(key);
    return false;
  }

  /**
   * The file as one unit sees it: a service's container only and the strings of its own
   * subtree; for the context, no container and the strings outside `services:` (with
   * aliases, those no service owns: an anchored value a service merges is that service's).
   */
  private part(file: AnalysedFile, ydoc: YamlDoc, services: YAMLMap, unit: Unit, aliases: boolean): AnalysedFile {
    const model = file.compose!;
    const skip = new Set<unknown>();
    for (const p of services.items as Pair<Node, Node | null>[]) if (p.value && p.value !== unit.value) skip.add(p.value);
    if (unit.value !== null) {
      for (const p of ydoc.root!.items as Pair<Node, Node | null>[]) if (p.value && p.value !== services) skip.add(p.value);
    }
    const containers = unit.value === null ? [] : model.containers.filter((c) => c.anchor.start >= unit.start && c.anchor.start < unit.end);
    const owners = aliases ? model.containers : containers;
    return {
      ...file,
      containers,
      compose: { ...model, containers, networks: unit.value === null ? model.networks : [], documents: [composeDocumentPart(ydoc, containers, skip, owners)] },
    };
  }
}

/**
 * The document's own `services:` map when per-service reuse may apply to it, else null:
 * aliases only to anchors outside `services:` (a service never reads another's anchor).
 */
function servicesMap(ydoc: YamlDoc): { services: YAMLMap; aliases: boolean } | null {
  const root = ydoc.root;
  if (!root || ydoc.errors.length || ydoc.duplicates.length || !root.range) return null;
  let found: YAMLMap | null = null;
  for (const p of root.items as Pair<Node, Node | null>[]) {
    if (!isScalar(p.key)) return null;
    const k = String(p.key.value);
    if (k === '<<') return null;
    if (k === 'services') {
      if (!isMap(p.value) || !p.value.range || found) return null;
      found = p.value;
    }
  }
  if (!found) return null;
  const used = aliasNames(ydoc.doc);
  if (used.size && anchorIn(found, used)) return null;
  return { services: found, aliases: used.size > 0 };
}

/** Whether a node under `node` (itself included, keys too) carries one of the anchors `names`. */
function anchorIn(node: unknown, names: ReadonlySet<string>): boolean {
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    const a = (n as { anchor?: string } | null)?.anchor;
    if (a && names.has(a)) return true;
    if (isMap(n) || isSeq(n)) for (const it of n.items as unknown[]) stack.push(it);
    else if (isPair(n)) stack.push(n.key, n.value);
  }
  return false;
}
