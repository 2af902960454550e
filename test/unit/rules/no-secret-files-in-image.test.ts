import { testRule } from '../../helpers/testRule';

const secret = (keyword: string, source: string, kind: string) =>
  `${keyword} puts '${source}' (${kind}) into the shipped image, where anyone who can pull the image can read it`;
const ENV = 'an environment file';
const KEY = 'a private key';
const SSH = 'an SSH private key';

testRule('no-secret-files-in-image', {
  accept: [
    { name: 'COPY . . is not a finding by itself (.dockerignore decides)', code: 'FROM node:20\nCOPY . .\n' },
    { name: 'ordinary files', code: 'FROM node:20\nCOPY package.json package-lock.json ./\nCOPY src/ /app/src/\n' },
    { name: 'a secret path as the destination only', code: 'FROM node:20\nCOPY app.conf /root/.ssh/config\nCOPY defaults.env /app/.env\n' },
    { name: 'env templates', code: 'FROM node:20\nCOPY .env.example .env.sample .env.template /app/\n' },
    { name: 'public keys and known_hosts', code: 'FROM node:20\nCOPY id_rsa.pub /tmp/\nCOPY .ssh/known_hosts .ssh/authorized_keys /root/.ssh/\n' },
    { name: 'certificates named as such', code: 'FROM node:20\nCOPY ca.pem cert.pem fullchain.pem /etc/ssl/app/\nCOPY public.key /app/\n' },
    { name: 'a key copied into a trust store', code: 'FROM debian:12\nCOPY repo-signing.key /etc/apt/trusted.gpg.d/\nCOPY corp-root.pem /usr/local/share/ca-certificates/\n' },
    { name: '.aws/config is not credentials', code: 'FROM node:20\nCOPY .aws/config /root/.aws/config\n' },
    {
      name: 'a builder stage may hold .npmrc: its layers do not ship',
      code: 'FROM node:20 AS deps\nCOPY .npmrc package.json ./\nRUN npm ci\nFROM node:20-slim\nCOPY --from=deps /app/node_modules ./node_modules\n',
    },
    { name: 'heredoc COPY', code: '# syntax=docker/dockerfile:1\nFROM node:20\nCOPY <<EOF /app/.env\nPORT=8080\nEOF\n' },
    { name: 'unknown variable source', code: 'FROM node:20\nARG CONFIG\nCOPY ${CONFIG} /app/\n' },
    { name: 'ADD of a URL', code: 'FROM node:20\nADD https://example.com/id_rsa.pub /tmp/\n' },
    { name: 'ONBUILD COPY only affects child images', code: 'FROM node:20\nONBUILD COPY .env /app/\n' },
    { name: 'suppressed', code: 'FROM node:20\n# bulkhead-ignore no-secret-files-in-image -- test fixture key\nCOPY test.key /app/\n' },
    { name: 'not a Dockerfile rule for Compose', path: 'compose.yaml', code: 'services:\n  app:\n    image: app:1\n    env_file: .env\n' },
  ],
  reject: [
    {
      name: 'COPY .env',
      code: 'FROM node:20\nCOPY .env /app/\n',
      message: secret('COPY', '.env', ENV),
      range: { start: [1, 5], end: [1, 9] },
      severity: 'warning',
      fixes: [],
    },
    {
      name: 'several sources, one of them secret',
      code: 'FROM node:20\nCOPY package.json .npmrc ./\n',
      message: secret('COPY', '.npmrc', 'npm credentials'),
      range: { start: [1, 18], end: [1, 24] },
    },
    {
      name: 'each kind',
      code: [
        'FROM python:3.12',
        'COPY .env.production /app/',
        'COPY id_ed25519 /root/.ssh/',
        'COPY certs/server.key tls.pem /etc/app/',
        'ADD .pypirc /root/',
        'COPY .netrc .git-credentials /root/',
        'COPY kubeconfig /root/.kube/config',
        'COPY .kube/config /root/.kube/config',
        'COPY .aws/ /root/.aws/',
        'COPY .ssh /root/.ssh',
        '',
      ].join('\n'),
      findings: [
        { message: secret('COPY', '.env.production', ENV), range: { start: [1, 5], end: [1, 20] } },
        { message: secret('COPY', 'id_ed25519', SSH), range: { start: [2, 5], end: [2, 15] } },
        { message: secret('COPY', 'certs/server.key', KEY), range: { start: [3, 5], end: [3, 21] } },
        { message: secret('COPY', 'tls.pem', KEY), range: { start: [3, 22], end: [3, 29] } },
        { message: secret('ADD', '.pypirc', 'PyPI credentials'), range: { start: [4, 4], end: [4, 11] } },
        { message: secret('COPY', '.netrc', 'netrc credentials'), range: { start: [5, 5], end: [5, 11] } },
        { message: secret('COPY', '.git-credentials', 'git credentials'), range: { start: [5, 12], end: [5, 28] } },
        { message: secret('COPY', 'kubeconfig', 'a kubeconfig with cluster credentials'), range: { start: [6, 5], end: [6, 15] } },
        { message: secret('COPY', '.kube/config', 'a kubeconfig with cluster credentials'), range: { start: [7, 5], end: [7, 17] } },
        { message: secret('COPY', '.aws/', 'AWS credentials'), range: { start: [8, 5], end: [8, 10] } },
        { message: secret('COPY', '.ssh', 'an SSH folder with private keys'), range: { start: [9, 5], end: [9, 9] } },
      ],
    },
    {
      name: 'id_rsa* glob and *.pem glob',
      code: 'FROM node:20\nCOPY id_rsa* /root/.ssh/\nCOPY keys/*.pem /keys/\n',
      findings: [
        { message: secret('COPY', 'id_rsa*', SSH), range: { start: [1, 5], end: [1, 12] } },
        { message: secret('COPY', 'keys/*.pem', KEY), range: { start: [2, 5], end: [2, 15] } },
      ],
    },
    {
      name: 'COPY --from=<stage> of a secret file ships it',
      code: 'FROM node:20 AS build\nCOPY . .\nRUN npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app/.env /app/\n',
      message: secret('COPY', '/app/.env', ENV),
      range: { start: [4, 28], end: [4, 37] },
    },
    {
      name: 'a stage the final stage is built FROM ships its layers',
      code: 'FROM node:20 AS base\nCOPY .npmrc /root/\nFROM base\nCMD ["node"]\n',
      message: secret('COPY', '.npmrc', 'npm credentials'),
      range: { start: [1, 5], end: [1, 11] },
    },
    {
      name: 'a later rm does not help: the layer keeps the file',
      code: 'FROM node:20\nCOPY .npmrc ./\nRUN npm ci && rm .npmrc\n',
      message: secret('COPY', '.npmrc', 'npm credentials'),
      range: { start: [1, 5], end: [1, 11] },
    },
    {
      name: 'exec form',
      code: 'FROM node:20\nCOPY ["deploy key.pem", "/keys/"]\n',
      message: secret('COPY', 'deploy key.pem', KEY),
      range: { start: [1, 6], end: [1, 22] },
    },
    {
      name: 'an ARG default names the file',
      code: 'FROM node:20\nARG ENV_FILE=.env\nCOPY ${ENV_FILE} /app/\n',
      message: secret('COPY', '${ENV_FILE}', ENV),
      range: { start: [2, 5], end: [2, 16] },
    },
    {
      name: 'flags before the sources, lowercase',
      code: 'FROM node:20\ncopy --chown=node:node --chmod=600 .env /app/\n',
      message: secret('COPY', '.env', ENV),
      range: { start: [1, 35], end: [1, 39] },
    },
    {
      name: 'continuation lines with the escape directive',
      code: '# escape=`\nFROM node:20\nCOPY package.json `\n     .env `\n     /app/\n',
      message: secret('COPY', '.env', ENV),
      range: { start: [3, 5], end: [3, 9] },
    },
    {
      name: 'a Windows image ships it too',
      code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY .env C:/app/\n',
      message: secret('COPY', '.env', ENV),
      range: { start: [1, 5], end: [1, 9] },
    },
  ],
});
