import type { RuleContext } from '../../core/rule';
import type { Fix } from '../../core/types';
import type { SecretHit } from '../../secrets';
import { messages } from './messages';

/** Reports hits once each (a value shared through an anchor is visited from every service that merges it). */
export class Reporter {
  private readonly seen = new Set<string>();
  /** Findings reported so far. */
  count = 0;

  constructor(private readonly ctx: RuleContext) {}

  hits(hits: SecretHit[], where: string, siteName?: string, fixes: (h: SecretHit) => Fix[] = () => []): void {
    for (const h of hits) {
      const key = `${h.start}:${h.end}`;
      if (this.seen.has(key) || h.end <= h.start) continue;
      this.seen.add(key);
      this.count++;
      this.ctx.report({ start: h.start, end: h.end, message: messages.found(h, where, siteName), fixes: fixes(h) });
    }
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
