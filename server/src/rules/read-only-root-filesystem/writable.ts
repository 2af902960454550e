import type { Config } from '../../core/config';
import type { ContainerSpec, MountFact, WritablePath } from '../../core/model/container';
import { lookupImage, type ImageKnowledge } from '../../core/model/imageTable';
import type { AnalysedFile } from '../../core/rule';

/**
 * What a read-only container needs writable, shared by read-only-root-filesystem and
 * tmpfs-for-writable-paths: /tmp, and every path the image table says the image writes.
 */

/** Size of the tmpfs / emptyDir at /tmp and at the image's run-time directories. */
export const SCRATCH_MIB = 64;
/** Size of an emptyDir standing in for an image VOLUME (its data lived in the writable layer before). */
export const DATA_MIB = 1024;

/**
 * VOLUME paths of the table's images (their Dockerfiles declare them). Docker gives each one an
 * anonymous volume, writable under `read_only: true`, so Compose needs no tmpfs there (a tmpfs
 * would lose the data); Kubernetes runtimes do not, so a pod gets an emptyDir.
 */
const IMAGE_VOLUMES = new Set([
  '/var/lib/postgresql/data', '/var/lib/postgresql', '/data', '/var/lib/mysql', '/data/db', '/data/configdb',
  '/var/lib/rabbitmq', '/prometheus', '/var/www/html', '/var/jenkins_home', '/var/lib/registry',
  '/var/lib/ghost/content', '/datalog', '/logs', '/var/lib/influxdb2', '/etc/influxdb2', '/opt/sonarqube/data',
  '/opt/sonarqube/extensions', '/opt/sonarqube/logs', '/opt/sonarqube/temp', '/var/lib/kafka/data', '/vault/logs', '/vault/file',
  '/consul/data',
  // caddy writes these inside its VOLUMEs /data and /config (caddyserver/caddy-docker Dockerfile: VOLUME /config, VOLUME /data)
  '/data/caddy', '/config/caddy',
]);
const inImageVolume = (p: string) => IMAGE_VOLUMES.has(norm(p));

const norm = (p: string) => p.replace(/\/+$/, '') || '/';
/**
 * The directory a path really names: Debian and Alpine images (every image of the table) ship
 * `/var/run` as a symlink to `/run` and `/var/lock` to `/run/lock`, so a tmpfs at `/run` makes
 * `/var/run/...` writable (and Docker resolves the symlink when it mounts at `/var/run`).
 */
const canon = (p: string) => norm(p).replace(/^\/var\/run(?=\/|$)/, '/run').replace(/^\/var\/lock(?=\/|$)/, '/run/lock');

/** `path` is `base` or lies under it (`/var/run` and `/run` are one directory). */
export function under(path: string, base: string): boolean {
  const p = canon(path);
  const b = canon(base);
  return p === b || b === '/' || p.startsWith(`${b}/`);
}

/** Mounts that make their target writable (a stack file drops service-level tmpfs: those do not count). */
export function writableMounts(c: ContainerSpec, file: AnalysedFile): MountFact[] {
  const stack = c.platform === 'compose' && file.compose?.stack === true;
  return c.mounts.filter((m) => !m.readOnly && m.target !== null && /^\//.test(m.target) && !(stack && m.syntax === 'tmpfs'));
}

export interface Needs {
  /** What the image table knows, or null (a build: service, an unknown image). */
  known: ImageKnowledge | null;
  /** Writable targets today (mounts, and the VOLUMEs of a Dockerfile the service builds from, marked so). */
  today: string[];
  /** /tmp when nothing writable is mounted there (and the image table does not list it). */
  tmp: string[];
  /** Paths the image writes that nothing makes writable. */
  image: string[];
  /** Of `image`, the ones that are the image's VOLUMEs (Kubernetes: a larger emptyDir). */
  volumes: Set<string>;
}

export function needs(c: ContainerSpec, file: AnalysedFile): Needs {
  const known = c.builds ? null : lookupImage(c.image?.ref);
  const mounts = writableMounts(c, file);
  // Compose: Docker mounts an anonymous volume at each VOLUME of the Dockerfile the service builds from
  const built = c.platform === 'compose' ? (c.buildVolumes?.paths ?? []) : [];
  const today = [...new Set(mounts.map((m) => norm(m.target!)))];
  for (const v of built) if (!today.includes(v)) today.push(`${v} (VOLUME)`);
  const covered = (p: string) => mounts.some((m) => under(p, m.target!)) || built.some((v) => under(p, v));
  const shipped = known?.writesShipped ?? [];
  const image: string[] = [];
  const volumes = new Set<string>();
  for (const w of known?.writes ?? []) {
    if (covered(w) || shipped.some((s) => under(w, s)) || image.includes(w)) continue;
    const isVolume = inImageVolume(w);
    // Docker mounts an anonymous volume at an image VOLUME: writable already
    if (isVolume && c.platform === 'compose') continue;
    if (isVolume) volumes.add(w);
    image.push(w);
  }
  const tmp = covered('/tmp') || image.includes('/tmp') ? [] : ['/tmp'];
  image.sort((a, b) => Number(b === '/tmp') - Number(a === '/tmp'));
  return { known, today, tmp, image, volumes };
}

/** In-memory emptyDirs (setting `kubernetes.emptyDirMedium: Memory`) for this container. */
const inMemory = (c: ContainerSpec, config: Config) => c.platform === 'kubernetes' && config.kubernetes?.emptyDirMedium === 'Memory';

/** The paths a fix makes writable, /tmp first, with their sizes (Kubernetes: the configured emptyDir medium). */
export function pathsToAdd(n: Needs, c: ContainerSpec, config: Config): WritablePath[] {
  const order = [...n.tmp, ...n.image.filter((p) => p === '/tmp'), ...n.image.filter((p) => p !== '/tmp')];
  const medium = inMemory(c, config) ? { medium: 'Memory' as const } : {};
  const owner = tmpfsOwner(c);
  return order.map((target) => ({ target, sizeMiB: n.volumes.has(target) ? DATA_MIB : SCRATCH_MIB, ...medium, ...owner }));
}

/** Compose: a service that runs as a known numeric user gets tmpfs entries it owns (`uid=`, `gid=`). */
function tmpfsOwner(c: ContainerSpec): { uid?: number; gid?: number } {
  const m = c.platform === 'compose' && c.user.state === 'nonroot' ? /^\s*(\d+)(?::(\d+))?\s*$/.exec(c.user.value ?? '') : null;
  if (!m) return {};
  return { uid: Number(m[1]), ...(m[2] !== undefined ? { gid: Number(m[2]) } : {}) };
}

export const where = (c: ContainerSpec) => (c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`);
export const mountWord = (c: ContainerSpec, config: Config) => (c.platform === 'compose' ? 'tmpfs' : inMemory(c, config) ? 'emptyDir (medium: Memory)' : 'emptyDir');
/** "writable today: …; the fix adds … at …" (no fix: the first half only). */
export const todayAndAdds = (c: ContainerSpec, config: Config, today: string[], adds: string[] | null, label = 'writable today') =>
  `${label}: ${today.length ? today.join(', ') : 'nothing'}${adds?.length ? `; the fix adds ${mountWord(c, config)} at ${adds.join(', ')}` : ''}`;
