import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { YamlValue } from '../edit/yaml';
import type { TextEdit } from '../types';
import { listFact, normaliseCapability, plan, type ComposeContext, type Step } from './composeFacts';
import type { Plan } from './facts';
import { find, KubeFacts, plan as kubePlan, string, writable, type KubeScope } from './kubeFacts';

/**
 * setters.dropCapabilities (drop-capabilities): one edit that makes the container drop ALL
 * capabilities and add back `addBack` (names as the platform writes them, without `CAP_`),
 * keeping whatever `add` already holds. Both lists are written together: two separate
 * list edits would each create the parent map (`cap_add:` twice, or two
 * `securityContext:`/`capabilities:` keys on a container that has none).
 */

/** Compose: `cap_drop: [ALL]` and the missing `cap_add` items (names compared as Compose does). */
export function composeDropCapabilities(ctx: ComposeContext, addBack: string[]): Plan | null {
  if (ctx.shared) return null;
  const drop = listFact(ctx, ['cap_drop'], normaliseCapability);
  const add = listFact(ctx, ['cap_add'], normaliseCapability);
  const hasAll = drop.items.some((i) => i.value === 'ALL');
  const missing = unique(addBack).filter((c) => !add.items.some((i) => i.value === normaliseCapability(c)));
  // the lists' own refusals (merged from an anchor, a key the file format lacks)
  if (!hasAll && !drop.add('ALL')) return null;
  if (missing.length && !add.add(missing[0])) return null;
  const { editor, svc } = ctx;
  const same = (want: string) => (n: Node) => isScalar(n) && n.value !== null && n.value !== undefined && normaliseCapability(String(n.value)) === want;
  const steps: Step[] = [];
  if (!hasAll) steps.push(drop.span ? () => editor.ensureItem(svc, ['cap_drop'], 'ALL', same('ALL')) : () => editor.setAt(svc, ['cap_drop'], ['ALL']));
  if (missing.length) {
    if (add.span) for (const c of missing) steps.push(() => editor.ensureItem(svc, ['cap_add'], editor.renderScalar(c), same(normaliseCapability(c))));
    else steps.push(() => editor.setAt(svc, ['cap_add'], missing.map((c) => editor.renderScalar(c))));
  }
  return plan(ctx, steps, summary(missing));
}

/**
 * Kubernetes: `securityContext.capabilities.drop` holds the exact string `ALL` (an item
 * spelled `all`/`All` is rewritten to `ALL`: the API compares raw strings), and `add` the
 * missing names (compared exactly). Refused in Windows pods, on ephemeral containers, and
 * through anything shared by an anchor.
 */
export function kubeDropCapabilities(s: KubeScope, addBack: string[]): Plan | null {
  if (s.windows || s.ephemeral) return null;
  const base = ['securityContext', 'capabilities'];
  const k = new KubeFacts(s);
  const drop = k.containerList([...base, 'drop']);
  const add = k.containerList([...base, 'add']);
  const hasAll = drop.items.some((i) => i.value === 'ALL');
  const misspelt = hasAll ? [] : drop.items.filter((i) => i.value.toUpperCase() === 'ALL');
  const missing = unique(addBack).filter((c) => !add.items.some((i) => i.value === c));
  const caps = find(s.container, base, s.doc);
  if (caps?.merged) return null;
  const dropNode = find(s.container, [...base, 'drop'], s.doc);
  const addNode = find(s.container, [...base, 'add'], s.doc);
  if ((dropNode?.merged ?? false) || (addNode?.merged ?? false)) return null;
  if (misspelt.some((i) => i.origin !== 'own')) return null;
  const { edit } = s;
  const parts: (() => TextEdit[] | null)[] = [];
  const fresh: Record<string, YamlValue> = {};
  if (misspelt.length) {
    for (const i of misspelt) parts.push(() => [{ start: i.span.start, end: i.span.end, text: edit.renderScalar('ALL') }]);
  } else if (!hasAll) {
    if (!writable(edit, s.container, [...base, 'drop'], s.doc)) return null;
    if (isSeq(dropNode?.node)) parts.push(() => edit.ensureItem(s.container, [...base, 'drop'], edit.renderScalar('ALL'), (n) => string(n) === 'ALL'));
    else fresh.drop = [edit.renderScalar('ALL')];
  }
  if (missing.length) {
    if (!writable(edit, s.container, [...base, 'add'], s.doc)) return null;
    if (isSeq(addNode?.node)) for (const c of missing) parts.push(() => edit.ensureItem(s.container, [...base, 'add'], edit.renderScalar(c), (n) => string(n) === c));
    else fresh.add = missing.map((c) => edit.renderScalar(c));
  }
  if (Object.keys(fresh).length) {
    if (caps && caps.node !== null && !isMap(caps.node) && !(isScalar(caps.node) && (caps.node.value === null || caps.node.value === ''))) return null;
    parts.push(() => edit.setAt(s.container, base, fresh));
  }
  return kubePlan(() => edit.combine(parts.map((p) => p())), summary(missing));
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function summary(addBack: string[]): string {
  return addBack.length ? `drop ALL, add back ${addBack.join(', ')}` : 'drop ALL';
}
