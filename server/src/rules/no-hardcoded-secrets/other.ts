import type { StringFact } from '../../core/model/container';
import { strongHits } from '../../secrets';
import { shown } from './messages';
import { shift, type Reporter } from './report';

/**
 * A value no platform-specific check reads (an `x-` field, a top-level config, any other key),
 * for the detectors that need no name: provider tokens, private keys, URL credentials.
 */
export function otherValue(f: StringFact, out: Reporter): void {
  if (f.site !== 'other' || f.raw.length < 8) return;
  const hits = strongHits(f.raw);
  if (hits.length) out.hits(shift(hits, f.start), `key '${f.path.map(shown).join('.')}'`);
}
