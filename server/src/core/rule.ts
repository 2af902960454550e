import type { Config } from './config';
import type { WorkspaceView } from './engine';
import type { ContainerSpec } from './model/container';
import type { DockerfileModel } from './model/fromDockerfile';
import type { ComposeModel } from './model/fromCompose';
import type { KubernetesModel } from './model/fromKubernetes';
import type { YamlDoc } from './parse/yaml';
import type { TextIndex } from './text';
import type { FileKind, Platform, Report, Severity } from './types';

/** Ids other tools use for the same concept, so their suppression comments keep working. */
export interface PeerIds {
  hadolint?: string[];
  trivy?: string[];
  checkov?: string[];
  kics?: string[];
  kubeLinter?: string[];
  other?: string[];
}

export interface RuleMeta {
  id: string;
  /** One line: what is wrong. */
  title: string;
  severity: Severity;
  platforms: Platform[];
  /** Only in the `strict` preset. */
  strict?: boolean;
  fixable: boolean;
  /** Skipped for Windows containers. */
  linuxOnly?: boolean;
  /** The Pod Security Standards level the rule enforces (shown by --list-rules). */
  pss?: 'baseline' | 'restricted';
  peers: PeerIds;
}

/** Everything a rule may read about one analysed file. */
export interface AnalysedFile {
  kind: FileKind;
  path?: string;
  text: string;
  index: TextIndex;
  containers: ContainerSpec[];
  dockerfile?: DockerfileModel;
  /** YAML documents that parsed cleanly. */
  yaml?: YamlDoc[];
  compose?: ComposeModel;
  kubernetes?: KubernetesModel;
  /** Read access to files beside this one (e.g. is `.env` git-ignored?), when the caller has a workspace. */
  workspace?: WorkspaceView;
}

export interface RuleContext {
  file: AnalysedFile;
  config: Config;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Findings that are not rules (CONTRACT.md). */
export const BUILTIN_IDS: Record<string, Severity> = {
  'invalid-dockerfile': 'error',
  'invalid-yaml': 'error',
  'invalid-config': 'error',
  'file-too-large': 'info',
  /** A legacy v1 Compose file: analysed, but current Compose refuses the format (RULES.md, Compose). */
  'legacy-compose-format': 'info',
  'unused-suppression': 'info',
  'internal-error': 'error',
};

/** Every rule id of the catalog, built or not, so suppressions naming a future rule are not "unknown". */
export const CATALOG_IDS = [
  'no-root-user', 'no-privileged', 'no-privilege-escalation', 'drop-capabilities',
  'no-dangerous-capabilities', 'no-host-namespaces', 'no-docker-socket', 'no-sensitive-host-mounts',
  'read-only-root-filesystem', 'tmpfs-for-writable-paths', 'resource-limits', 'pin-image-version',
  'pin-image-digest', 'trusted-registry', 'no-hardcoded-secrets', 'no-secrets-in-build-args',
  'no-secret-files-in-image', 'prefer-copy-over-add', 'verify-downloads', 'no-sudo',
  'no-privileged-ports', 'no-host-ports', 'no-unconfined-profiles', 'no-service-account-token',
  'encrypted-overlay-network',
];
