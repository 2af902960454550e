/** Image references and image-pattern matching, shared by every platform. */
import type { Span } from '../text';
import type { ContainerSpec } from './container';

export interface ParsedImage {
  /** registry/path without tag or digest */
  name: string;
  tag: string | null;
  digest: string | null;
}

export function parseImageRef(ref: string): ParsedImage {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | null = null;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

/**
 * Whether `text` matches `glob`, where `*` stands for any run of characters (also none)
 * and every other character for itself, ignoring case. Linear backtracking over the last
 * `*` only: O(glob × text) at worst, whatever the pattern (`********x` against a long
 * name is as cheap as `*x`); a regular expression built from the glob backtracks
 * exponentially on such patterns.
 */
export function globMatch(glob: string, text: string): boolean {
  const p = glob.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1; // index in p just after the last `*` seen
  let mark = 0; // where in t that `*` started matching
  while (ti < t.length) {
    if (pi < p.length && p[pi] === '*') {
      while (pi < p.length && p[pi] === '*') pi++; // a run of stars is one star
      star = pi;
      mark = ti;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (star >= 0) {
      // let the last `*` take one more character and try the rest again
      mark++;
      ti = mark;
      pi = star;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Matches an image against a pattern such as `bitnami/*`, `*-unprivileged`,
 * `gcr.io/distroless/*:nonroot`. A pattern without a tag matches any tag; `docker.io/`
 * and `docker.io/library/` prefixes are ignored on both sides.
 */
export function matchesImagePattern(ref: string, pattern: string): boolean {
  const key = `${ref}\0${pattern}`;
  let hit = matchMemo.get(key);
  if (hit === undefined) {
    hit = imageMatches(normalisedRef(ref), normalisedRef(pattern));
    remember(matchMemo, key, hit);
  }
  return hit;
}

/** Whether a normalised image matches a normalised pattern: its name, and its tag when it has one, as globs (case ignored). */
export function imageMatches(img: ParsedImage, pat: ParsedImage): boolean {
  return globMatch(pat.name, img.name) && (pat.tag === null || (img.tag !== null && globMatch(pat.tag, img.tag)));
}

/** Whether `ref` matches any of `patterns` (config.nonRootImages: the same array on every keystroke), remembered per array. */
export function matchesAnyImagePattern(ref: string, patterns: readonly string[]): boolean {
  let memo = anyMemo.get(patterns);
  if (!memo) anyMemo.set(patterns, (memo = new Map()));
  let hit = memo.get(ref);
  if (hit === undefined) {
    hit = patterns.some((p) => matchesImagePattern(ref, p));
    remember(memo, ref, hit);
  }
  return hit;
}

const anyMemo = new WeakMap<readonly string[], Map<string, boolean>>();

/**
 * Memos for image strings (an analysis per keystroke asks about the same few images and the
 * same patterns again and again): at most MEMO_ENTRIES each, cleared whole when full, so a
 * workspace of many images costs a re-parse now and then, never unbounded memory.
 */
export const MEMO_ENTRIES = 2048;
const normMemo = new Map<string, ParsedImage>();
const matchMemo = new Map<string, boolean>();

export function remember<K, V>(memo: Map<K, V>, key: K, value: V): void {
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(key, value);
}

/** A reference's name without `docker.io/` or `library/` (as patterns compare it), its tag and digest. */
export function normalisedRef(ref: string): ParsedImage {
  let p = normMemo.get(ref);
  if (!p) {
    const r = parseImageRef(ref);
    p = Object.freeze({ ...r, name: r.name.replace(/^(docker\.io|index\.docker\.io)\//i, '').replace(/^library\//i, '') });
    remember(normMemo, ref, p);
  }
  return p;
}

/** How many image strings and (image, pattern) pairs the memos hold (tests check they stay bounded). */
export function imageMemoSize(): { refs: number; matches: number } {
  return { refs: normMemo.size, matches: matchMemo.size };
}

export const DEFAULT_NON_ROOT_IMAGES = [
  'gcr.io/distroless/*:nonroot',
  'gcr.io/distroless/*:debug-nonroot',
  'gcr.io/distroless/*:*-nonroot',
  'cgr.dev/chainguard/*',
  '*-unprivileged',
  'bitnami/*',
  'mcr.microsoft.com/dotnet/*:*-chiseled*',
];

/** The default registry Docker uses for names without one, and its other spellings. */
export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `docker.io` for `node`, `bitnami/redis`; the host for `ghcr.io/o/app`, `localhost:5000/app`. */
export function registryOf(name: string): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // as docker/distribution splits a name: a first component with '.' or ':', or localhost, is a host
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    const host = first.toLowerCase();
    return { registry: DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host, path: name.slice(slash + 1) };
  }
  return { registry: DOCKER_HUB, path: slash < 0 ? `library/${name}` : name };
}

/**
 * A trustedRegistries entry matches a registry host (`registry.example.com`, `*.dkr.ecr.*.amazonaws.com`)
 * and, optionally, a path prefix below it (`ghcr.io/myorg`, `docker.io/library`), on `/` boundaries.
 * A scheme or a trailing `/` or `/*` is ignored; an entry without a host names a Docker Hub namespace.
 */
export function matchesRegistry(ref: string, entry: string): boolean {
  const e = entry.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/\*?$/, '');
  if (!e) return false;
  const img = registryOf(parseImageRef(ref).name);
  const want = registryOf(e.includes('/') ? e : `${e}/x`);
  if (!e.includes('/') && want.registry === DOCKER_HUB && !DOCKER_HUB_ALIASES.has(e.toLowerCase())) {
    // a bare word such as `myorg`: a Docker Hub namespace
    return img.registry === DOCKER_HUB && (img.path === e || img.path.startsWith(`${e}/`));
  }
  // a host has no '/', so a `*` that stays within one path component is any run here
  if (img.registry.includes('/') || !globMatch(want.registry, img.registry)) return false;
  if (!e.includes('/')) return true;
  const prefix = want.path;
  return img.path === prefix || img.path.startsWith(`${prefix}/`);
}

/** A digest such as `sha256:<hex>` pins the content, whatever the tag says. */
export function hasDigest(ref: string): boolean {
  const d = parseImageRef(ref).digest;
  return d !== null && /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(d);
}

/** Why an image is not pinned to a version: no tag, `:latest`, or null when pinned. */
export function unpinnedReason(ref: string): 'untagged' | 'latest' | null {
  if (hasDigest(ref)) return null;
  const { tag } = parseImageRef(ref);
  if (tag === null || tag === '') return 'untagged';
  return tag === 'latest' ? 'latest' : null;
}

/** One place a file pulls an image: a Dockerfile FROM, a Compose `image:`, a Kubernetes `image:`. */
export interface ImageUse {
  /** As it resolves (ARG and Compose defaults expanded). */
  ref: string;
  /** As written. */
  written: string;
  /** The reference as written, without YAML quotes. */
  span: Span;
  /** Uses a variable that has no value offline: nothing can be said about it. */
  unknown: boolean;
  /** For messages: `service 'web'`, `container 'app'`; null in a Dockerfile. */
  owner: string | null;
}

/**
 * Every image a file pulls: each FROM of a Dockerfile that names an image (not `scratch`,
 * not an earlier stage), each Compose service `image:` unless the service builds it, each
 * Kubernetes container `image:`.
 */
export function imageUses(file: { text: string; containers: ContainerSpec[]; dockerfile?: { images: ImageUse[] } }): ImageUse[] {
  if (file.dockerfile) return file.dockerfile.images;
  const out: ImageUse[] = [];
  for (const c of file.containers) {
    if (!c.image || c.builds) continue;
    let { start, end } = c.image.span;
    const q = file.text[start];
    if ((q === '"' || q === "'") && end - start >= 2 && file.text[end - 1] === q) {
      start++;
      end--;
    }
    const ref = c.image.ref.trim();
    out.push({
      ref,
      written: c.image.raw,
      span: { start, end },
      unknown: ref === '' || /\$\{?[A-Za-z_]|\{\{/.test(ref),
      owner: c.platform === 'compose' ? `service '${c.name}'` : `container '${c.name}'`,
    });
  }
  return out;
}

/** How messages name an image use: `'node'`, `'node' (written '${BASE}')`, `'nginx' of service 'web'`. */
export function imageLabel(u: ImageUse): string {
  const written = u.written !== u.ref ? ` (written '${u.written}')` : '';
  return `'${u.ref}'${written}${u.owner ? ` of ${u.owner}` : ''}`;
}
