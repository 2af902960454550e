import { testRule } from '../../helpers/testRule';

/** no-sensitive-host-mounts: sensitive bind mounts (Compose) and hostPaths (Kubernetes); `:ro` / read_only / readOnly fixes. */

const W = "a compromise of the container can change the host";
const R = "the container can still read the host's files there";
/** The milder finding a read-only mount keeps. */
const ro = (m: string) =>
  m
    .replace(`writable: ${W}`, `read-only: ${R}`)
    .replace("writable: it can change the node's files and ties the pod to that node; prefer a PersistentVolumeClaim or an emptyDir", "read-only: it sees the node's files and is tied to that node");
const TITLE = (s: string) => `Mount it read-only (${s}; the container can no longer write there)`;
const svc = (vols: string) => `services:\n  web:\n    image: nginx:1.27\n    volumes:\n${vols}`;
const dep = (mount: string, volume: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: example/app:1.0\n          volumeMounts:\n${mount}      volumes:\n${volume}`;

testRule('no-sensitive-host-mounts', {
  accept: [
    { name: 'relative bind and named volume', path: 'compose.yaml', code: svc('      - ./html:/usr/share/nginx/html\n      - data:/var/lib/data\n') },
    { name: 'read-only /etc/localtime and /etc/timezone', path: 'compose.yaml', code: svc('      - /etc/localtime:/etc/localtime:ro\n      - "/etc/timezone:/etc/timezone:ro"\n') },
    { name: 'a project folder under ~ (only ~ and its dot-folders are sensitive)', path: 'compose.yaml', code: svc('      - ~/minecraft_data:/data\n      - $HOME/src/app:/app\n') },
    { name: 'a non-sensitive absolute bind in Compose', path: 'compose.yaml', code: svc('      - /srv/www:/usr/share/nginx/html\n') },
    { name: 'a sensitive path only inside the container', path: 'compose.yaml', code: svc('      - ./conf:/etc/nginx/conf.d\n') },
    { name: 'the docker socket is no-docker-socket\'s', path: 'compose.yaml', code: svc('      - /var/run/docker.sock:/var/run/docker.sock\n      - /run:/host/run\n') },
    { name: 'Kubernetes: read-only /etc/localtime hostPath', path: 'deploy.yaml', code: dep('            - {name: tz, mountPath: /etc/localtime, readOnly: true}\n', '        - name: tz\n          hostPath: {path: /etc/localtime, type: File}\n') },
    { name: 'Kubernetes: emptyDir', path: 'deploy.yaml', code: dep('            - {name: tmp, mountPath: /tmp}\n', '        - name: tmp\n          emptyDir: {}\n') },
  ],
  reject: [
    {
      name: 'writable /etc subfolder, short syntax',
      path: 'compose.yaml',
      code: svc('      - /etc/nginx:/etc/nginx\n'),
      message: `Service 'web' mounts the host's /etc/nginx (under /etc) writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /etc/nginx (under /etc) writable: ${W}`)],
      range: { start: [4, 8], end: [4, 18] },
      severity: 'warning',
      fixes: [TITLE(':ro')],
      fixed: svc('      - /etc/nginx:/etc/nginx:ro\n'),
    },
    {
      name: 'the host root, quoted, with rw mode',
      path: 'compose.yaml',
      code: svc('      - "/:/host:rw"\n'),
      message: `Service 'web' mounts the host's root filesystem (/) writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's root filesystem (/) writable: ${W}`)],
      range: { start: [4, 9], end: [4, 10] },
      fixed: svc('      - "/:/host:ro"\n'),
    },
    {
      name: 'single-quoted with another option',
      path: 'compose.yaml',
      code: svc("      - '/var/log:/logs:z'\n"),
      message: `Service 'web' mounts the host's /var/log writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /var/log writable: ${W}`)],
      range: { start: [4, 9], end: [4, 17] },
      fixed: svc("      - '/var/log:/logs:z,ro'\n"),
    },
    {
      name: 'un-normalised path',
      path: 'compose.yaml',
      code: svc('      - //proc/./:/host/proc\n'),
      message: `Service 'web' mounts the host's //proc/./ (under /proc) writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's //proc/./ (under /proc) writable: ${W}`)],
      range: { start: [4, 8], end: [4, 17] },
      fixed: svc('      - //proc/./:/host/proc:ro\n'),
    },
    {
      name: 'long syntax',
      path: 'compose.yaml',
      code: svc('      - type: bind\n        source: /var/lib/docker\n        target: /docker\n'),
      message: `Service 'web' mounts the host's /var/lib/docker writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /var/lib/docker writable: ${W}`)],
      range: { start: [5, 16], end: [5, 31] },
      fixes: [TITLE('read_only: true')],
      fixed: svc('      - type: bind\n        source: /var/lib/docker\n        target: /docker\n        read_only: true\n'),
    },
    {
      name: 'read-only sensitive: info, no fix',
      path: 'compose.yaml',
      code: svc('      - /proc:/host/proc:ro\n'),
      message: `Service 'web' mounts the host's /proc read-only: ${R}`,
      range: { start: [4, 8], end: [4, 13] },
      severity: 'info',
      fixes: [],
    },
    {
      name: 'a parent of sensitive paths (/var) and a home folder',
      path: 'compose.yaml',
      code: svc('      - /var:/host/var\n      - ~/.ssh:/root/.ssh\n'),
      findings: [
        { message: `Service 'web' mounts the host's /var writable: ${W}`, range: { start: [4, 8], end: [4, 12] } },
        { message: `Service 'web' mounts the host's ~/.ssh (under /home) writable: ${W}`, range: { start: [5, 8], end: [5, 14] } },
      ],
    },
    {
      name: 'writable /etc/localtime is still a finding',
      path: 'compose.yaml',
      code: svc('      - /etc/localtime:/etc/localtime\n'),
      message: `Service 'web' mounts the host's /etc/localtime (under /etc) writable: ${W}`,
      remaining: [],  // read-only /etc/localtime is not a finding
      range: { start: [4, 8], end: [4, 22] },
      fixed: svc('      - /etc/localtime:/etc/localtime:ro\n'),
    },
    {
      name: 'v2',
      path: 'docker-compose.yml',
      code: "version: '2.4'\n" + svc('      - /dev:/dev\n'),
      message: `Service 'web' mounts the host's /dev writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /dev writable: ${W}`)],
      range: { start: [5, 8], end: [5, 12] },
      fixed: "version: '2.4'\n" + svc('      - /dev:/dev:ro\n'),
    },
    {
      name: 'legacy v1',
      path: 'docker-compose.yml',
      code: 'web:\n  image: nginx:1.27\n  volumes:\n    - /sys:/sys\n',
      message: `Service 'web' mounts the host's /sys writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /sys writable: ${W}`)],
      range: { start: [3, 6], end: [3, 10] },
      fixed: 'web:\n  image: nginx:1.27\n  volumes:\n    - /sys:/sys:ro\n',
    },
    {
      name: 'stack file, flow style',
      path: 'app-stack.yml',
      code: "version: '3.8'\nservices:\n  web: {image: nginx:1.27, volumes: [/etc/ssl:/etc/ssl]}\n",
      message: `Service 'web' mounts the host's /etc/ssl (under /etc) writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /etc/ssl (under /etc) writable: ${W}`)],
      range: { start: [2, 37], end: [2, 45] },
      fixed: "version: '3.8'\nservices:\n  web: {image: nginx:1.27, volumes: [/etc/ssl:/etc/ssl:ro]}\n",
    },
    {
      name: 'an anchor shared by two services: one finding, no fix',
      path: 'compose.yaml',
      code: 'x-v: &v\n  volumes:\n    - /root:/root\nservices:\n  a:\n    <<: *v\n    image: alpine:3.20\n  b:\n    <<: *v\n    image: alpine:3.20\n',
      message: `Services 'a', 'b' mount the host's /root writable: ${W}`,
      range: { start: [2, 6], end: [2, 11] },
      fixes: [],
    },
    {
      name: 'CRLF',
      path: 'compose.yaml',
      code: svc('      - /boot:/boot\n').replace(/\n/g, '\r\n'),
      message: `Service 'web' mounts the host's /boot writable: ${W}`,
      remaining: [ro(`Service 'web' mounts the host's /boot writable: ${W}`)],
      range: { start: [4, 8], end: [4, 13] },
      fixed: svc('      - /boot:/boot:ro\n').replace(/\n/g, '\r\n'),
    },
    {
      name: 'Kubernetes: sensitive hostPath is an error; readOnly: true on the volumeMount',
      path: 'deploy.yaml',
      code: dep('            - name: etc\n              mountPath: /host/etc\n', '        - name: etc\n          hostPath:\n            path: /etc\n'),
      message: `Container 'app' mounts the host's /etc writable: ${W}`,
      remaining: [ro(`Container 'app' mounts the host's /etc writable: ${W}`)],
      range: { start: [16, 18], end: [16, 22] },
      severity: 'error',
      fixes: [TITLE('readOnly: true')],
      fixed: dep('            - name: etc\n              mountPath: /host/etc\n              readOnly: true\n', '        - name: etc\n          hostPath:\n            path: /etc\n'),
    },
    {
      name: 'Kubernetes: any other hostPath is a warning',
      path: 'deploy.yaml',
      code: dep('            - {name: data, mountPath: /data}\n', '        - name: data\n          hostPath: {path: /srv/data, type: DirectoryOrCreate}\n'),
      message: "Container 'app' mounts the node's /srv/data (hostPath) writable: it can change the node's files and ties the pod to that node; prefer a PersistentVolumeClaim or an emptyDir",
      remaining: [ro("Container 'app' mounts the node's /srv/data (hostPath) writable: it can change the node's files and ties the pod to that node; prefer a PersistentVolumeClaim or an emptyDir")],
      range: { start: [14, 27], end: [14, 36] },
      severity: 'warning',
      fixed: dep('            - {name: data, mountPath: /data, readOnly: true}\n', '        - name: data\n          hostPath: {path: /srv/data, type: DirectoryOrCreate}\n'),
    },
    {
      name: 'Kubernetes: a read-only other hostPath is info',
      path: 'deploy.yaml',
      code: dep('            - {name: data, mountPath: /data, readOnly: true}\n', '        - name: data\n          hostPath: {path: /srv/data}\n'),
      message: "Container 'app' mounts the node's /srv/data (hostPath) read-only: it sees the node's files and is tied to that node",
      range: { start: [14, 27], end: [14, 36] },
      severity: 'info',
      fixes: [],
    },
    {
      name: 'Kubernetes: one hostPath mounted by an init container and a container, both fixed',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: example/init:1.0\n      volumeMounts: [{name: logs, mountPath: /logs}]\n  containers:\n    - name: app\n      image: example/app:1.0\n      volumeMounts: [{name: logs, mountPath: /logs}]\n  volumes:\n    - name: logs\n      hostPath: {path: /var/log/pods}\n',
      message: `Containers 'init', 'app' mount the host's /var/log/pods (under /var/log) writable: ${W}`,
      remaining: [ro(`Containers 'init', 'app' mount the host's /var/log/pods (under /var/log) writable: ${W}`)],
      range: { start: [15, 23], end: [15, 36] },
      severity: 'error',
      fixed: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: init\n      image: example/init:1.0\n      volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]\n  containers:\n    - name: app\n      image: example/app:1.0\n      volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]\n  volumes:\n    - name: logs\n      hostPath: {path: /var/log/pods}\n',
    },
  ],
});
