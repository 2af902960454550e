import type { ContainerSpec } from '../../core/model/container';
import { lookupImage, type ImageKnowledge } from '../../core/model/imageTable';
import { planned, type Item } from '../../core/model/facts';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

const where = (c: ContainerSpec) => (c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`);
const list = (c: ContainerSpec) => (c.platform === 'compose' ? 'cap_drop' : 'capabilities.drop');

export const messages = {
  missing: (c: ContainerSpec) =>
    `${where(c)} keeps the runtime's default capabilities (no ${list(c)}: [ALL]): drop them all and add back only what it needs`,
  misspelt: (c: ContainerSpec, raw: string) =>
    `${where(c)} drops '${raw}', which Kubernetes does not read as ALL (capability names are compared exactly): write ALL`,
  fixTitle: (c: ContainerSpec, addBack: string[], image: ImageKnowledge | null, caveat: string | null) => {
    const drop = `${list(c)}: [ALL]`;
    const notes = [addBack.length && image ? `what ${image.family} needs at start` : null, caveat].filter((x) => x !== null);
    return `Set ${drop}${addBack.length ? `, add back ${addBack.join(', ')}` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  },
  fixMisspelt: (addBack: string[]) => `Write ALL${addBack.length ? `, add back ${addBack.join(', ')}` : ''}`,
};

/** Caveats for a fix that is offered but not preferred. */
const UNKNOWN = 'the image may need capabilities at start';
const RUNS_AS_ROOT = 'the image runs as root: its program may need capabilities';

export const rule: Rule = {
  meta: {
    id: 'drop-capabilities',
    title: 'A container keeps capabilities it does not need',
    severity: 'warning',
    platforms: ['compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    pss: 'restricted',
    peers: {
      trivy: ['KSV003'],
      checkov: ['CKV_K8S_37', 'CKV_K8S_28'],
      kics: ['ce76b7d0-9e77-464d-b86f-c5c48e03e22d', '268ca686-7fb7-4ae9-b129-955a2a89064e'],
      kubeLinter: ['drop-net-raw-capability'],
    },
  },
  check({ file, report }) {
    for (const c of file.containers) {
      const drop = c.security.capDrop;
      if (drop.items.some((i) => i.value === 'ALL')) continue;
      // Kubernetes compares the raw string: `drop: [all]` drops nothing (PSS restricted refuses it)
      const misspelt: Item<string> | undefined = c.platform === 'kubernetes' ? drop.items.find((i) => i.value.toUpperCase() === 'ALL') : undefined;
      if (!misspelt && c.partial) continue;
      const known = c.builds ? null : lookupImage(c.image?.ref);
      const addBack = known?.capabilities ?? [];
      const back = addBack.filter((x) => !c.security.capAdd.items.some((i) => i.value === x));
      if (misspelt) {
        const fixes = (): PlannedFix[] => {
          const p = c.setters.dropCapabilities?.(addBack);
          return p ? [planned(p, messages.fixMisspelt(back), true)] : [];
        };
        report({ start: misspelt.span.start, end: misspelt.span.end, message: messages.misspelt(c, misspelt.value), severity: 'info', fixes });
        continue;
      }
      const fixes = (): PlannedFix[] => {
        const p = c.setters.dropCapabilities?.(addBack);
        if (!p) return [];
        // safe only when the image table knows what the image needs at start, and its
        // long-running program does not run as root (its own needs are unknown)
        const caveat = !known ? UNKNOWN : known.startsAs === 'root' && !known.stepsDown ? RUNS_AS_ROOT : null;
        return [planned(p, messages.fixTitle(c, back, known, caveat), caveat === null)];
      };
      // a list merged from an anchor: the finding goes on the service that uses it
      const at = drop.keySpan && drop.origin === 'own' ? drop.keySpan : c.anchor;
      report({ start: at.start, end: at.end, message: messages.missing(c), fixes });
    }
  },
};
