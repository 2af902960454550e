import type { RuleContext } from '../../core/rule';
import type { Fix, Report } from '../../core/types';
import { isFingerprint, type SecretHit } from '../../secrets';
import { GPG_CONTEXT } from '../../core/model/strings';
import { messages } from './messages';

interface Pending {
  hit: SecretHit;
  where: (services: string) => string;
  services: string[];
  siteName?: string;
  fixes: (h: SecretHit) => Fix[];
}

/**
 * Reports hits once each (a value shared through an anchor is visited from every service that
 * merges it: `shared` collects the services and `flush` reports the value once, naming them).
 * A dictionary-word credential is reported at warning; an OpenPGP fingerprint in a file that
 * uses gpg is not reported.
 */
export class Reporter {
  private readonly seen = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private gpg: boolean | undefined;
  /** Findings reported so far. */
  count = 0;

  constructor(private readonly ctx: RuleContext) {}

  hits(hits: SecretHit[], where: string, siteName?: string, fixes: (h: SecretHit) => Fix[] = () => []): void {
    for (const h of hits) {
      const key = `${h.start}:${h.end}`;
      if (this.seen.has(key) || h.end <= h.start || this.fingerprint(h)) continue;
      this.seen.add(key);
      this.emit(h, where, siteName, fixes);
    }
  }

  /** A hit in a service's value, reported by `flush` with every service that reads the same value. */
  shared(hits: SecretHit[], where: (services: string) => string, service: string, siteName?: string, fixes: (h: SecretHit) => Fix[] = () => []): void {
    for (const h of hits) {
      const key = `${h.start}:${h.end}`;
      if (this.seen.has(key) || h.end <= h.start) continue;
      const p = this.pending.get(key);
      if (p) {
        if (!p.services.includes(service)) p.services.push(service);
      } else if (!this.fingerprint(h)) this.pending.set(key, { hit: h, where, services: [service], siteName, fixes });
    }
  }

  flush(): void {
    for (const [key, p] of this.pending) {
      this.seen.add(key);
      const names = p.services.map((s) => `'${s}'`).join(', ');
      this.emit(p.hit, p.where(p.services.length === 1 ? `service ${names}` : `services ${names}`), p.siteName, p.fixes);
    }
    this.pending.clear();
  }

  private emit(h: SecretHit, where: string, siteName: string | undefined, fixes: (h: SecretHit) => Fix[]): void {
    this.count++;
    const r: Report = { start: h.start, end: h.end, message: messages.found(h, where, siteName), fixes: () => fixes(h) };
    if (h.weak) r.severity = 'warning';
    this.ctx.report(r);
  }

  private fingerprint(h: SecretHit): boolean {
    if (h.detector !== 'name' && h.detector !== 'cli') return false;
    this.gpg ??= GPG_CONTEXT.test(this.ctx.file.text);
    return this.gpg && isFingerprint(this.ctx.file.text.slice(h.start, h.end));
  }
}

/** Hits from a text that starts at file offset `at`, as file offsets. */
export function shift(hits: SecretHit[], at: number): SecretHit[] {
  return hits.map((h) => ({ ...h, start: h.start + at, end: h.end + at }));
}

/**
 * YAML documents known to hold no secret, by the model's document key (the parsed document,
 * immutable while its text is unchanged: the engine reuses it), so an edit re-scans only the
 * document it touches (a 4,000-line manifest costs one document per keystroke), and the
 * model's lazy string facts of clean documents are never built. Weak: a document the engine
 * drops is gone. What a document holds depends on its text alone (fixes, which read other
 * files, are only built for documents with findings, which are scanned every time).
 */
export class CleanDocuments {
  private readonly clean = new WeakSet<object>();

  /** Runs `scan` unless the document is known clean; remembers it when the scan reports nothing. */
  scan(doc: object, out: Reporter, scan: () => void): void {
    if (this.clean.has(doc)) return;
    const before = out.count;
    scan();
    if (out.count === before) this.clean.add(doc);
  }
}
