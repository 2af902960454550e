/**
 * The short text the editor's hover shows for each finding id: why it matters (the threat,
 * in two or three sentences) and what its fix does. The long form is the rule's page in
 * docs/rules/, which says the same at length (a test checks every id has both).
 */
export interface RuleSummary {
  why: string;
  fix: string;
}

export const SUMMARIES: Record<string, RuleSummary> = {
  'no-root-user': {
    why: 'Unless user namespaces are in use, uid 0 in the container is uid 0 on the host: writable host mounts become host files and many container-escape bugs only work from root.',
    fix: 'Sets a non-root user (the defaultUser setting, 10001:10001 by default): USER in the final stage, user: on the service, runAsNonRoot and runAsUser on the pod.',
  },
  'no-privileged': {
    why: 'A privileged container gets every capability, every host device and no seccomp, AppArmor or SELinux confinement: root in it is root on the host.',
    fix: 'Removes privileged: true. Offered, never applied by fix-all: add back only the capability or device the container needs.',
  },
  'no-privilege-escalation': {
    why: 'Without no-new-privileges, a setuid binary in the image lets a compromised process gain privileges it was started without.',
    fix: 'Adds no-new-privileges=true to security_opt (Compose) or allowPrivilegeEscalation: false (Kubernetes). Safe: fix-all applies it.',
  },
  'drop-capabilities': {
    why: "Docker's default capabilities (CHOWN, DAC_OVERRIDE, NET_RAW, SETUID, ...) are more than most programs use, and each is a tool for an attacker who gets code execution.",
    fix: 'Drops ALL and adds back what the image needs at start; applied by fix-all only when the image table knows the image.',
  },
  'no-dangerous-capabilities': {
    why: 'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE give a container powers over the host kernel, its network or other processes; several are a known path out of the container.',
    fix: 'Removes the capability from the list. Offered, never applied by fix-all: check what needs it first.',
  },
  'no-host-namespaces': {
    why: "Sharing the host's network, PID, IPC, user or UTS namespace lets the container see and reach the host's processes, sockets and services as if it ran on the host.",
    fix: 'Removes the key. Offered, never applied by fix-all: publish ports instead of using the host network.',
  },
  'no-docker-socket': {
    why: 'Whoever reaches the container runtime socket can start a privileged container that mounts the host: access to it is root on the host.',
    fix: 'No automatic fix: the right change depends on what the container needs the socket for (a socket proxy, a read-only API, rootless).',
  },
  'no-sensitive-host-mounts': {
    why: 'A mount of a host path such as /, /etc, /root or /var/lib/kubelet lets the container read secrets from the host or change its configuration.',
    fix: 'Mounts it read-only. Offered, never applied by fix-all: the container may need to write there.',
  },
  'read-only-root-filesystem': {
    why: "A writable root filesystem lets an attacker drop tools, change the application's own files and persist inside the container.",
    fix: 'Makes the root filesystem read-only and mounts a bounded tmpfs (Compose) or emptyDir (Kubernetes) where the image writes; applied by fix-all only when the image table knows the image.',
  },
  'tmpfs-for-writable-paths': {
    why: 'A read-only container without a writable /tmp or the paths its image writes fails at start or at its first temporary file.',
    fix: 'Adds a bounded tmpfs (Compose) or emptyDir (Kubernetes) at each missing path; applied by fix-all only when the image table knows the image.',
  },
  'resource-limits': {
    why: 'Without a memory limit, one leaking or attacked container can exhaust the host and take its neighbours down with it.',
    fix: 'Inserts the limits of the defaultLimits setting (512m memory by default). Offered, never applied by fix-all: size them for your service.',
  },
  'pin-image-version': {
    why: 'An untagged or :latest image changes under you: a rebuild or a node restart can pull different code than the one you tested.',
    fix: 'No automatic fix: which version to run is your decision. Write the tag you test with.',
  },
  'pin-image-digest': {
    why: 'A tag can be moved to another image by whoever controls the repository; only a digest names exactly one image.',
    fix: 'No automatic fix: the digest comes from the registry. Look it up and write it next to the tag.',
  },
  'trusted-registry': {
    why: 'An image from outside your registries bypasses the scanning, signing and mirroring your team set up for images.',
    fix: 'No automatic fix: point the reference at your registry, or add the registry to trustedRegistries.',
  },
  'no-hardcoded-secrets': {
    why: 'A secret written into a Dockerfile, Compose file or manifest is readable by everyone with the repository, the image or the cluster API, and stays in the history after it is removed.',
    fix: 'Moves the value out (a build secret, an .env file, a Kubernetes Secret) without losing it. Never applied by fix-all: rotate the secret, it stays in your history.',
  },
  'no-secrets-in-build-args': {
    why: "Build arguments are recorded in the image's history: anyone who can pull the image can read a secret passed as one.",
    fix: 'Turns the ARG into a BuildKit secret mount on each RUN that reads it. Offered, never applied by fix-all.',
  },
  'no-secret-files-in-image': {
    why: 'A key, token or .env file copied into an image is in one of its layers for good, readable by anyone who can pull it, even if a later step deletes it.',
    fix: 'No automatic fix: use a BuildKit secret mount for build-time secrets, or mount the file at run time.',
  },
  'prefer-copy-over-add': {
    why: 'ADD also fetches URLs and unpacks archives; COPY does only what it says, so a changed source cannot make the build do more than you meant.',
    fix: 'Replaces ADD with COPY, keeping the flags and sources. Safe: fix-all applies it.',
  },
  'verify-downloads': {
    why: 'A download used without checking its checksum runs whatever the server (or anyone between) sends at build time.',
    fix: 'No automatic fix: the checksum has to come from the publisher. Download, check it with sha256sum -c, then run it.',
  },
  'no-sudo': {
    why: 'sudo in a build step hides which user the step runs as, and an image that ships sudo gives any process in it an easy way back to root.',
    fix: 'Removes sudo, wrapping the step in USER root and a USER back to the previous user when the step ran as non-root.',
  },
  'no-privileged-ports': {
    why: 'Port 22 means an SSH server in the container: another way in, with its own keys to manage. Ports below 1024 need root or NET_BIND_SERVICE to bind.',
    fix: 'No automatic fix: remove the SSH server, or configure the program to listen on a port above 1023.',
  },
  'no-host-ports': {
    why: "A hostPort binds the port on the node's own address: it bypasses network policies and ties the pod to nodes where the port is free.",
    fix: 'Removes hostPort, keeping containerPort. Offered, never applied by fix-all: expose the port with a Service.',
  },
  'no-unconfined-profiles': {
    why: 'seccomp, AppArmor, SELinux and /proc masking each block kernel interfaces that container escapes use; turning one off removes that layer.',
    fix: 'Removes the unconfined option (Kubernetes: sets RuntimeDefault). Offered, never applied by fix-all.',
  },
  'no-service-account-token': {
    why: 'Every pod gets an API token of its service account by default; a compromised pod can use it to query or change the cluster.',
    fix: 'Sets automountServiceAccountToken: false on the pod. Offered, never applied by fix-all: pods that call the API need the token.',
  },
  'encrypted-overlay-network': {
    why: 'Traffic between Swarm nodes on an overlay network is unencrypted by default: anyone on the network between the nodes can read it.',
    fix: 'Adds driver_opts: {encrypted: "true"}. Offered, never applied by fix-all: encryption costs throughput.',
  },
  'invalid-dockerfile': {
    why: 'Bulkhead cannot read this part of the Dockerfile, so the rules do not see it and may miss what it does.',
    fix: 'Correct the syntax named in the message; the rules then check the whole file.',
  },
  'invalid-yaml': {
    why: 'The YAML cannot be parsed, so the documents in it are not checked (and the tools that deploy it will refuse it too).',
    fix: 'Correct the syntax named in the message; the rules then check the file.',
  },
  'invalid-config': {
    why: 'A .bulkhead.yaml with an error is not used at all: the CLI stops with exit code 2 and the editor checks with its own settings until it is fixed. Unknown keys and rule ids are ignored with a warning.',
    fix: 'Correct the key or value named in the message.',
  },
  'file-too-large': {
    why: 'The file is over 2 MiB, or took too long to check, so it was not analysed (or only in part).',
    fix: 'Split the file, or leave it out with the ignore setting.',
  },
  'legacy-compose-format': {
    why: 'Current docker compose and docker stack deploy refuse a v1 Compose file (services at the top level, no services: key): the file does not run as it is.',
    fix: 'Move the services under a top-level services: key; the rules already check them as services.',
  },
  'unused-suppression': {
    why: 'A bulkhead-ignore comment that silences nothing is noise, and would hide a future finding on that line without anyone deciding so.',
    fix: 'Removes the comment.',
  },
  'internal-error': {
    why: 'A rule failed on this file (a Bulkhead bug), so its findings for this file are missing.',
    fix: 'Please report it with a file that shows it; the other rules still ran.',
  },
};
