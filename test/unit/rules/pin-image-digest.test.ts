import { testRule } from '../../helpers/testRule';

const noDigest = (image: string) => `Image ${image} is not pinned by digest (@sha256:...), so the same reference can later pull different content`;
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const strict = { preset: 'strict' as const };

testRule('pin-image-digest', {
  accept: [
    { name: 'not in the recommended preset', code: 'FROM node:20\n', config: { preset: 'recommended' } },
    { name: 'digest', code: `FROM node:20@${DIGEST}\n` },
    { name: 'digest only', code: `FROM node@${DIGEST}\n` },
    { name: 'digest from a global ARG default', code: `ARG NODE_DIGEST=${DIGEST}\nFROM node@\${NODE_DIGEST}\n` },
    { name: 'FROM scratch', code: 'FROM scratch\n' },
    { name: 'stage names', code: `FROM node:20@${DIGEST} AS build\nFROM build\n` },
    { name: 'unknown ARG', code: 'ARG BASE\nFROM $BASE\n' },
    { name: 'Compose: build: names the result', path: 'compose.yaml', code: 'services:\n  app:\n    build: .\n    image: myorg/app:1.0\n' },
    { name: 'Compose: digest', path: 'compose.yaml', code: `services:\n  db:\n    image: postgres:16@${DIGEST}\n` },
    {
      name: 'Kubernetes: digest',
      path: 'pod.yaml',
      code: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx@${DIGEST}\n`,
    },
    { name: "rule set to 'off' in strict", code: 'FROM node:20\n', config: { rules: { 'pin-image-digest': 'off' } } },
  ],
  reject: [
    {
      name: 'tagged but no digest',
      code: 'FROM node:20\n',
      message: noDigest("'node:20'"),
      range: { start: [0, 5], end: [0, 12] },
      severity: 'info',
      fixes: [],
    },
    {
      name: 'every FROM that pulls',
      code: `FROM golang:1.22 AS build\nFROM gcr.io/distroless/static@${DIGEST}\nFROM alpine:3.20\n`,
      findings: [
        { message: noDigest("'golang:1.22'"), range: { start: [0, 5], end: [0, 16] } },
        { message: noDigest("'alpine:3.20'"), range: { start: [2, 5], end: [2, 16] } },
      ],
    },
    {
      name: 'global ARG default',
      code: 'ARG V=20\nFROM node:${V}\n',
      message: noDigest("'node:20' (written 'node:${V}')"),
      range: { start: [1, 5], end: [1, 14] },
    },
    {
      name: 'turned on outside strict by a rule setting',
      code: 'FROM node:20\n',
      config: { preset: 'recommended', rules: { 'pin-image-digest': 'warning' } },
      message: noDigest("'node:20'"),
      range: { start: [0, 5], end: [0, 12] },
      severity: 'warning',
    },
    {
      name: 'Compose',
      path: 'compose.yaml',
      code: 'services:\n  db:\n    image: postgres:16\n',
      message: noDigest("'postgres:16' of service 'db'"),
      range: { start: [2, 11], end: [2, 22] },
    },
    {
      name: 'Kubernetes',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: "nginx:1.27"\n',
      message: noDigest("'nginx:1.27' of container 'app'"),
      range: { start: [7, 14], end: [7, 24] },
    },
  ],
}, { config: strict });
