import type { MountFact } from '../../core/model/container';

/**
 * Host paths, shared by no-docker-socket and no-sensitive-host-mounts (RULES.md, "Sensitive
 * host paths", "Runtime sockets"). Paths are compared after normalising: `\` to `/`, `//` and
 * `/./` collapsed, `..` resolved, trailing `/` dropped; `$XDG_RUNTIME_DIR` / `${XDG_RUNTIME_DIR}`
 * read as `/run/user/<uid>`.
 */

/** The normalised host path, or null when it is not an absolute path (a relative bind, a named volume). */
export function normaliseHostPath(raw: string): string | null {
  let p = raw.trim().replace(/\\/g, '/');
  if (/^\/\/\.\/pipe\//i.test(p)) return '//./pipe/' + p.slice('//./pipe/'.length).toLowerCase();
  p = p.replace(/^\$\{XDG_RUNTIME_DIR\}|^\$XDG_RUNTIME_DIR(?![A-Za-z0-9_])/, '/run/user/<uid>');
  p = p.replace(/^(?:~|\$\{HOME\}|\$HOME(?![A-Za-z0-9_]))(?=\/|$)/, '/home/<user>');
  if (!p.startsWith('/')) return null;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const SOCKET_NAMES = new Set(['docker.sock', 'docker.sock.raw', 'containerd.sock', 'containerd.sock.ttrpc', 'crio.sock', 'podman.sock', 'cri-dockerd.sock', 'dockershim.sock']);

/** Folders that hold a runtime socket (mounting one exposes it). */
const SOCKET_FOLDERS = [
  '/run',
  '/var/run',
  '/run/docker',
  '/var/run/docker',
  '/run/docker/containerd',
  '/var/run/docker/containerd',
  '/run/containerd',
  '/var/run/containerd',
  '/run/crio',
  '/var/run/crio',
  '/run/podman',
  '/var/run/podman',
  '/run/user',
  '/var/run/user',
];

/** Which runtime a socket path or pipe belongs to, or null. `folder` when the path is a folder holding one. */
export function runtimeSocket(path: string): { runtime: string; folder: boolean } | null {
  if (path.startsWith('//./pipe/')) {
    const name = path.slice('//./pipe/'.length);
    if (name.startsWith('docker_engine')) return { runtime: 'Docker', folder: false };
    if (name.startsWith('containerd-containerd')) return { runtime: 'containerd', folder: false };
    if (name.startsWith('podman')) return { runtime: 'Podman', folder: false };
    return null;
  }
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (SOCKET_NAMES.has(base)) return { runtime: runtimeOf(base), folder: false };
  if (SOCKET_FOLDERS.includes(path)) return { runtime: folderRuntime(path), folder: true };
  // rootless: $XDG_RUNTIME_DIR (/run/user/<uid>) holds docker.sock, its podman/ folder podman.sock
  if (/^(?:\/var)?\/run\/user\/[^/]+(?:\/podman|\/docker)?$/.test(path)) return { runtime: /podman$/.test(path) ? 'Podman' : 'Docker', folder: true };
  return null;
}

function runtimeOf(base: string): string {
  if (base.startsWith('containerd')) return 'containerd';
  if (base.startsWith('crio')) return 'CRI-O';
  if (base.startsWith('podman')) return 'Podman';
  return 'Docker';
}

function folderRuntime(path: string): string {
  if (path.includes('containerd')) return 'containerd';
  if (path.includes('crio')) return 'CRI-O';
  if (path.includes('podman')) return 'Podman';
  return 'Docker';
}

/** RULES.md's sensitive host paths (their subfolders count, and so do their parents such as `/var`). */
export const SENSITIVE = [
  '/etc', '/proc', '/sys', '/dev', '/boot', '/lib', '/usr', '/root', '/home', '/run', '/var/run',
  '/var/log', '/var/lib/docker', '/var/lib/kubelet', '/etc/kubernetes',
  // merged-/usr systems link these into /usr
  '/lib64', '/bin', '/sbin',
];

/** Read-only single files (and the zone database) any container may see: never findings when read-only. */
const HARMLESS_READ_ONLY = ['/etc/localtime', '/etc/timezone', '/usr/share/zoneinfo', '/etc/machine-id', '/var/lib/dbus/machine-id', '/etc/os-release', '/usr/lib/os-release'];

const under = (path: string, folder: string) => path === folder || path.startsWith(folder + '/');

/** The sensitive folder a path falls in (`/` itself, a listed path, a subfolder, or a parent such as `/var`), or null. */
export function sensitivePath(path: string): string | null {
  if (path === '/') return '/';
  // `~/data` is a project folder; `~` itself and its dot-folders (`~/.ssh`, `~/.aws`, `~/.kube`) hold credentials
  if (path.startsWith('/home/<user>/') && !path.startsWith('/home/<user>/.')) return null;
  const hit = SENSITIVE.filter((s) => under(path, s)).sort((a, b) => b.length - a.length)[0];
  if (hit) return hit;
  // a parent of a sensitive path (`/var`, `/var/lib`) holds it
  if (SENSITIVE.some((s) => s.startsWith(path + '/'))) return path;
  return null;
}

export function harmlessReadOnly(path: string): boolean {
  return HARMLESS_READ_ONLY.some((f) => under(path, f));
}

/** A mount of a host path: Compose bind (short, long, or a local volume with `o: bind`), npipe, Kubernetes hostPath. */
export function isHostMount(m: MountFact): boolean {
  return m.kind === 'bind' || m.kind === 'hostPath' || m.kind === 'npipe';
}

/** The normalised host path of a host mount, or null (relative, not a literal). */
export function hostPathOf(m: MountFact): string | null {
  if (!isHostMount(m) || m.source === null) return null;
  return normaliseHostPath(m.source);
}

/** A mount no-docker-socket reports: a runtime socket or a folder holding one. */
export function socketMount(m: MountFact): { path: string; runtime: string; folder: boolean } | null {
  const path = hostPathOf(m);
  if (path === null) return null;
  const s = runtimeSocket(path);
  return s ? { path, ...s } : null;
}
