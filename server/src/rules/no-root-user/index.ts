import type { ContainerSpec, UserFact } from '../../core/model/container';
import type { Rule } from '../../core/rule';
import type { Fix, PlannedFix } from '../../core/types';

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
  /** The container starts as root and switches user by itself: an info, not a warning. */
  stepsDown: (c: ContainerSpec, u: UserFact) => {
    const d = u.stepDown!;
    const how =
      d.by === 'image'
        ? `switches to ${d.runsAs ? `user ${d.runsAs}` : 'another user'} by itself`
        : `switches user with ${d.tool}`;
    if (c.platform === 'dockerfile') {
      const head = u.state === 'root' ? `The final stage starts as root (USER ${u.value})` : 'The final stage starts as root';
      if (d.by === 'image') return `${head}: the base image '${d.image}' ${how}`;
      return `${head}: its entrypoint${d.script ? ` ${d.script}` : ''} ${how} (line ${d.line + 1})`;
    }
    if (c.platform === 'compose' && u.fromName) {
      if (d.by === 'image') return `${where(c)} starts as root: its Dockerfile (${u.fromName}) builds on '${d.image}', which ${how}`;
      return `${where(c)} starts as root: the entrypoint of its Dockerfile (${u.fromName}) ${how}`;
    }
    return `${where(c)} starts as root: the image '${d.by === 'image' ? d.image : u.value}' ${how}`;
  },
  guardRefused: (c: ContainerSpec, u: UserFact) => {
    const k = u.known!;
    if (k.startsAs === 'root') return `${where(c)} will not start: runAsNonRoot: true needs a non-root image user, and the image '${u.value}' starts as root (set a numeric runAsUser)`;
    return `${where(c)} will not start: with runAsNonRoot: true and no runAsUser, the kubelet cannot verify the image's named user ${k.runsAs}${k.uid ? ` (set runAsUser: ${k.uid})` : ' (set a numeric runAsUser)'}`;
  },
  /** The Kubernetes fix's caveat when the uid is the image's own (image table). */
  ownUid: (u: UserFact, uid: number) =>
    u.stepDown || u.known?.startsAs === 'root'
      ? `uid ${uid} is the user ${u.known?.family ?? 'the image'} switches to; the image starts as root`
      : `uid ${uid} is the image's own user${u.known?.runsAs && u.known.runsAs !== String(uid) ? ` ${u.known.runsAs}` : ''}`,
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
      let severity: 'info' | undefined;
      if (u.stepDown && u.detail !== 'global-arg-not-redeclared') {
        message = messages.stepsDown(c, u);
        severity = 'info';
      } else switch (u.detail) {
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
        case 'guard-refused':
          message = messages.guardRefused(c, u);
          break;
        default:
          message = messages.explicit(c, u);
      }
      const fixes = (): (Fix | PlannedFix)[] => {
        const out: (Fix | PlannedFix)[] = [];
        const repair = c.setters.repairUser?.();
        if (repair) out.push(repair);
        // Kubernetes: a numeric runAsUser, the image's own uid when the table knows it (a named image user is refused under runAsNonRoot)
        const own = c.platform === 'kubernetes' && u.known?.uid ? u.known.uid : null;
        const uidGid = own ? `${own}:${own}` : config.defaultUser;
        const set = c.setters.runAsUser(uidGid, own ? messages.ownUid(u, own) : undefined);
        if (set) {
          // listed from the setter's plan; its edits are read when the fix is built
          out.push({
            title: set.title ?? messages.fixTitle(c, uidGid, set.caveat),
            preferred: set.safe && !repair,
            build: () => {
              const edits = set.edits;
              return edits ? { edits, files: set.files } : null;
            },
          });
        }
        return out;
      };
      // baseline reports an explicit root user only; "no user set" is recommended hardening
      report({ start: span.start, end: span.end, message, fixes, ...(severity ? { severity } : {}), ...(u.state === 'unset' || u.detail === 'scratch' || u.detail === 'image-default' ? { preset: 'recommended' as const } : {}) });
    }
  },
};
