/** Image references and image-pattern matching, shared by every platform. */

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

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Matches an image against a pattern such as `bitnami/*`, `*-unprivileged`,
 * `gcr.io/distroless/*:nonroot`. A pattern without a tag matches any tag; `docker.io/`
 * and `docker.io/library/` prefixes are ignored on both sides.
 */
export function matchesImagePattern(ref: string, pattern: string): boolean {
  const img = parseImageRef(ref);
  const pat = parseImageRef(pattern);
  const norm = (n: string) => n.replace(/^(docker\.io|index\.docker\.io)\//i, '').replace(/^library\//i, '');
  if (!globToRegExp(norm(pat.name)).test(norm(img.name))) return false;
  if (pat.tag === null) return true;
  return img.tag !== null && globToRegExp(pat.tag).test(img.tag);
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
