import type { Span } from '../text';
import type { Change, PlannedFix } from '../types';

/**
 * The one shape every container fact has (DESIGN.md, "The normalised model"): its effective
 * value, where it is written, where that comes from, and how a fix changes it. Adapters build
 * facts with one path-based helper per platform (compose: `composeFacts`, kubernetes:
 * `kubeFacts`), so a new fact is one line per adapter; rules only read facts and call setters.
 */

/**
 * Where an effective value comes from:
 * - `own`: written on this container (Compose service, Kubernetes container, final stage);
 * - `pod`: inherited from the Kubernetes pod's securityContext / spec;
 * - `merged`: written in an anchor merged into this service (`<<: *base`), or an alias;
 * - `related`: another object of the file or kustomization (a ServiceAccount, a LimitRange);
 * - `default`: nothing sets it; the value is the platform's default.
 */
export type Origin = 'own' | 'pod' | 'merged' | 'related' | 'default';

export type { Change } from '../types';

/**
 * A planned fix. `plan` (calling the setter) is cheap and runs while analysing: it says
 * whether an edit exists. `build` makes the text, and is called only when a fix is applied
 * or resolved; it returns null when the edit turns out impossible.
 */
export interface Plan {
  build(): Change | null;
  /** What the edit writes, for a fix title (e.g. "read_only: true"). */
  summary?: string;
  /** Why the edit may not be safe whatever the image (e.g. "file format v1 has no tmpfs"). */
  caveat?: string;
}

/**
 * A fix planned from a plan that exists: listed with its title and safety at once, its edits
 * built when the finding's fixes are read. `nonEmpty`: a build without edits offers no fix.
 */
export function planned(plan: Plan, title: string, preferred: boolean, nonEmpty = false): PlannedFix {
  return {
    title,
    preferred,
    build: () => {
      const change = plan.build();
      return change && (!nonEmpty || change.edits.length > 0) ? change : null;
    },
  };
}

/** One value of a container. `T` is the platform-neutral value (boolean, string, number...). */
export interface Fact<T> {
  /** The effective value; the platform default when nothing sets it (origin 'default'). */
  value: T;
  origin: Origin;
  /** The value as written (span of the value node), null when not written. */
  span: Span | null;
  /** The key as written (`privileged` in `privileged: true`), null when not written. */
  keySpan: Span | null;
  /** The key path as written, from the container (or pod / object) map, e.g. ['deploy','resources','limits','memory']. */
  path: string[] | null;
  /** The raw scalar as written, before normalising (e.g. 'yes', '"0"', 'CAP_SYS_ADMIN'). */
  raw?: string;
  /** Makes the fact hold `value` wherever it is written now (or where the platform puts it). */
  set(value: T): Plan | null;
  /** Removes the key (an explicit setting goes back to the platform default). */
  remove(): Plan | null;
}

/** One item of a list fact (a capability, a security_opt entry, a mount, a port). */
export interface Item<V> {
  value: V;
  /** The item as written (without quotes). */
  raw: string;
  span: Span;
  origin: Origin;
  /** Removes this item from its list. */
  remove(): Plan | null;
}

/** A list on a container (cap_add, capabilities.drop, security_opt...). */
export interface ListFact<V> {
  items: Item<V>[];
  /** The list node as written, null when the key is absent. */
  span: Span | null;
  keySpan: Span | null;
  origin: Origin;
  /** Ensures the list holds an item written as `raw` (creating the key, or turning a scalar into a list). */
  add(raw: string): Plan | null;
}

/** The setter of what cannot be set (one function for every absent fact: a Dockerfile analysis makes ~20 per edit). */
const noPlan = (): Plan | null => null;

/** A fact that is never written on this platform or container: value fixed, no setters. */
export function absentFact<T>(value: T): Fact<T> {
  return { value, origin: 'default', span: null, keySpan: null, path: null, set: noPlan, remove: noPlan };
}

export function absentList<V>(): ListFact<V> {
  return { items: [], span: null, keySpan: null, origin: 'default', add: noPlan };
}

/** Combines plans into one (all must exist); their edits are built together. */
export function combinePlans(plans: (Plan | null)[], combine: (changes: Change[]) => Change | null): Plan | null {
  if (plans.some((p) => p === null)) return null;
  const ps = plans as Plan[];
  return {
    build: () => {
      const changes = ps.map((p) => p.build());
      if (changes.some((c) => c === null)) return null;
      return combine(changes as Change[]);
    },
    summary: ps.map((p) => p.summary).filter(Boolean).join(', ') || undefined,
    caveat: ps.map((p) => p.caveat).filter(Boolean).join('; ') || undefined,
  };
}
