import type { Span } from '../text';
import type { ContainerSpec } from './container';

/** A place a setting is written, with every container that reads it. */
export interface Site<T> {
  site: T;
  containers: ContainerSpec[];
}

/**
 * Groups what many containers share by where it is written (a pod-level key, an anchor merged
 * into several services, a pod volume mounted by several containers), so a rule reports one
 * finding per written place, naming every container that uses it.
 */
export class SharedSites<T> {
  private readonly bySpan = new Map<string, Site<T>>();

  /** Records that `container` reads the setting written at `span`; `site` is kept from the first call. */
  add(span: Span, container: ContainerSpec, site: () => T, extraKey = ''): Site<T> {
    const key = `${span.start}:${span.end}:${extraKey}`;
    let hit = this.bySpan.get(key);
    if (!hit) this.bySpan.set(key, (hit = { site: site(), containers: [] }));
    if (!hit.containers.includes(container)) hit.containers.push(container);
    return hit;
  }

  values(): IterableIterator<Site<T>> {
    return this.bySpan.values();
  }
}
