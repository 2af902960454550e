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
 * whole. Fixes are built on demand from one whole analysis (the caller's `later`,
 * which makes that analysis when first called).
 *
 * An edit inside one service's body is parsed without the other services (`edited`): the
 * text with them blanked out is parsed, checked against where the services and top-level
 * keys were, and the edited service's rules run over that parse (`runEdited`).
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { aliasNames } from './model/composeFacts';
import { composeDocumentPart, GPG_CONTEXT } from './model/strings';
import { duplicateKeys, ownString, type YamlDoc } from './parse/yaml';
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

/** A file's units as last analysed, and where they were in its text (`Layout`). */
interface FileUnits {
  common: string;
  failed: boolean;
  context: UnitEntry | null;
  entries: Map<string, UnitEntry>;
  order: UnitEntry[];
  chars: number;
  layout: Layout | null;
}

/**
 * Where a file's services were in the text last analysed (for `edited`): only for files
 * without aliases, whose `services:` and top level are block maps.
 */
interface Layout {
  text: string;
  /** Each service's key, and the start of the line after its key's line. */
  starts: number[];
  bodies: number[];
  /** The end of the `services:` map's value. */
  servicesEnd: number;
  /** The top-level keys' offsets, and which of them is `services`. */
  rootKeys: number[];
  servicesAt: number;
}

/** An edit inside one service's body, parsed on its own (`ComposeServiceReuse.edited`). */
export interface ServiceEdit {
  /** The file's one document: the parse of the text with every other service blanked out, offsets those of the text. */
  ydoc: YamlDoc;
  /** Which service changed, and the layout of the new text. */
  unit: number;
  layout: Layout;
  common: string;
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
  private readonly files = new Map<string, FileUnits>();
  /** Unit runs so far (tests count them). */
  runs = 0;
  /** Parses of one edited service alone (`edited`), used or not, and edits `edited` refused, before or after that parse (tests count them). */
  sliceParses = 0;
  sliceRefused = 0;

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
      chars += f.chars + f.common.length + (f.layout?.text.length ?? 0);
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
    later: (f: Finding) => Fix[],
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
    const common = commonKey(keyBase, text, starts[0], servicesEnd);
    const last = this.files.get(key);
    const prev = last?.common === common ? last : undefined;
    // this file's units reported outside themselves with these top-level sections: analysed whole
    if (prev?.failed) return null;
    // with aliases, which anchored values a service reads decides what the context reports (an
    // x- value no service merges is reported there): the context depends on every service
    const context: Unit = found.aliases ? { key: '', value: null, start: starts[0], end: servicesEnd } : { key: '', value: null, start: 0, end: 0 };
    const units: Unit[] = items.map((p, i) => ({ key: '', value: p.value, start: starts[i], end: i + 1 < starts.length ? starts[i + 1] : servicesEnd }));
    const layout = found.aliases ? null : layoutOf(ydoc, services, text, starts, servicesEnd);
    return this.units(key, file, ydoc, services, found.aliases, context, units, servicesEnd, common, prev, layout, runRules, raw, later);
  }

  /**
   * An edit inside the body of one service (below its key's line) of a file whose units are
   * kept: that service is parsed on its own, within the file's top level, and the result is
   * what parsing the whole text gives for it (null: parse the whole text). The parsed text is
   * the file's with every other service blanked out (a comment of the same length), so every
   * offset is the file's; it must parse without errors, duplicate keys or aliases, with the
   * same top-level keys at the same places and the service's value inside its own text. What
   * one service's text can do to another (an unterminated flow collection, a dedented line,
   * a document marker) shows there as an error or a moved key, and is so parsed whole.
   * `inTime` is asked right before the parse (false: the budget is past, parse whole).
   */
  edited(key: string, keyBase: string, text: string, inTime: () => boolean): ServiceEdit | null {
    const f = this.files.get(key);
    const layout = f?.layout;
    if (!f || f.failed || !layout || layout.text === text) return null;
    const old = layout.text;
    const n = Math.min(old.length, text.length);
    let p = 0;
    while (p < n && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let s = 0;
    while (s < n - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
    // the change replaced old [p, oldEnd) with new [p, text.length - s)
    const oldEnd = old.length - s;
    const { starts, bodies } = layout;
    let i = starts.length - 1;
    while (i >= 0 && bodies[i] > p) i--;
    if (i < 0) return null;
    const end = i + 1 < starts.length ? starts[i + 1] : layout.servicesEnd;
    // inside the body, and the next service's key line, from its start (its indentation ends
    // this service's text), or the end of the last service untouched
    let limit = end;
    if (i + 1 < starts.length) while (limit > 0 && old.charCodeAt(limit - 1) !== 10 && old.charCodeAt(limit - 1) !== 13) limit--;
    if (oldEnd >= limit || bodies[i] >= end) return this.refuse();
    const delta = text.length - old.length;
    const slice = text.slice(starts[i], end + delta);
    if (DOCUMENT_LINE.test(slice)) return this.refuse();
    const servicesEndGuess = layout.servicesEnd + delta;
    const last = i + 1 === starts.length;
    const parsedText =
      text.slice(0, starts[0]) +
      blank(text, starts[0], starts[i]) +
      slice +
      (last ? '' : blank(text, end + delta, servicesEndGuess)) +
      text.slice(last ? end + delta : servicesEndGuess);
    if (!inTime()) return null;
    this.sliceParses++;
    const doc = parseDocument(parsedText, { prettyErrors: false, uniqueKeys: false, strict: false });
    const root = doc.contents;
    if (doc.errors.length || !isMap(root) || root.flow || root.items.length !== layout.rootKeys.length) return this.refuse();
    const moved = (o: number) => (o >= oldEnd ? o + delta : o);
    const rootKeys: number[] = [];
    for (const [j, item] of (root.items as Pair<Node, Node | null>[]).entries()) {
      const k = item.key;
      const at = moved(layout.rootKeys[j]);
      if (!isScalar(k) || !k.range || k.range[0] !== at) return this.refuse();
      rootKeys.push(at);
    }
    const services = (root.items[layout.servicesAt] as Pair<Node, Node | null>).value;
    if (!isMap(services) || services.flow || !services.range || services.items.length !== 1) return this.refuse();
    const own = services.items[0] as Pair<Node, Node | null>;
    if (!isScalar(own.key) || own.key.range?.[0] !== starts[i] || (own.value && (!own.value.range || own.value.range[1] > end + delta))) return this.refuse();
    const servicesEnd = last ? services.range[1] : servicesEndGuess;
    if (servicesEnd <= starts[i] || duplicateKeys(doc).length || aliasNames(doc).size) return this.refuse();
    // the top level as it was: the units kept are valid for it (else the whole text is analysed)
    const common = commonKey(keyBase, text, starts[0], servicesEnd);
    if (common !== f.common) return this.refuse();
    const ydoc: YamlDoc = { base: 0, text, doc, errors: [], root, duplicates: [] };
    return {
      ydoc,
      unit: i,
      common,
      layout: {
        text,
        starts: starts.map((x, j) => (j > i ? x + delta : x)),
        bodies: bodies.map((x, j) => (j > i ? x + delta : x)),
        servicesEnd,
        rootKeys,
        servicesAt: layout.servicesAt,
      },
    };
  }

  /**
   * Runs the rules for an edit `edited` accepted: the edited service over its own parse, the
   * other services and the context reused. `file` holds the model built from `edit.ydoc`.
   */
  runEdited(
    key: string,
    file: AnalysedFile,
    edit: ServiceEdit,
    runRules: (file: AnalysedFile, out: UnitReport[]) => boolean,
    raw: UnitReport[],
    later: (f: Finding) => Fix[],
  ): boolean | null {
    const { ydoc, layout } = edit;
    const services = (ydoc.root!.items[layout.servicesAt] as Pair<Node, YAMLMap>).value!;
    const own = services.items[0] as Pair<Node, Node | null>;
    const { starts, servicesEnd } = layout;
    const units: Unit[] = starts.map((start, i) => ({ key: '', value: i === edit.unit ? own.value : null, start, end: i + 1 < starts.length ? starts[i + 1] : servicesEnd }));
    const context: Unit = { key: '', value: null, start: 0, end: 0 };
    const prev = this.files.get(key);
    // every other service where it was, as it was (else the whole text is analysed)
    for (const [j, u] of units.entries()) {
      const e = prev?.order[j];
      if (j !== edit.unit && !(e && e.key.length === u.end - u.start && file.text.startsWith(e.key, u.start))) return null;
    }
    return this.units(key, file, ydoc, services, false, context, units, servicesEnd, edit.common, prev, layout, runRules, raw, later);
  }

  private refuse(): null {
    this.sliceRefused++;
    return null;
  }

  /** The rules unit by unit: units whose text is known reuse their reports, the others run. */
  private units(
    key: string,
    file: AnalysedFile,
    ydoc: YamlDoc,
    services: YAMLMap,
    aliases: boolean,
    context: Unit,
    units: Unit[],
    servicesEnd: number,
    common: string,
    prev: FileUnits | undefined,
    layout: Layout | null,
    runRules: (file: AnalysedFile, out: UnitReport[]) => boolean,
    raw: UnitReport[],
    later: (f: Finding) => Fix[],
  ): boolean | null {
    const { text } = file;
    const firstStart = units[0].start;
    const next = new Map<string, UnitEntry>();
    const order: UnitEntry[] = [];
    let chars = 0;
    const out: UnitReport[] = [];
    const fail = (): null => {
      this.files.delete(key);
      this.files.set(key, { common: ownString(common), failed: true, context: null, entries: new Map(), order: [], chars: 0, layout: null });
      return null;
    };
    const inPlace = (e: UnitEntry | null | undefined, unit: Unit) => e && e.key.length === unit.end - unit.start && text.startsWith(e.key, unit.start);
    let contextEntry = inPlace(prev?.context, context) ? prev!.context! : null;
    if (!contextEntry) {
      const fresh: UnitReport[] = [];
      this.runs++;
      if (!runRules(this.part(file, ydoc, services, context, aliases), fresh)) return this.fail(key, raw, out);
      contextEntry = { key: ownString(text.slice(context.start, context.end)), reports: [] };
      for (const r of fresh) {
        const { rule, severity, message } = r;
        if (r.end <= firstStart && r.start <= r.end) contextEntry.reports.push({ start: r.start, end: r.end, after: false, rule, severity, message });
        else if (r.start >= servicesEnd && r.start <= r.end) contextEntry.reports.push({ start: r.start - servicesEnd, end: r.end - servicesEnd, after: true, rule, severity, message });
        else return fail();
      }
    }
    for (const r of contextEntry.reports) {
      const from = r.after ? servicesEnd : 0;
      out.push({ rule: r.rule, severity: r.severity, message: r.message, start: from + r.start, end: from + r.end, fixesLater: later });
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
      for (const r of entry.reports) out.push({ rule: r.rule, severity: r.severity, message: r.message, start: unit.start + r.start, end: unit.start + r.end, fixesLater: later });
    }
    raw.push(...out);
    setRecent(this.files, key, { common: prev ? prev.common : ownString(common), failed: false, context: contextEntry, entries: next, order, chars: chars + contextEntry.key.length, layout }, this.maxFiles);
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

/** What every unit's reports depend on besides their own text: `keyBase` and the text outside `services:`. */
function commonKey(keyBase: string, text: string, firstStart: number, servicesEnd: number): string {
  const head = text.slice(0, firstStart);
  return `${keyBase}\0${GPG_CONTEXT.test(text) ? 'gpg' : ''}\0${head.length}\0${head}\0${text.slice(servicesEnd)}`;
}

/** A line that starts or ends a YAML document. */
const DOCUMENT_LINE = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/m;

/**
 * Where the services are, for `edited`; null unless the top level and `services:` are block
 * maps of one document starting the text (keys on lines of their own).
 */
function layoutOf(ydoc: YamlDoc, services: YAMLMap, text: string, starts: number[], servicesEnd: number): Layout | null {
  const root = ydoc.root;
  if (!root || root.flow || services.flow || ydoc.base !== 0) return null;
  const rootKeys: number[] = [];
  let servicesAt = -1;
  for (const [j, p] of (root.items as Pair<Node, Node | null>[]).entries()) {
    if (!isScalar(p.key) || !p.key.range) return null;
    rootKeys.push(p.key.range[0]);
    if (p.value === services) servicesAt = j;
  }
  if (servicesAt < 0) return null;
  const bodies = starts.map((s) => {
    for (let o = s; o < text.length; o++) {
      const c = text.charCodeAt(o);
      if (c === 10) return o + 1;
      if (c === 13) return text.charCodeAt(o + 1) === 10 ? o + 2 : o + 1;
    }
    return text.length + 1;
  });
  return { text, starts, bodies, servicesEnd, rootKeys, servicesAt };
}

/**
 * The text [a, b) of other services, blanked out for `edited`: a comment as long as it (it
 * starts at a key, after its indentation), and the indentation of what follows it kept.
 */
function blank(text: string, a: number, b: number): string {
  if (b <= a) return '';
  let lb = b - 1;
  while (lb >= a && text.charCodeAt(lb) !== 10 && text.charCodeAt(lb) !== 13) lb--;
  if (lb < a + 1) return '#' + ' '.repeat(Math.max(0, b - a - 1));
  return '#' + ' '.repeat(lb - a - 1) + '\n' + ' '.repeat(b - lb - 1);
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
