import type { StringFact } from '../../core/model/container';
import { valueOffsets } from '../../core/model/strings';
import { mapText, parseShell, type Command, type Mapped, type Word } from '../../core/parse/shell';
import { commandHits, type SecretHit } from '../../secrets';

/** A string as one word whose characters map to the file. */
export function factWord(f: StringFact): Word {
  const end = f.start + f.raw.length;
  let chars: Mapped;
  if (f.value === f.raw) chars = mapText(f.value, f.start);
  else {
    // escapes, folding or a block scalar: each character found where it is written
    const { starts, ends } = valueOffsets(f);
    chars = { text: f.value, starts, ends };
  }
  return { value: f.value, chars, span: { start: f.start, end }, nested: [] };
}

export function factMapped(f: StringFact): Mapped {
  return factWord(f).chars;
}

/** A list of strings run as one command (exec form: no shell splits them). */
export function execCommand(words: Word[]): Command {
  const span = words.length ? { start: words[0].span.start, end: words[words.length - 1].span.end } : { start: 0, end: 0 };
  return { assignments: [], words, redirects: [], pipedFrom: null, span };
}

const EMPTY: Mapped = { text: '', starts: [], ends: [] };

/** Hits in one command string: read as a shell line (`shell`), or only for tokens and flags. */
export function stringCommandHits(f: StringFact, shell: boolean): SecretHit[] {
  const body = factMapped(f);
  return commandHits(body, shell ? parseShell(body) : []);
}

/** Hits in an exec-form list: each item on its own, then the items as one command's words. */
export function execHits(items: StringFact[], words: Word[] = items.map(factWord)): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const f of items) hits.push(...commandHits(factMapped(f), []));
  hits.push(...commandHits(EMPTY, words.length ? [execCommand(words)] : []));
  return hits;
}

/** A container's command-like strings, grouped: a single string, or the items of one exec-form list. */
export interface CommandGroup {
  site: StringFact['site'];
  within?: string;
  single: StringFact | null;
  items: StringFact[];
}

export function commandGroups(facts: StringFact[], sites: ReadonlySet<StringFact['site']>): CommandGroup[] {
  const out: CommandGroup[] = [];
  let current: CommandGroup | null = null;
  for (const f of facts) {
    if (!sites.has(f.site)) continue;
    if (f.item === undefined) {
      out.push({ site: f.site, within: f.within, single: f, items: [] });
      current = null;
      continue;
    }
    if (!current || current.site !== f.site || current.within !== f.within || f.item === 0) {
      current = { site: f.site, within: f.within, single: null, items: [] };
      out.push(current);
    }
    current.items.push(f);
  }
  return out;
}
