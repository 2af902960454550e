/**
 * A value kept on an object for as long as the object lives: what a module-level `WeakMap`
 * keyed by an analysis's objects (a parse, a stage, an instruction) gave, stored on the object
 * itself under a symbol of its own.
 *
 * Why not a `WeakMap`: the map lives in V8's old generation, and its young-generation
 * collections hold the values of such a map strongly. A value that leads back to its key (a
 * stage's index names the stage's instructions; a RUN's commands read its instruction) kept
 * the whole analysis alive through every minor collection, so each analysis went to the old
 * generation and stayed there until a full collection. Measured with the engine alone and
 * every Dockerfile rule (together with engine.ts LazyFinding; neither change alone was
 * enough): of each analysis, ~76 KB reached the old generation before, ~4 KB after.
 */
export class Attached<K extends object, V> {
  private readonly key: symbol;

  constructor(name: string) {
    this.key = Symbol(name);
  }

  get(k: K): V | undefined {
    return (k as unknown as Record<symbol, V | undefined>)[this.key];
  }

  /** Stored as a non-enumerable property: a spread or a JSON copy of the object leaves it behind. */
  set(k: K, v: V): void {
    Object.defineProperty(k, this.key, { value: v, writable: true, configurable: true, enumerable: false });
  }
}
