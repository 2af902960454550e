/**
 * The image knowledge table (RULES.md, "Images"): what well-known images do at run time,
 * offline. The data lives in imageData.ts, one entry per image family with its source; this
 * module is its schema and loader. no-root-user, read-only-root-filesystem,
 * tmpfs-for-writable-paths and drop-capabilities read it through `lookupImage`.
 */
import { IMAGE_DATA } from './imageData';
import { USER_IMAGE_DATA } from './imageDataUsers';
import { imageMatches, matchesImagePattern, normalisedRef, parseImageRef, remember, type ParsedImage } from './images';

export interface ImageKnowledge {
  /** Family name for messages, e.g. 'nginx', 'redis 8+'. */
  family: string;
  /** Image patterns (images.ts globs, a pattern without a tag matches any tag). */
  match: string[];
  /** Only tags whose leading major version lies in this range (e.g. redis <= 7 vs >= 8); untagged and `latest` count as newest. */
  versions?: { min?: number; max?: number };
  /** The user the container process starts as. */
  startsAs: 'root' | 'nonroot';
  /** The user the long-running process ends up as (`postgres`, `101`, `nobody`); null when it is startsAs. */
  runsAs: string | null;
  /** The user as a number, when it is one (Kubernetes `runAsNonRoot` refuses a named user). */
  uid: number | null;
  /** The entrypoint starts as root and steps down by itself (gosu, su-exec, setpriv, a `user` directive). */
  stepsDown: boolean;
  /** Paths the image writes at run time: a read-only root filesystem needs each one writable. */
  writes: string[];
  /**
   * Directories written at run time that also hold files shipped in the image (configuration the
   * entrypoint rewrites, a keystore created next to shipped config): a tmpfs there would hide those
   * files and the image would fail, so a tmpfs fix must never mount one; they need a volume filled
   * from the image (a named volume) or the app's own setting. Absent: none known.
   */
  writesShipped?: string[];
  /** Capabilities the entrypoint needs at start (Docker names without `CAP_`). */
  capabilities: string[];
  /** A read-only root filesystem with tmpfs at `writes` is known to work. */
  readOnlySafe: boolean;
  /** Runs fine as an arbitrary non-root uid (a `USER`/`user:` fix is safe). */
  anyUidSafe: boolean;
  /** Where each fact was checked (repository and file). */
  source: string;
}

/** The whole table: imageData.ts rows first, then the rows added for no-root-user. */
const ALL_IMAGES: readonly ImageKnowledge[] = [...IMAGE_DATA, ...USER_IMAGE_DATA];

function major(tag: string | null): number | null {
  if (tag === null || tag === '' || tag === 'latest') return Number.POSITIVE_INFINITY;
  const m = /^v?(\d+)/.exec(tag);
  return m ? Number(m[1]) : null;
}

/** What the table knows about an image reference, or null (unknown images are the common case). */
export function lookupImage(ref: string | null | undefined, table: readonly ImageKnowledge[] = ALL_IMAGES): ImageKnowledge | null {
  if (!ref) return null;
  if (table !== ALL_IMAGES) return lookupIn(ref, table);
  let hit = lookupMemo.get(ref);
  if (hit === undefined) {
    hit = lookupIndexed(ref);
    remember(lookupMemo, ref, hit);
  }
  return hit;
}

/**
 * The whole table indexed by image name (in lower case): the rows a name without `*` names,
 * and the rows with a glob in a name, each list in table order. A lookup tries those rows only
 * (a scan tried every pattern of every row through the pattern memo, for each new image string).
 */
interface TableIndex {
  byName: Map<string, number[]>;
  globs: number[];
  /** Each row's patterns, normalised. */
  patterns: ParsedImage[][];
}
let tableIndex: TableIndex | undefined;

function indexTable(): TableIndex {
  const index: TableIndex = { byName: new Map(), globs: [], patterns: [] };
  ALL_IMAGES.forEach((entry, i) => {
    const patterns = entry.match.map(normalisedRef);
    index.patterns.push(patterns);
    for (const p of patterns) {
      const name = p.name.toLowerCase();
      const list = p.name.includes('*') ? index.globs : index.byName.get(name) ?? index.byName.set(name, []).get(name)!;
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  return index;
}

/** lookupIn over the whole table through its index: the same row (tests compare both on every pattern). */
function lookupIndexed(ref: string): ImageKnowledge | null {
  const index = (tableIndex ??= indexTable());
  const img = normalisedRef(ref);
  const named = index.byName.get(img.name.toLowerCase()) ?? [];
  const { globs } = index;
  // the two lists merged in table order (a row in both: once)
  let a = 0;
  let b = 0;
  while (a < named.length || b < globs.length) {
    let i: number;
    if (b >= globs.length || (a < named.length && named[a] <= globs[b])) {
      i = named[a++];
      if (b < globs.length && globs[b] === i) b++;
    } else i = globs[b++];
    if (index.patterns[i].some((p) => imageMatches(img, p)) && inVersions(ALL_IMAGES[i], img.tag)) return ALL_IMAGES[i];
  }
  return null;
}

function inVersions(entry: ImageKnowledge, tag: string | null): boolean {
  if (!entry.versions) return true;
  const v = major(tag);
  if (v === null) return false;
  if (entry.versions.min !== undefined && v < entry.versions.min) return false;
  if (entry.versions.max !== undefined && v > entry.versions.max) return false;
  return true;
}

/** The table's answer per image string (bounded: images.ts MEMO_ENTRIES, cleared whole when full). */
const lookupMemo = new Map<string, ImageKnowledge | null>();

/** How many image strings the lookup memo holds (tests check it stays bounded). */
export function lookupMemoSize(): number {
  return lookupMemo.size;
}

function lookupIn(ref: string, table: readonly ImageKnowledge[]): ImageKnowledge | null {
  const tag = parseImageRef(ref).tag;
  for (const entry of table) {
    if (entry.match.some((p) => matchesImagePattern(ref, p)) && inVersions(entry, tag)) return entry;
  }
  return null;
}
