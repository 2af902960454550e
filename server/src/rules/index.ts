import { createEngine } from '../core/engine';
import type { Rule } from '../core/rule';
import { rule as noRootUser } from './no-root-user';
import { rule as pinImageVersion } from './pin-image-version';
import { rule as pinImageDigest } from './pin-image-digest';
import { rule as trustedRegistry } from './trusted-registry';
import { rule as noSecretFilesInImage } from './no-secret-files-in-image';
import { rule as preferCopyOverAdd } from './prefer-copy-over-add';
import { rule as verifyDownloads } from './verify-downloads';
import { rule as noSudo } from './no-sudo';
import { rule as noPrivilegedPorts } from './no-privileged-ports';
import { rule as noHardcodedSecrets } from './no-hardcoded-secrets';
import { rule as noSecretsInBuildArgs } from './no-secrets-in-build-args';
import { rule as noPrivileged } from './no-privileged';
import { rule as noPrivilegeEscalation } from './no-privilege-escalation';
import { rule as dropCapabilities } from './drop-capabilities';
import { rule as noDangerousCapabilities } from './no-dangerous-capabilities';
import { rule as noHostNamespaces } from './no-host-namespaces';
import { rule as noUnconfinedProfiles } from './no-unconfined-profiles';
import { rule as noHostPorts } from './no-host-ports';
import { rule as noServiceAccountToken } from './no-service-account-token';
import { rule as readOnlyRootFilesystem } from './read-only-root-filesystem';
import { rule as tmpfsForWritablePaths } from './tmpfs-for-writable-paths';
import { rule as noDockerSocket } from './no-docker-socket';
import { rule as noSensitiveHostMounts } from './no-sensitive-host-mounts';
import { rule as encryptedOverlayNetwork } from './encrypted-overlay-network';
import { rule as resourceLimits } from './resource-limits';

/** The rule registry: a new rule is one folder and one line here. */
export const rules: readonly Rule[] = [
  noRootUser,
  pinImageVersion,
  pinImageDigest,
  trustedRegistry,
  noSecretFilesInImage,
  preferCopyOverAdd,
  verifyDownloads,
  noSudo,
  noPrivilegedPorts,
  noHardcodedSecrets,
  noSecretsInBuildArgs,
  noPrivileged,
  noPrivilegeEscalation,
  dropCapabilities,
  noDangerousCapabilities,
  noHostNamespaces,
  noUnconfinedProfiles,
  noHostPorts,
  noServiceAccountToken,
  readOnlyRootFilesystem,
  tmpfsForWritablePaths,
  noDockerSocket,
  noSensitiveHostMounts,
  encryptedOverlayNetwork,
  resourceLimits,
];

export const engine = createEngine(rules);
