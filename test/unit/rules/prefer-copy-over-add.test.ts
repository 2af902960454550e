import { testRule } from '../../helpers/testRule';

const local = (source: string) => `ADD of the local '${source}': COPY does the same without ADD's URL downloads and archive extraction`;
const variable = (source: string) =>
  `ADD of '${source}', a build argument that names a local file unless a URL or an archive is passed: COPY does the same without ADD's extras`;
const FIX = 'Use COPY instead of ADD';

testRule('prefer-copy-over-add', {
  accept: [
    { name: 'COPY', code: 'FROM node:20\nCOPY . /app\n' },
    { name: 'URL', code: 'FROM node:20\nADD https://example.com/file.txt /tmp/\n' },
    { name: 'git repository', code: 'FROM node:20\nADD git@github.com:moby/buildkit.git /src\n' },
    { name: '--checksum is for remote sources', code: 'FROM node:20\nADD --checksum=sha256:abc https://example.com/a /a\n' },
    { name: '--keep-git-dir is ADD-only', code: 'FROM node:20\nADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.13.0 /bk\n' },
    { name: 'archives are unpacked by ADD', code: 'FROM alpine:3.20\nADD rootfs.tar.gz /\nADD a.tar b.tgz c.tar.bz2 d.tar.xz e.txz f.tar.zst /opt/\n' },
    { name: 'a compressed file may be a tar archive', code: 'FROM alpine:3.20\nADD payload.gz /opt/\n' },
    { name: 'a variable whose name says URL', code: 'FROM node:20\nARG DOWNLOAD_URL\nADD ${DOWNLOAD_URL} /tmp/\n' },
    { name: 'an ARG default that is a URL', code: 'FROM node:20\nARG SRC=https://example.com/a.txt\nADD $SRC /tmp/\n' },
    { name: 'heredoc ADD', code: '# syntax=docker/dockerfile:1\nFROM node:20\nADD <<EOF /app/config\nx=1\nEOF\n' },
    { name: 'ONBUILD ADD', code: 'FROM node:20\nONBUILD ADD . /app\n' },
    { name: 'ADD has no --from (an invalid flag is left to the builder)', code: 'FROM node:20\nADD --from=build /out /app\n' },
    { name: 'suppressed with hadolint', code: 'FROM node:20\n# hadolint ignore=DL3020\nADD . /app\n' },
  ],
  reject: [
    {
      name: 'ADD of a folder',
      code: 'FROM node:20\nADD . /app\n',
      message: local('.'),
      range: { start: [1, 0], end: [1, 3] },
      severity: 'info',
      fixes: [FIX],
      fixed: 'FROM node:20\nCOPY . /app\n',
    },
    {
      name: 'COPY-compatible flags are kept',
      code: 'FROM node:20\nADD --chown=node:node --chmod=644 --link app.js /app/\n',
      message: local('app.js'),
      range: { start: [1, 0], end: [1, 3] },
      fixed: 'FROM node:20\nCOPY --chown=node:node --chmod=644 --link app.js /app/\n',
    },
    {
      name: 'lowercase keyword stays lowercase',
      code: 'from node:20\nadd src/ /app/src/\n',
      message: local('src/'),
      range: { start: [1, 0], end: [1, 3] },
      fixed: 'from node:20\ncopy src/ /app/src/\n',
    },
    {
      name: 'a zip is not unpacked by ADD',
      code: 'FROM node:20\nADD bundle.zip /opt/\n',
      message: local('bundle.zip'),
      range: { start: [1, 0], end: [1, 3] },
      fixed: 'FROM node:20\nCOPY bundle.zip /opt/\n',
    },
    {
      name: 'exec form',
      code: 'FROM node:20\nADD ["my file.txt", "/app/"]\n',
      message: local('my file.txt'),
      range: { start: [1, 0], end: [1, 3] },
      fixed: 'FROM node:20\nCOPY ["my file.txt", "/app/"]\n',
    },
    {
      name: 'a builder stage too, with continuation lines',
      code: 'FROM node:20 AS build\nADD package.json \\\n    package-lock.json \\\n    ./\nFROM node:20\n',
      message: local('package.json'),
      range: { start: [1, 0], end: [1, 3] },
      fixed: 'FROM node:20 AS build\nCOPY package.json \\\n    package-lock.json \\\n    ./\nFROM node:20\n',
    },
    {
      name: 'an ARG default that is a local file',
      code: 'FROM openjdk:21\nARG JAR_FILE=target/app.jar\nADD ${JAR_FILE} app.jar\n',
      message: local('${JAR_FILE}'),
      range: { start: [2, 0], end: [2, 3] },
      fixed: 'FROM openjdk:21\nARG JAR_FILE=target/app.jar\nCOPY ${JAR_FILE} app.jar\n',
    },
    {
      name: 'a build argument without a default: fix offered, not preferred',
      code: 'FROM openjdk:21\nARG JAR_FILE\nADD ${JAR_FILE} app.jar\n',
      message: variable('${JAR_FILE}'),
      range: { start: [2, 0], end: [2, 3] },
      fixes: ["Use COPY instead of ADD (if '${JAR_FILE}' is never a URL or an archive to unpack)"],
      fixed: 'FROM openjdk:21\nARG JAR_FILE\nCOPY ${JAR_FILE} app.jar\n',
    },
    {
      name: 'one finding per ADD, several in a file, CRLF',
      code: 'FROM node:20\r\nADD a.txt /a\r\nADD b.txt /b\r\n',
      findings: [
        { message: local('a.txt'), range: { start: [1, 0], end: [1, 3] } },
        { message: local('b.txt'), range: { start: [2, 0], end: [2, 3] } },
      ],
    },
    {
      name: 'CRLF',
      code: 'FROM node:20\r\nADD a.txt /a\r\n',
      message: local('a.txt'),
      range: { start: [1, 0], end: [1, 3] },
      fixed: 'FROM node:20\r\nCOPY a.txt /a\r\n',
    },
  ],
});
