import type { ContainerSpec, UserFact } from '../../core/model/container';
import type { Rule } from '../../core/rule';
import type { Fix } from '../../core/types';

const where = (c: ContainerSpec) =>
  c.platform === 'dockerfile' ? 'The final stage' : c.platform === 'compose' ? `Service '${c.name}'` : `Container '${c.name}'`;
const setting = (c: ContainerSpec, u: UserFact) =>
  c.platform === 'dockerfile' ? `USER ${u.value}` : c.platform === 'compose' ? `user: ${u.value}` : u.value;

export const messages = {
  explicit: (c: ContainerSpec, u: UserFact) => `${where(c)} runs as root (${setting(c, u)})`,
  inherited: (c: ContainerSpec, u: UserFact) => {
    if (c.platform === 'kubernetes') return `${where(c)} runs as root: the pod's securityContext sets runAsUser: 0`;
    if (c.platform === 'compose' && u.fromName === 'a merged anchor') return `${where(c)} runs as root (user: ${u.value}, merged from an anchor)`;
    if (c.platform === 'compose') return `${where(c)} runs as root: its Dockerfile (${u.fromName}) runs as root`;
    return `${where(c)} runs as root: it inherits USER ${u.value} from stage '${u.fromName}' (line ${(u.fromLine ?? 0) + 1})`;
  },
  globalArg: (u: UserFact) =>
    `USER ${u.value} runs as root: the global ARG ${u.argName} is not redeclared in ${u.fromName ? `stage '${u.fromName}'` : 'the final stage'}, so it expands to empty there (add 'ARG ${u.argName}' after FROM)`,
  scratch: () => 'The final stage sets no USER, and an image FROM scratch runs as uid 0',
  imageDefault: (c: ContainerSpec, u: UserFact) => {
    if (c.platform === 'compose') {
      if (u.fromName) return `${where(c)} sets no user and its Dockerfile (${u.fromName}) sets no USER, so it runs as root unless the base image '${u.value}' sets one (unknown offline)`;
      return u.value
        ? `${where(c)} sets no user, so it runs as root unless the image '${u.value}' sets one (its USER is unknown offline)`
        : `${where(c)} sets no user, so it runs as root unless its image sets one`;
    }
    if (c.platform === 'kubernetes') {
      return u.value === 'runAsNonRoot: false'
        ? `${where(c)} may run as root: runAsNonRoot is false and no runAsUser is set`
        : `${where(c)} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set (the image's USER is unknown offline)`;
    }
    return `The final stage sets no USER, so it runs as root unless the base image '${u.value}' sets one (its USER is unknown offline)`;
  },
  fixTitle: (c: ContainerSpec, uidGid: string, caveat?: string) => {
    const [uid, gid = uid] = uidGid.split(':');
    if (c.platform === 'compose') return `Set user: "${uidGid}"${caveat ? ` (${caveat})` : ''}`;
    if (c.platform === 'kubernetes') return `Run the pod as non-root: runAsNonRoot: true, runAsUser: ${uid}, runAsGroup: ${gid}${caveat ? ` (${caveat})` : ''}`;
    return `Run as USER ${uidGid} (files the app needs must be readable by uid ${uid}${caveat ? `; ${caveat}` : ''})`;
  },
};

export const rule: Rule = {
  meta: {
    id: 'no-root-user',
    title: 'The container runs as root',
    severity: 'warning',
    platforms: ['dockerfile', 'compose', 'kubernetes'],
    fixable: true,
    linuxOnly: true,
    peers: {
      hadolint: ['DL3002'],
      trivy: ['DS002', 'KSV012'],
      checkov: ['CKV_DOCKER_3', 'CKV_DOCKER_8', 'CKV_K8S_23'],
      kubeLinter: ['run-as-non-root'],
    },
  },
  check({ file, config, report }) {
    for (const c of file.containers) {
      const u = c.user;
      if (u.state !== 'root' && u.state !== 'unset') continue;
      // Missing settings are not findings on partial objects (patches, ephemeral containers).
      if (u.state === 'unset' && c.partial) continue;
      let message: string;
      let span = u.span ?? c.anchor;
      switch (u.detail) {
        case 'global-arg-not-redeclared':
          message = messages.globalArg(u);
          break;
        case 'inherited':
          message = messages.inherited(c, u);
          span = c.anchor;
          break;
        case 'scratch':
          message = messages.scratch();
          break;
        case 'image-default':
          message = messages.imageDefault(c, u);
          break;
        default:
          message = messages.explicit(c, u);
      }
      const fixes: Fix[] = [];
      const repair = c.setters.repairUser?.();
      if (repair) fixes.push(repair);
      const set = c.setters.runAsUser(config.defaultUser);
      if (set) {
        fixes.push({
          title: set.title ?? messages.fixTitle(c, config.defaultUser, set.caveat),
          preferred: set.safe && !repair,
          edits: set.edits,
          files: set.files,
        });
      }
      // baseline reports an explicit root user only; "no user set" is recommended hardening
      report({ start: span.start, end: span.end, message, fixes, ...(u.state === 'unset' || u.detail === 'scratch' ? { preset: 'recommended' as const } : {}) });
    }
  },
};
