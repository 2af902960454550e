import type { Fix, Platform } from '../types';
import type { Span } from '../text';
import { absentFact, absentList, type Fact, type ListFact, type Origin, type Plan } from './facts';

/**
 * The normalised view of one container: a Dockerfile's final stage, a Compose service,
 * or a Kubernetes container. Platform inheritance is resolved by the adapter that builds
 * it; rules only read these facts and ask the adapter's setters for edits.
 */
export interface ContainerSpec {
  platform: Platform;
  /** Human name for messages: "final stage", a service or container name. */
  name: string;
  /** Smallest node that should hold a missing setting (the final FROM, the service key, the container's name). */
  anchor: Span;
  /**
   * The whole container as written (the service's key and map, the container's list item);
   * unset for a Dockerfile, where every finding of the file concerns its one image.
   */
  extent?: Span;
  image: ImageRef | null;
  user: UserFact;
  /** Linux-only rules and fixes skip Windows containers. */
  windows: boolean;
  /** A patch or partial object: "missing X" findings do not apply, explicit values do. */
  partial: boolean;
  /** Compose: the service builds its image (`build:`), so `image:` names the result. */
  builds: boolean;
  /**
   * Compose: VOLUME paths of the workspace Dockerfile the service builds from (final stage and
   * the stages it is built FROM), and that Dockerfile's path. Docker mounts an anonymous volume
   * at each, writable under `read_only: true`. Absent when there is no such Dockerfile.
   */
  buildVolumes?: { paths: string[]; from: string };
  /** Ports the container listens on (EXPOSE, Compose container side and expose, containerPort). */
  ports: PortFact[];
  /** Environment variables written in the file (ENV is read from the Dockerfile model instead). */
  env: EnvFact[];
  /** Security settings (RULES.md): each with value, span, origin and setters. */
  security: SecurityFacts;
  /** Host namespaces shared with the container. */
  namespaces: NamespaceFacts;
  /** Every mount: tmpfs, bind, named volume, emptyDir, hostPath, ... (Dockerfile: none). */
  mounts: MountFact[];
  /** Memory, CPU and PIDs limits and reservations. */
  resources: ResourceFacts;
  /** Kubernetes only (absent facts elsewhere): the pod's service account and its token. */
  serviceAccount: ServiceAccountFacts;
  /** Kubernetes only: the pod the container belongs to (every container of one pod shares the same object). */
  pod?: PodRef;
  /** Every string scalar the container owns (environment, args, command, labels, ...), for the secret rules. */
  strings: StringFact[];
  setters: ContainerSetters;
}

export interface SecurityFacts {
  /** Compose `privileged`, Kubernetes `securityContext.privileged`. Default false. */
  privileged: Fact<boolean>;
  /**
   * True when privilege escalation is blocked: Compose `security_opt` no-new-privileges (any
   * spelling RULES.md lists, a Go ParseBool true value), Kubernetes `allowPrivilegeEscalation:
   * false`. Default false. `raw` holds the entry as written; an unparseable value is `raw` with value false.
   */
  noNewPrivileges: Fact<boolean>;
  /** Added capabilities. Compose: value upper-cased without `CAP_`; Kubernetes: the raw string. */
  capAdd: ListFact<string>;
  /** Dropped capabilities, normalised as capAdd. */
  capDrop: ListFact<string>;
  /** Compose `read_only`, Kubernetes container `securityContext.readOnlyRootFilesystem` (never the pod's). */
  readOnlyRootFilesystem: Fact<boolean>;
  /** Compose `security_opt` items as key and value (`seccomp=unconfined` -> seccomp, unconfined). Kubernetes: none. */
  securityOpt: ListFact<{ key: string; value: string | null }>;
  /** `unconfined`, `RuntimeDefault`, `Localhost`, a profile path, or null when unset (container, pod, or legacy annotation). */
  seccomp: Fact<string | null>;
  /** AppArmor profile: `unconfined`, `RuntimeDefault`, `Localhost`, a profile name, or null. */
  apparmor: Fact<string | null>;
  /** SELinux: Compose `label=` value (`disable`, `type:spc_t`...), Kubernetes `seLinuxOptions.type`; null when unset. */
  selinux: Fact<string | null>;
  /** Compose `systempaths=` value, Kubernetes `procMount`; null when unset. */
  systemPaths: Fact<string | null>;
  /** Kubernetes `hostUsers` (false is the good value: a user namespace); null when unset. */
  hostUsers: Fact<boolean | null>;
  /** Compose `use_api_socket`. Default false. */
  useApiSocket: Fact<boolean>;
}

/**
 * Namespaces: the value is `host` when the host's namespace is shared (Compose
 * `network_mode: host`, legacy `net: host`, Kubernetes `hostNetwork: true`), otherwise what
 * is written (`service:db`, `container:x`, `private`) or null.
 */
export interface NamespaceFacts {
  network: Fact<string | null>;
  pid: Fact<string | null>;
  ipc: Fact<string | null>;
  userns: Fact<string | null>;
  uts: Fact<string | null>;
}

/** A path a fix makes writable, with its size bound. */
export interface WritablePath {
  target: string;
  sizeMiB: number;
  /** Kubernetes emptyDir medium (`Memory`: a tmpfs that counts against the container's memory limit). */
  medium?: 'Memory';
  /** Compose `tmpfs:` entries: `uid=` / `gid=` options (the service runs as this numeric user). Stack files and Kubernetes ignore them. */
  uid?: number;
  gid?: number;
}

export type MountKind = 'tmpfs' | 'bind' | 'volume' | 'emptyDir' | 'hostPath' | 'npipe' | 'other';

export interface MountFact {
  kind: MountKind;
  /** The path inside the container, as written (null when not a literal). */
  target: string | null;
  /** Bind / hostPath: the host path; volume: its name; otherwise null. */
  source: string | null;
  readOnly: boolean;
  /** A bound size as written: tmpfs `size=`, `tmpfs.size`, emptyDir `sizeLimit`, local-driver `o: size=`; null when unbounded. */
  size: string | null;
  /** Kubernetes emptyDir `medium`. */
  medium?: string | null;
  /** Kubernetes hostPath `type`. */
  hostPathType?: string | null;
  /** Compose tmpfs options as written after the path (`uid=33,size=16m`). */
  options?: string | null;
  /** How it is written: Compose `tmpfs:` entry, short or long `volumes:` syntax; Kubernetes volumeMount. */
  syntax: 'tmpfs' | 'short' | 'long' | 'volumeMount';
  /** The whole entry (the short string, the long map, the volumeMount item). */
  span: Span;
  sourceSpan: Span | null;
  origin: Origin;
  /** Makes the mount read-only: `:ro` on the short syntax (keeping quotes), `read_only: true`, `readOnly: true`. */
  setReadOnly(): Plan | null;
  remove(): Plan | null;
}

export interface ResourceFacts {
  /** Memory limit as written (`512m`, `512Mi`, a byte count); null when none. */
  memoryLimit: Fact<string | null>;
  cpuLimit: Fact<string | null>;
  pidsLimit: Fact<string | null>;
  memoryReservation: Fact<string | null>;
  cpuReservation: Fact<string | null>;
}

export interface ServiceAccountFacts {
  /** `serviceAccountName` (or legacy `serviceAccount`); null means the namespace's `default`. */
  name: Fact<string | null>;
  /** Effective `automountServiceAccountToken`: the pod's, else its ServiceAccount's (origin 'related'), else null. */
  automountToken: Fact<boolean | null>;
}

/**
 * Where a string sits, platform-neutral: `environment` (Compose `environment`, Kubernetes
 * `env[].value`), `build-arg`, `label`, `command`, `entrypoint`, `args`, `healthcheck` (Compose
 * `healthcheck.test`), `probe` / `hook` (a Kubernetes probe's or lifecycle hook's exec command),
 * `header` (an HTTP probe's or hook's header value), `annotation`, `data` / `stringData` (a
 * Secret's or ConfigMap's entries), `other` (any other scalar of the file).
 */
export type StringSite =
  | 'environment' | 'build-arg' | 'label' | 'command' | 'entrypoint' | 'args' | 'healthcheck'
  | 'probe' | 'hook' | 'header' | 'annotation' | 'data' | 'stringData' | 'other';

/** A Kubernetes pod spec, for pod-wide findings (one per pod, not per container). */
export interface PodRef {
  /** The object holding the pod spec (a Deployment, a CronJob, a Pod...). */
  object: ObjectRef;
  /** Where a pod-wide "missing" finding goes: the name of the pod's first container (an init container when it has no other). */
  anchor: Span;
  /** The whole object holding the pod spec (pod-wide settings are written inside it). */
  extent?: Span;
  /** A Kustomize patch, or a container without `image:` (a partial object): no "missing" findings. */
  partial: boolean;
}

/** The Kubernetes object a string belongs to (its kind, `metadata.name` and `metadata.namespace` as written). */
export interface ObjectRef {
  kind: string;
  name: string | null;
  namespace: string | null;
}

/**
 * A string scalar, with where it sits (for the secret rules): every one a container owns
 * (ContainerSpec.strings), and every other one of the file (the models' `documents`).
 * Numbers and booleans count (as YAML reads them); null values do not, except as `bare` names.
 */
export interface StringFact {
  site: StringSite;
  /**
   * Key path: from the container's own map for its strings (['environment', 'DB_PASSWORD'],
   * ['command', '2']), from the document root for the file's ('x-deploy', 'key').
   */
  path: string[];
  /** The value as YAML reads it (a list item `NAME=value`: the part after `=`). */
  value: string;
  /** The content as written (quotes and block header left out, escapes not resolved). */
  raw: string;
  /** File offset of raw[0]. */
  start: number;
  quote: 'plain' | 'single' | 'double' | 'block';
  /** `own` where written on the container or object; `merged` through an alias or a `<<` merge key. */
  origin: Origin;
  /** The name the value is given: a variable, build arg, label, header, annotation or data key. */
  name?: string;
  /** Where the name is written (the key, or the part of a list item before `=`). */
  nameSpan?: Span;
  /** A name without a value (`- NAME` in a list, `NAME:` in a map): value and raw are ''. */
  bare?: boolean;
  /** Position among the string items of an exec-form list (command, entrypoint, args, healthcheck test, exec probe or hook); unset for a single string. */
  item?: number;
  /** The probe or hook a `probe`/`hook`/`header` string belongs to (`livenessProbe`, `postStart`). */
  within?: string;
  /** The scalar sits inside a flow collection (`{…}` / `[…]`), where `{`, `}` and `,` end a plain scalar. */
  readonly inFlow: boolean;
  /** The container's environment entry this value belongs to (site `environment`). */
  env?: EnvFact;
  /** Kubernetes: the object the string belongs to. */
  object?: ObjectRef;
  /**
   * The text YAML reads for [from, to) (file offsets inside the raw content), or null where
   * escapes, line folding or a block scalar make the mapping uncertain.
   */
  read(from: number, to: number): string | null;
  /**
   * Replaces [from, to) (file offsets inside the raw content) by `text` as the value should read,
   * keeping the scalar's quoting (escaping `text` for it; a whole plain scalar in a flow collection
   * is double-quoted). Null where that cannot be written exactly (block scalars, escapes in the range).
   */
  replace(from: number, to: number, text: string): Plan | null;
}

/** Facts of a container that has none of these settings (a Dockerfile stage): platform defaults. */
export function defaultFacts(): Pick<ContainerSpec, 'security' | 'namespaces' | 'mounts' | 'resources' | 'serviceAccount' | 'strings'> {
  return {
    security: {
      privileged: absentFact(false),
      noNewPrivileges: absentFact(false),
      capAdd: absentList(),
      capDrop: absentList(),
      readOnlyRootFilesystem: absentFact(false),
      securityOpt: absentList(),
      seccomp: absentFact(null),
      apparmor: absentFact(null),
      selinux: absentFact(null),
      systemPaths: absentFact(null),
      hostUsers: absentFact(null),
      useApiSocket: absentFact(false),
    },
    namespaces: { network: absentFact(null), pid: absentFact(null), ipc: absentFact(null), userns: absentFact(null), uts: absentFact(null) },
    mounts: [],
    resources: {
      memoryLimit: absentFact(null),
      cpuLimit: absentFact(null),
      pidsLimit: absentFact(null),
      memoryReservation: absentFact(null),
      cpuReservation: absentFact(null),
    },
    serviceAccount: { name: absentFact(null), automountToken: absentFact(null) },
    strings: [],
  };
}

export interface PortFact {
  /** The container-side port; null when not a literal number (e.g. `${PORT}`). */
  port: number | null;
  /** End of a range (`8000-8010`), else equal to port. */
  portEnd: number | null;
  protocol: string;
  /** The span of the container port as written. */
  span: Span;
  /** Where it comes from: 'expose' (Dockerfile/Compose expose), 'ports' (Compose), 'containerPort'. */
  source: 'expose' | 'ports' | 'containerPort';
  /** Kubernetes `hostPort` (null when not a literal number); absent elsewhere. */
  hostPort?: number | null;
  hostPortSpan?: Span | null;
  /** Removes the `hostPort` key; null when it is not written or is shared through an anchor. */
  removeHostPort?(): Plan | null;
}

export interface EnvFact {
  name: string;
  /** The literal value, or null for a reference (valueFrom, a list item without '='). */
  value: string | null;
  nameSpan: Span;
  valueSpan: Span | null;
  /** The value comes through an anchor or merge that others share: no in-place fix. */
  shared: boolean;
}

export interface ImageRef {
  /** As it resolves (ARG defaults expanded). */
  ref: string;
  /** As written. */
  raw: string;
  span: Span;
}

export type UserState = 'root' | 'nonroot' | 'unset' | 'unknown';

export type UserDetail =
  /** a USER / user: / runAsUser written on this container */
  | 'explicit'
  /** inherited from an earlier build stage or the pod's securityContext */
  | 'inherited'
  /** a global ARG used by USER but not redeclared in the stage: expands to empty */
  | 'global-arg-not-redeclared'
  /** FROM scratch with no USER */
  | 'scratch'
  /** nothing sets a user; the base image's own is unknown offline */
  | 'image-default'
  /** the base image is on the known non-root list, or the image table says it runs as non-root */
  | 'known-nonroot-image'
  /** nothing sets a user; the image starts as root and switches user by itself (`stepDown` says how) */
  | 'steps-down'
  /** Kubernetes: runAsNonRoot true without runAsUser, and the image table says the kubelet will refuse the image's user */
  | 'guard-refused'
  /** Kubernetes: runAsNonRoot true without runAsUser (a guard, not a user) */
  | 'guarded';

export interface UserFact {
  state: UserState;
  detail: UserDetail;
  /** The effective value as written, e.g. "root", "0:0", "${APP_UID}". */
  value?: string;
  /** Where the effective value is written, when it is written. */
  span?: Span;
  /** The line (0-based) of an inherited setting, for messages. */
  fromLine?: number;
  /** The stage or object the value is inherited from. */
  fromName?: string;
  /** For global-arg-not-redeclared: the ARG's name. */
  argName?: string;
  /** What the image table knows about the image, when it knows it. */
  known?: { family: string; runsAs: string | null; uid: number | null; startsAs: 'root' | 'nonroot' };
  /** The container starts as root and switches user by itself: the image does (image table) or its entrypoint runs a tool. */
  stepDown?: { by: 'image'; image: string; family: string; runsAs: string | null } | { by: 'tool'; tool: string; line: number; script?: string };
  /**
   * Whether a USER / `user:` fix is known not to break the image (Dockerfile model, and Compose
   * services built from a Dockerfile it could read), with the reason when it is not.
   */
  fix?: { safe: boolean; caveat?: string };
}

/** Edits a platform offers for the facts above. Rules pick and title them. */
export interface ContainerSetters {
  /** Make the container run as the given "uid:gid"; null when no safe edit exists. `caveat` replaces the platform's default one (Kubernetes titles). */
  runAsUser(uidGid: string, caveat?: string): SetterResult | null;
  /** Extra repairs specific to a fact (e.g. redeclare a global ARG). */
  repairUser?(): Fix | null;
  /**
   * Moves a literal environment value into the platform's secret store: Kubernetes
   * `valueFrom.secretKeyRef`, a Compose secret. Null when no safe edit exists (an anchor
   * others share, a shape the edit layer cannot write).
   */
  envToSecret?(env: EnvFact, target: SecretTarget): Fix['edits'] | null;
  /**
   * Makes a path inside the container writable without a writable root filesystem: a bounded
   * tmpfs (Compose `tmpfs:` entry; stack files a `type: tmpfs` volume with an integer
   * `tmpfs.size`) or an `emptyDir` volume with `sizeLimit` and its volumeMount (Kubernetes).
   * `sizeMiB` bounds it. Null when the file format cannot hold it (Compose v1, stack < 3.6).
   */
  addWritablePath?(target: string, sizeMiB: number): Plan | null;
  /**
   * addWritablePath for several paths in one edit (a list or `volumes:` created once).
   * Kubernetes: `medium: 'Memory'` writes `emptyDir: {medium: Memory, sizeLimit}` (the opt-in
   * setting `kubernetes.emptyDirMedium`; Compose ignores it), and a path at /tmp mounts the
   * emptyDir another container of the pod already mounts at /tmp instead of adding one.
   */
  addWritablePaths?(paths: WritablePath[]): Plan | null;
  /**
   * Compose stack files: turns the service-level `tmpfs:` entries (dropped by docker stack
   * deploy) into `type: tmpfs` volumes with an integer `tmpfs.size` in bytes (`defaultMiB` for
   * an entry without `size=`), plus a tmpfs volume at each `extra` path. Null outside stack files,
   * below version 3.6, or when it cannot be written.
   */
  tmpfsToVolumes?(defaultMiB: number, extra?: { target: string; sizeMiB: number }[]): Plan | null;
  /**
   * Sets the given limits (Compose: `deploy.resources.limits`, or the short keys when the
   * service already uses them; Kubernetes: `resources.limits`). Values in the platform's units.
   */
  setLimits?(limits: { memory?: string; cpu?: string; pids?: number }): Plan | null;
  /**
   * Drops ALL capabilities and adds back `addBack` (names without `CAP_`), keeping `add`, in one
   * edit (Compose `cap_drop`/`cap_add`; Kubernetes `securityContext.capabilities`, a misspelt
   * `all` rewritten to `ALL`). Null where it cannot be written (shared anchors, Windows pods,
   * ephemeral containers).
   */
  dropCapabilities?(addBack: string[]): Plan | null;
}

/** Where a secret fix moves one environment value. */
export interface SecretTarget {
  /** Compose: the secret's id; Kubernetes: the Secret's name. */
  name: string;
  /** Compose: the file backing the secret, relative to the Compose file; Kubernetes: the key in the Secret. */
  key: string;
  /** Compose: the variable that takes the secret's path (`POSTGRES_PASSWORD_FILE`), or null to drop the variable. */
  fileVariable?: string | null;
}

export interface SetterResult {
  /** The edits; a setter may make them when first read (Kubernetes), null when they turn out impossible. */
  readonly edits: Fix['edits'] | null;
  files?: Fix['files'];
  /** True when the edit is safe to apply blindly (fix-all, --fix). */
  safe: boolean;
  /** A short caveat for the title, if any. */
  caveat?: string;
  /** What the edit does, when it differs from the rule's usual title. */
  title?: string;
}
