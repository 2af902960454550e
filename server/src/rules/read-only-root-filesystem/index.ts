import { EditBatch } from '../../core/edit/batch';
import type { ContainerSpec } from '../../core/model/container';
import type { Plan } from '../../core/model/facts';
import type { AnalysedFile, Rule } from '../../core/rule';
import type { Fix, PlannedFix } from '../../core/types';
import type { Config } from '../../core/config';
import { mountWord, needs, pathsToAdd, todayAndAdds, where } from './writable';

const key = (c: ContainerSpec) => (c.platform === 'compose' ? 'read_only' : 'readOnlyRootFilesystem');

export const messages = {
  /** `state`: what stays writable once read-only and what the fix adds (todayAndAdds). */
  missing: (c: ContainerSpec, state: string) =>
    `${where(c)} has a writable root filesystem (no ${key(c)}: true): a compromised process can change the image's files (${state})`,
  explicitFalse: (c: ContainerSpec, state: string) =>
    `${where(c)} sets ${key(c)}: false: a compromised process can change the image's files (${state})`,
  fixTitle: (c: ContainerSpec, config: Config, paths: string[], caveat: string | null) =>
    `Set ${key(c)}: true${paths.length ? `, ${mountWord(c, config)} at ${paths.join(', ')}` : ''}${caveat ? ` (${caveat})` : ''}`,
};

/** Caveats of a fix that is offered but not preferred. */
export const UNKNOWN = 'the image is not in the table: the app may need more writable paths';
export const NOT_SAFE = (family: string) => `${family} may need more writable paths`;
export const NO_TMPFS = (c: ContainerSpec, file: AnalysedFile, config: Config) =>
  file.compose?.legacy
    ? 'file format v1 has no tmpfs: nothing stays writable'
    : c.platform === 'compose' && file.compose?.stack
      ? 'a stack file needs version 3.6 or later for a sized tmpfs volume: nothing stays writable'
      : `no ${mountWord(c, config)} can be added here: nothing stays writable`;

/**
 * Joins plans into one fix's edits (a fix is all of its edits or nothing). Insertions at one
 * offset go deepest first: an item appended to a list (or a key added in a nested map) that
 * ends where a key is added after it belongs before that key; at one column, list items first.
 */
export function joined(text: string, plans: Plan[]): Fix['edits'] | null {
  const all: Fix['edits'] = [];
  for (const p of plans) {
    const change = p.build();
    if (!change) return null;
    all.push(...change.edits);
  }
  // depth of an inserted line: its indentation, and a list item (`- `) counts deeper than a key
  // at the same column (a sequence written at its key's column)
  const indent = (t: string) => {
    const m = /^\r?\n([ \t]*)(- )?/.exec(t);
    return m ? m[1].length * 2 + (m[2] ? 1 : 0) : -1;
  };
  all.sort((a, b) => a.start - b.start || a.end - b.end || (a.start === a.end && b.start === b.end ? indent(b.text) - indent(a.text) : 0));
  const batch = new EditBatch(text);
  if (!batch.add(all)) return null;
  return batch.edits();
}

/**
 * A fix whose edits are built on demand from its plans: the plans say at analysis that the
 * edit exists (the finding's message may name what it adds), `joined` makes its text when a
 * code action, fix-all, `--fix` or a report asks. Closes over the analysed text only.
 */
export function built(text: string, plans: Plan | Plan[], title: string, preferred: boolean): () => PlannedFix[] {
  const build = () => {
    const edits = joined(text, Array.isArray(plans) ? plans : [plans]);
    return edits ? { edits } : null;
  };
  return () => [{ title, preferred, build }];
}

export const rule: Rule = {
  meta: {
    id: 'read-only-root-filesystem',
    title: 'A container can write to its root filesystem',
    severity: 'warning',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    peers: {
      trivy: ['KSV014'],
      checkov: ['CKV_K8S_22'],
      kics: ['a9c2f49d-0671-4fc9-9ece-f4e261e128d0'],
      kubeLinter: ['no-read-only-root-fs'],
    },
  },
  check({ file, config, report }) {
    for (const c of file.containers) {
      if (c.platform !== 'compose' && c.platform !== 'kubernetes') continue;
      const ro = c.security.readOnlyRootFilesystem;
      if (ro.value === true) continue;
      const explicit = ro.origin !== 'default' && ro.span !== null;
      if (!explicit && c.partial) continue;
      const set = ro.set(true);
      const n = needs(c, file);
      let added: string[] | null = null;
      let fixes: (() => PlannedFix[]) | undefined;
      if (set) {
        // the plans say the edit exists (the message names what it adds); its text is built on demand
        const add = pathsToAdd(n, c, config);
        const writable = add.length ? (c.setters.addWritablePaths?.(add) ?? null) : null;
        const paths = writable ? add.map((p) => p.target) : [];
        const preferred = writable !== null && n.known?.readOnlySafe === true;
        const caveat = add.length && !writable ? NO_TMPFS(c, file, config) : preferred ? null : n.known ? NOT_SAFE(n.known.family) : UNKNOWN;
        fixes = built(file.text, writable ? [set, writable] : [set], messages.fixTitle(c, config, paths, caveat), preferred);
        added = paths;
      }
      const state = todayAndAdds(c, config, n.today, added, 'writable mounts today');
      const at = explicit && ro.origin === 'own' ? ro.span! : c.anchor;
      report({ start: at.start, end: at.end, message: explicit ? messages.explicitFalse(c, state) : messages.missing(c, state), fixes });
    }
  },
};
