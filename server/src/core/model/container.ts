import type { Fix, Platform } from '../types';
import type { Span } from '../text';

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
  image: ImageRef | null;
  user: UserFact;
  /** Linux-only rules and fixes skip Windows containers. */
  windows: boolean;
  /** A patch or partial object: "missing X" findings do not apply, explicit values do. */
  partial: boolean;
  /** Compose: the service builds its image (`build:`), so `image:` names the result. */
  builds: boolean;
  /** Ports the container listens on (EXPOSE, Compose container side and expose, containerPort). */
  ports: PortFact[];
  /** Environment variables written in the file (ENV is read from the Dockerfile model instead). */
  env: EnvFact[];
  setters: ContainerSetters;
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
  /** the base image is on the known non-root list */
  | 'known-nonroot-image'
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
}

/** Edits a platform offers for the facts above. Rules pick and title them. */
export interface ContainerSetters {
  /** Make the container run as the given "uid:gid"; null when no safe edit exists. */
  runAsUser(uidGid: string): SetterResult | null;
  /** Extra repairs specific to a fact (e.g. redeclare a global ARG). */
  repairUser?(): Fix | null;
  /**
   * Moves a literal environment value into the platform's secret store: Kubernetes
   * `valueFrom.secretKeyRef`, a Compose secret. Null when no safe edit exists (an anchor
   * others share, a shape the edit layer cannot write).
   */
  envToSecret?(env: EnvFact, target: SecretTarget): Fix['edits'] | null;
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
  edits: Fix['edits'];
  files?: Fix['files'];
  /** True when the edit is safe to apply blindly (fix-all, --fix). */
  safe: boolean;
  /** A short caveat for the title, if any. */
  caveat?: string;
  /** What the edit does, when it differs from the rule's usual title. */
  title?: string;
}
