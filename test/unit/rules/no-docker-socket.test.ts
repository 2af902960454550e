import { testRule } from '../../helpers/testRule';

/** no-docker-socket: runtime sockets and the folders that hold them, Compose and Kubernetes; no fix. */

const TAIL = 'whoever reaches it can start a privileged container and own the host';
const sock = (who: string, path: string, runtime = 'Docker') => `${who} the ${runtime} socket (${path}): ${TAIL} (read-only does not help)`;
const folder = (who: string, path: string, runtime = 'Docker') => `${who} ${path}, which holds the ${runtime} socket: ${TAIL}`;
const svc = (vols: string) => `services:\n  agent:\n    image: portainer/agent:2.21.0\n    volumes:\n${vols}`;
const pod = (volumes: string, mounts = '          volumeMounts:\n            - name: sock\n              mountPath: /var/run/docker.sock\n') =>
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: example/agent:1.0\n${mounts}      volumes:\n${volumes}`;

testRule('no-docker-socket', {
  accept: [
    { name: 'named volume and relative bind', path: 'compose.yaml', code: svc('      - data:/data\n      - ./conf:/etc/agent:ro\n') },
    { name: 'a socket path only inside the container', path: 'compose.yaml', code: svc('      - data:/var/run\n') },
    { name: 'a subfolder of /var/run that holds no runtime socket (no-sensitive-host-mounts)', path: 'compose.yaml', code: svc('      - /var/run/mysqld:/var/run/mysqld\n') },
    { name: 'use_api_socket: false', path: 'compose.yaml', code: 'services:\n  a:\n    image: alpine:3.20\n    use_api_socket: false\n' },
    { name: 'other Windows pipe', path: 'compose.yaml', code: svc('      - type: npipe\n        source: \\\\.\\pipe\\other\n        target: \\\\.\\pipe\\other\n') },
    { name: 'emptyDir at the socket path', path: 'ds.yaml', code: pod('        - name: sock\n          emptyDir: {}\n') },
    { name: 'ignore comment', path: 'compose.yaml', code: svc('      # bulkhead-ignore no-docker-socket -- the agent manages the host\n      - /var/run/docker.sock:/var/run/docker.sock\n') },
  ],
  reject: [
    {
      name: 'short syntax, docker.sock',
      path: 'compose.yaml',
      code: svc('      - /var/run/docker.sock:/var/run/docker.sock\n'),
      message: sock("Service 'agent' mounts", '/var/run/docker.sock'),
      range: { start: [4, 8], end: [4, 28] },
      severity: 'error',
      fixes: [],
    },
    {
      name: 'quoted short syntax read-only, un-normalised path',
      path: 'compose.yaml',
      code: svc('      - "//var/run/./docker.sock/:/var/run/docker.sock:ro"\n'),
      message: sock("Service 'agent' mounts", '//var/run/./docker.sock/'),
      range: { start: [4, 9], end: [4, 33] },
    },
    {
      name: 'long syntax /run/docker.sock',
      path: 'compose.yaml',
      code: svc('      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\n        read_only: true\n'),
      message: sock("Service 'agent' mounts", '/run/docker.sock'),
      range: { start: [5, 16], end: [5, 32] },
    },
    {
      name: 'rootless ${XDG_RUNTIME_DIR}',
      path: 'compose.yaml',
      code: svc('      - ${XDG_RUNTIME_DIR}/docker.sock:/var/run/docker.sock\n'),
      message: sock("Service 'agent' mounts", '${XDG_RUNTIME_DIR}/docker.sock'),
      range: { start: [4, 8], end: [4, 38] },
    },
    {
      name: 'rootless $XDG_RUNTIME_DIR folder',
      path: 'compose.yaml',
      code: svc('      - $XDG_RUNTIME_DIR:/run/host\n'),
      message: folder("Service 'agent' mounts", '$XDG_RUNTIME_DIR'),
      range: { start: [4, 8], end: [4, 24] },
    },
    {
      name: 'rootless podman under /run/user/<uid>',
      path: 'compose.yaml',
      code: svc('      - /run/user/1000/podman/podman.sock:/var/run/docker.sock\n'),
      message: sock("Service 'agent' mounts", '/run/user/1000/podman/podman.sock', 'Podman'),
      range: { start: [4, 8], end: [4, 41] },
    },
    {
      name: 'default in a variable',
      path: 'compose.yaml',
      code: svc('      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock\n'),
      message: sock("Service 'agent' mounts", '/var/run/docker.sock'),
      range: { start: [4, 8], end: [4, 44] },
    },
    {
      name: 'the /var/run folder, trailing slash',
      path: 'compose.yaml',
      code: svc('      - /var/run/:/host/var/run\n'),
      message: folder("Service 'agent' mounts", '/var/run/'),
      range: { start: [4, 8], end: [4, 17] },
    },
    {
      name: 'containerd folder',
      path: 'compose.yaml',
      code: svc('      - /run/containerd:/run/containerd\n'),
      message: folder("Service 'agent' mounts", '/run/containerd', 'containerd'),
      range: { start: [4, 8], end: [4, 23] },
    },
    {
      name: 'Windows named pipe, short syntax',
      path: 'compose.yaml',
      code: svc('      - //./pipe/docker_engine://./pipe/docker_engine\n'),
      message: sock("Service 'agent' mounts", '//./pipe/docker_engine'),
      range: { start: [4, 8], end: [4, 30] },
    },
    {
      name: 'Windows named pipe, npipe long syntax',
      path: 'compose.yaml',
      code: svc("      - type: npipe\n        source: '\\\\.\\pipe\\docker_engine'\n        target: '\\\\.\\pipe\\docker_engine'\n"),
      message: sock("Service 'agent' mounts", '\\\\.\\pipe\\docker_engine'),
      range: { start: [5, 16], end: [5, 40] },
    },
    {
      name: 'use_api_socket: true',
      path: 'compose.yaml',
      code: 'services:\n  builder:\n    image: docker:27-cli\n    use_api_socket: true\n',
      message: "Service 'builder' sets use_api_socket: true: it gets the Docker socket, which owns the host, and your registry credentials",
      range: { start: [3, 4], end: [3, 24] },
    },
    {
      name: 'v2 file',
      path: 'docker-compose.yml',
      code: "version: '2.4'\n" + svc('      - /var/run/docker.sock:/tmp/docker.sock\n'),
      message: sock("Service 'agent' mounts", '/var/run/docker.sock'),
      range: { start: [5, 8], end: [5, 28] },
    },
    {
      name: 'legacy v1 file',
      path: 'docker-compose.yml',
      code: 'agent:\n  image: portainer/agent:2.21.0\n  volumes:\n    - /var/run/docker.sock:/var/run/docker.sock\n',
      message: sock("Service 'agent' mounts", '/var/run/docker.sock'),
      range: { start: [3, 6], end: [3, 26] },
    },
    {
      name: 'stack file, flow style',
      path: 'app-stack.yml',
      code: "version: '3.8'\nservices:\n  agent: {image: portainer/agent:2.21.0, volumes: [/var/run/docker.sock:/var/run/docker.sock]}\n",
      message: sock("Service 'agent' mounts", '/var/run/docker.sock'),
      range: { start: [2, 51], end: [2, 71] },
    },
    {
      name: 'an anchor shared by two services: one finding naming both',
      path: 'compose.yaml',
      code: 'x-sock: &sock\n  volumes:\n    - /var/run/docker.sock:/var/run/docker.sock\nservices:\n  a:\n    <<: *sock\n    image: alpine:3.20\n  b:\n    <<: *sock\n    image: alpine:3.20\n',
      message: sock("Services 'a', 'b' mount", '/var/run/docker.sock'),
      range: { start: [2, 6], end: [2, 26] },
    },
    {
      name: 'a local volume bound to /var/run (o: bind)',
      path: 'compose.yaml',
      code: svc('      - run:/host/run\nvolumes:\n  run:\n    driver_opts:\n      type: none\n      o: bind\n      device: /var/run\n'),
      message: folder("Service 'agent' mounts", '/var/run'),
      range: { start: [4, 8], end: [4, 11] },
    },
    {
      name: 'Kubernetes hostPath docker.sock, CRLF',
      path: 'ds.yaml',
      code: pod('        - name: sock\n          hostPath:\n            path: /var/run/docker.sock\n            type: Socket\n').replace(/\n/g, '\r\n'),
      message: sock("Container 'agent' mounts", '/var/run/docker.sock'),
      range: { start: [16, 18], end: [16, 38] },
    },
    {
      name: 'Kubernetes cri-o socket mounted by a container and an init container: one finding',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: example/init:1.0\n      volumeMounts: [{name: crio, mountPath: /crio.sock}]\n  containers:\n    - name: app\n      image: example/app:1.0\n      volumeMounts: [{name: crio, mountPath: /crio.sock}]\n  volumes:\n    - name: crio\n      hostPath: {path: /var/run/crio/crio.sock}\n',
      message: sock("Containers 'init', 'app' mount", '/var/run/crio/crio.sock', 'CRI-O'),
      range: { start: [15, 23], end: [15, 46] },
    },
    {
      name: 'Kubernetes Windows pod, the named pipe',
      path: 'pod.yaml',
      code: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  os: {name: windows}\n  containers:\n    - name: agent\n      image: example/agent:1.0\n      volumeMounts: [{name: pipe, mountPath: '\\\\.\\pipe\\docker_engine'}]\n  volumes:\n    - name: pipe\n      hostPath: {path: '\\\\.\\pipe\\docker_engine', type: null}\n",
      message: sock("Container 'agent' mounts", '\\\\.\\pipe\\docker_engine'),
      range: { start: [12, 23], end: [12, 47] },
    },
    {
      name: 'Kubernetes CronJob, /var/run/containerd folder',
      path: 'cron.yaml',
      code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: gc\n              image: example/gc:1.0\n              volumeMounts: [{name: run, mountPath: /host}]\n          volumes:\n            - name: run\n              hostPath: {path: /var/run/containerd/}\n',
      message: folder("Container 'gc' mounts", '/var/run/containerd/', 'containerd'),
      range: { start: [16, 31], end: [16, 51] },
    },
  ],
});
