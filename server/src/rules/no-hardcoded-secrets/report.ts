import type { RuleContext } from '../../core/rule';
import type { Fix } from '../../core/types';
import type { SecretHit } from '../../secrets';
import { messages } from './messages';

/** Reports hits once each (a value shared through an anchor is visited from every service that merges it). */
export class Reporter {
  private readonly seen = new Set<string>();

  constructor(private readonly ctx: RuleContext) {}

  hits(hits: SecretHit[], where: string, siteName?: string, fixes: (h: SecretHit) => Fix[] = () => []): void {
    for (const h of hits) {
      const key = `${h.start}:${h.end}`;
      if (this.seen.has(key) || h.end <= h.start) continue;
      this.seen.add(key);
      this.ctx.report({ start: h.start, end: h.end, message: messages.found(h, where, siteName), fixes: fixes(h) });
    }
  }
}

/** Hits from a text that starts at file offset `at`, as file offsets. */
export function shift(hits: SecretHit[], at: number): SecretHit[] {
  return hits.map((h) => ({ ...h, start: h.start + at, end: h.end + at }));
}
