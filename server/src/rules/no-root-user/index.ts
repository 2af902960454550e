import type { ContainerSpec, UserFact } from '../../core/model/container';
import type { Rule } from '../../core/rule';
import type { Fix } from '../../core/types';

const where = (c: ContainerSpec) => (c.platform === 'dockerfile' ? 'The final stage' : `Container '${c.name}'`);

export const messages = {
  explicit: (c: ContainerSpec, u: UserFact) => `${where(c)} runs as root (USER ${u.value})`,
  inherited: (c: ContainerSpec, u: UserFact) =>
    `${where(c)} runs as root: it inherits USER ${u.value} from stage '${u.fromName}' (line ${(u.fromLine ?? 0) + 1})`,
  globalArg: (u: UserFact) =>
    `USER ${u.value} runs as root: the global ARG ${u.argName} is not redeclared in the final stage, so it expands to empty there (add 'ARG ${u.argName}' after FROM)`,
  scratch: () => 'The final stage sets no USER, and an image FROM scratch runs as uid 0',
  imageDefault: (u: UserFact) =>
    `The final stage sets no USER, so it runs as root unless the base image '${u.value}' sets one (its USER is unknown offline)`,
  fixTitle: (uidGid: string, caveat?: string) =>
    `Run as USER ${uidGid} (files the app needs must be readable by uid ${uidGid.split(':')[0]}${caveat ? `; ${caveat}` : ''})`,
};

export const rule: Rule = {
  meta: {
    id: 'no-root-user',
    title: 'The container runs as root',
    severity: 'warning',
    platforms: ['dockerfile'],
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
          message = messages.imageDefault(u);
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
          title: messages.fixTitle(config.defaultUser, set.caveat),
          preferred: set.safe && !repair,
          edits: set.edits,
          files: set.files,
        });
      }
      report({ start: span.start, end: span.end, message, fixes });
    }
  },
};
