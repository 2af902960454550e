import type { Node } from 'yaml';
import type { YamlDoc } from '../../core/parse/yaml';
import { strongHits } from '../../secrets';
import { shown } from './messages';
import { shift, type Reporter } from './report';
import { pathText, scalarText, walkScalars } from './yamlText';

/**
 * Every value of a YAML document that no platform-specific check has read yet, for the
 * detectors that need no name: provider tokens, private keys, URL credentials.
 */
export function scanOtherValues(ydoc: YamlDoc, visited: Set<Node>, out: Reporter): void {
  if (!ydoc.root) return;
  walkScalars(ydoc.root, (s, path) => {
    if (visited.has(s)) return;
    const t = scalarText(ydoc, s);
    if (!t || t.raw.length < 8) return;
    const hits = strongHits(t.raw);
    if (hits.length) out.hits(shift(hits, t.start), `key '${pathText(path).map(shown).join('.')}'`);
  });
}
