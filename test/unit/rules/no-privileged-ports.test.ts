import { testRule } from '../../helpers/testRule';

const ssh = (where: string, ports = 'port 22', range = false) =>
  `${where} exposes ${ports}${range ? ', including 22' : ''} (SSH): containers are entered with docker exec or kubectl exec, not through an SSH server`;
const low = (where: string, ports: string) =>
  `${where} listens on ${ports}, below 1024: binding it needs root or CAP_NET_BIND_SERVICE; listen on a port above 1023 and map it`;
const strict = { preset: 'strict' as const };
const pod = (ports: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${extra}  containers:\n    - name: app\n      image: app:1\n      ports:\n${ports}`;

testRule('no-privileged-ports', {
  accept: [
    { name: 'high ports', code: 'FROM node:20\nEXPOSE 3000 8080/tcp\n' },
    { name: 'port 80 outside the strict preset', code: 'FROM nginx:1.27\nEXPOSE 80 443\n' },
    { name: 'port 22 in a builder stage does not ship', code: 'FROM alpine:3.20 AS build\nEXPOSE 22\nFROM alpine:3.20\nEXPOSE 8080\n' },
    { name: 'unknown variable', code: 'FROM node:20\nEXPOSE $PORT\n' },
    { name: '22/udp is not SSH (and 22 < 1024 only in strict)', code: 'FROM node:20\nEXPOSE 22/udp\n' },
    { name: 'a range above 1023', code: 'FROM node:20\nEXPOSE 8000-8010\n' },
    { name: 'Windows base image, strict', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nEXPOSE 80\n', config: strict },
    { name: '# hadolint-style peer suppression: # trivy:ignore:AVD-DS-0004', code: 'FROM node:20\n# trivy:ignore:AVD-DS-0004\nEXPOSE 22\n' },
    { name: 'suppressed', code: 'FROM node:20\n# bulkhead-ignore no-privileged-ports -- bastion image\nEXPOSE 22\n' },
    { name: 'Compose: host port 22 mapped to a high container port', path: 'compose.yaml', code: 'services:\n  git:\n    image: gitea/gitea:1.22\n    ports:\n      - "22:2222"\n' },
    { name: 'Compose: port 80 outside strict', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n' },
    { name: 'Kubernetes: 443 outside strict', path: 'pod.yaml', code: pod('        - containerPort: 443\n') },
    { name: 'Kubernetes: Windows pod in strict', path: 'pod.yaml', code: pod('        - containerPort: 80\n', '  os:\n    name: windows\n'), config: strict },
  ],
  reject: [
    {
      name: 'EXPOSE 22',
      code: 'FROM alpine:3.20\nEXPOSE 3000 80 443 22\nCMD ["sshd"]\n',
      message: ssh('The image'),
      range: { start: [1, 19], end: [1, 21] },
      severity: 'warning',
      fixes: [],
    },
    {
      name: 'EXPOSE 22/tcp',
      code: 'FROM alpine:3.20\nEXPOSE 22/tcp\n',
      message: ssh('The image'),
      range: { start: [1, 7], end: [1, 9] },
    },
    {
      name: 'a range that holds 22',
      code: 'FROM alpine:3.20\nEXPOSE 20-25\n',
      message: ssh('The image', 'ports 20-25', true),
      range: { start: [1, 7], end: [1, 12] },
    },
    {
      name: 'EXPOSE through an ARG default',
      code: 'FROM alpine:3.20\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}\n',
      message: ssh('The image'),
      range: { start: [2, 7], end: [2, 18] },
    },
    {
      name: 'inherited through FROM <stage>',
      code: 'FROM alpine:3.20 AS base\nEXPOSE 22\nFROM base\n',
      message: ssh('The image'),
      range: { start: [1, 7], end: [1, 9] },
    },
    {
      name: 'strict: ports below 1024 are info, 22 stays a warning',
      code: 'FROM nginx:1.27\nEXPOSE 80 22 8080\n',
      config: strict,
      findings: [
        { message: low('The image', 'port 80'), range: { start: [1, 7], end: [1, 9] }, severity: 'info' },
        { message: ssh('The image'), range: { start: [1, 10], end: [1, 12] }, severity: 'warning' },
      ],
    },
    {
      name: 'strict: 22/udp is a low port, not SSH',
      code: 'FROM node:20\nEXPOSE 22/udp\n',
      config: strict,
      message: low('The image', 'port 22'),
      range: { start: [1, 7], end: [1, 9] },
      severity: 'info',
    },
    {
      name: 'Compose: container side of ports:',
      path: 'compose.yaml',
      code: 'services:\n  box:\n    image: app:1\n    ports:\n      - "2222:22"\n      - target: 22\n        published: 2223\n',
      findings: [
        { message: ssh("Service 'box'"), range: { start: [4, 14], end: [4, 16] } },
        { message: ssh("Service 'box'"), range: { start: [5, 16], end: [5, 18] } },
      ],
    },
    {
      name: 'Compose: expose:',
      path: 'compose.yaml',
      code: 'services:\n  box:\n    image: app:1\n    expose: ["22"]\n',
      message: ssh("Service 'box'"),
      range: { start: [3, 14], end: [3, 16] },
    },
    {
      name: 'Compose strict: port 80',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - 127.0.0.1:8080:80/tcp\n',
      config: strict,
      message: low("Service 'web'", 'port 80'),
      range: { start: [4, 23], end: [4, 25] },
      severity: 'info',
    },
    {
      name: 'Kubernetes: containerPort 22',
      path: 'pod.yaml',
      code: pod('        - containerPort: 22\n        - containerPort: 443\n'),
      message: ssh("Container 'app'"),
      range: { start: [9, 25], end: [9, 27] },
    },
    {
      name: 'Kubernetes strict: 443',
      path: 'pod.yaml',
      code: pod('        - containerPort: 443\n'),
      config: strict,
      message: low("Container 'app'", 'port 443'),
      range: { start: [9, 25], end: [9, 28] },
      severity: 'info',
    },
  ],
});
