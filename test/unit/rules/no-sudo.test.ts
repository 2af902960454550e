import { testRule } from '../../helpers/testRule';

const sudo = (program: string | null) =>
  `RUN ${program ? `runs '${program}' through sudo` : 'calls sudo'}: switch with USER root for the step instead (sudo in an image is a way back to root)`;
const wrap = (user: string) => `Run this step as USER root without sudo, then switch back to USER ${user}`;
const REMOVE = 'Remove sudo (this step already runs as root)';
const GUESS = 'Remove sudo (assumes the base image builds as root; otherwise put USER root before this step)';

testRule('no-sudo', {
  accept: [
    { name: 'installing the sudo package', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y sudo\n' },
    { name: 'sudo as a word inside a quoted string', code: 'FROM debian:12\nRUN echo "run this with sudo later" && echo \'sudo make\'\n' },
    { name: 'other programs with sudo in the name', code: 'FROM debian:12\nRUN visudo -c && chmod 0440 /etc/sudoers.d/app && sudoedit --help || true\n' },
    { name: 'sudo in a heredoc written to a file', code: '# syntax=docker/dockerfile:1\nFROM debian:12\nRUN cat <<EOF > /etc/sudoers.d/app\napp ALL=(ALL) NOPASSWD: /usr/bin/apt-get\nsudo -l\nEOF\n' },
    { name: 'sudo in a comment line of a continued RUN', code: 'FROM debian:12\nRUN apt-get update \\\n# no sudo here\n && apt-get install -y curl\n' },
    { name: 'ONBUILD RUN sudo only affects child images', code: 'FROM debian:12\nONBUILD RUN sudo make install\n' },
    { name: 'a Windows image', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN sudo net user\n' },
    { name: 'CMD with sudo is not a build step', code: 'FROM debian:12\nCMD ["sudo", "-u", "app", "server"]\n' },
    { name: '# hadolint ignore=DL3004', code: 'FROM debian:12\n# hadolint ignore=DL3004\nRUN sudo make install\n' },
    { name: 'suppressed', code: 'FROM debian:12\n# bulkhead-ignore no-sudo -- the test suite needs it\nRUN sudo make test\n' },
  ],
  reject: [
    {
      name: 'non-root USER: wrap the step',
      code: 'FROM node:20\nUSER node\nRUN sudo apt-get update\nCMD ["node"]\n',
      message: sudo('apt-get'),
      range: { start: [2, 4], end: [2, 8] },
      severity: 'warning',
      fixes: [wrap('node')],
      fixed: 'FROM node:20\nUSER node\nUSER root\nRUN apt-get update\nUSER node\nCMD ["node"]\n',
    },
    {
      name: 'two sudo calls in one RUN, one fix for both',
      code: 'FROM node:20\nUSER node\nRUN sudo apt-get update && sudo -E apt-get install -y curl\n',
      findings: [
        {
          message: sudo('apt-get'),
          range: { start: [2, 4], end: [2, 8] },
          fixed: 'FROM node:20\nUSER node\nUSER root\nRUN apt-get update && apt-get install -y curl\nUSER node\n',
        },
        {
          message: sudo('apt-get'),
          range: { start: [2, 27], end: [2, 31] },
          fixed: 'FROM node:20\nUSER node\nUSER root\nRUN apt-get update && apt-get install -y curl\nUSER node\n',
        },
      ],
    },
    {
      name: 'already root: just remove sudo',
      code: 'FROM debian:12\nUSER root\nRUN sudo apt-get update\n',
      message: sudo('apt-get'),
      range: { start: [2, 4], end: [2, 8] },
      fixes: [REMOVE],
      fixed: 'FROM debian:12\nUSER root\nRUN apt-get update\n',
    },
    {
      name: 'USER 0 counts as root',
      code: 'FROM debian:12\nUSER 0:0\nRUN sudo --preserve-env make install\n',
      message: sudo('make'),
      range: { start: [2, 4], end: [2, 8] },
      fixed: 'FROM debian:12\nUSER 0:0\nRUN make install\n',
    },
    {
      name: "the base image's user is unknown: removal offered, not preferred",
      code: 'FROM debian:12\nRUN sudo apt-get update\n',
      message: sudo('apt-get'),
      range: { start: [1, 4], end: [1, 8] },
      fixes: [GUESS],
      fixed: 'FROM debian:12\nRUN apt-get update\n',
    },
    {
      name: 'a known non-root base image: its user cannot be restored, no fix',
      code: 'FROM bitnami/node:20\nRUN sudo apt-get update\n',
      message: sudo('apt-get'),
      range: { start: [1, 4], end: [1, 8] },
      fixes: [],
    },
    {
      name: 'sudo -u runs as another user: no automatic fix',
      code: 'FROM postgres:16\nUSER postgres\nRUN sudo -u app make\n',
      message: sudo('make'),
      range: { start: [2, 4], end: [2, 8] },
      fixes: [],
    },
    {
      name: 'sudo with no command',
      code: 'FROM debian:12\nUSER app\nRUN sudo -v\n',
      message: sudo(null),
      range: { start: [2, 4], end: [2, 8] },
      fixes: [],
    },
    {
      name: 'USER from an ARG in the same stage is written back as is',
      code: 'FROM debian:12\nARG APP_USER=app\nUSER $APP_USER\nRUN sudo id\n',
      message: sudo('id'),
      range: { start: [3, 4], end: [3, 8] },
      fixed: 'FROM debian:12\nARG APP_USER=app\nUSER $APP_USER\nUSER root\nRUN id\nUSER $APP_USER\n',
    },
    {
      name: 'USER inherited through FROM <stage>, with its variable resolved',
      code: 'FROM debian:12 AS base\nARG UID=1000\nUSER ${UID}\nFROM base\nRUN sudo id\n',
      message: sudo('id'),
      range: { start: [4, 4], end: [4, 8] },
      fixes: [wrap('1000')],
      fixed: 'FROM debian:12 AS base\nARG UID=1000\nUSER ${UID}\nFROM base\nUSER root\nRUN id\nUSER 1000\n',
    },
    {
      name: 'a builder stage too; the wrap keeps indentation and comments',
      code: 'FROM node:20 AS build\nUSER node\n  # refresh the index\n  RUN sudo apt-get update\nFROM node:20-slim\n',
      message: sudo('apt-get'),
      range: { start: [3, 6], end: [3, 10] },
      fixed: 'FROM node:20 AS build\nUSER node\n  USER root\n  # refresh the index\n  RUN apt-get update\n  USER node\nFROM node:20-slim\n',
    },
    {
      name: 'exec form',
      code: 'FROM node:20\nUSER node\nRUN ["sudo", "npm", "ci"]\n',
      message: sudo('npm'),
      range: { start: [2, 5], end: [2, 11] },
      fixed: 'FROM node:20\nUSER node\nUSER root\nRUN ["npm", "ci"]\nUSER node\n',
    },
    {
      name: 'inside sh -c',
      code: 'FROM node:20\nUSER node\nRUN sh -c "sudo npm ci"\n',
      message: sudo('npm'),
      range: { start: [2, 11], end: [2, 15] },
      fixed: 'FROM node:20\nUSER node\nUSER root\nRUN sh -c "npm ci"\nUSER node\n',
    },
    {
      name: 'through env and xargs, and as a pipe target',
      code: 'FROM node:20\nUSER root\nRUN env DEBIAN_FRONTEND=noninteractive sudo apt-get -y upgrade && ls | xargs -n1 sudo rm && echo x | sudo tee /f\n',
      findings: [
        { message: sudo('apt-get'), range: { start: [2, 39], end: [2, 43] } },
        { message: sudo('rm'), range: { start: [2, 81], end: [2, 85] } },
        {
          message: sudo('tee'),
          range: { start: [2, 101], end: [2, 105] },
          fixed: 'FROM node:20\nUSER root\nRUN env DEBIAN_FRONTEND=noninteractive apt-get -y upgrade && ls | xargs -n1 rm && echo x | tee /f\n',
        },
      ],
    },
    {
      name: 'continuation lines with the escape directive',
      code: '# escape=`\nFROM node:20\nUSER node\nRUN apt-get update `\n && sudo apt-get install -y curl\n',
      message: sudo('apt-get'),
      range: { start: [4, 4], end: [4, 8] },
      fixed: '# escape=`\nFROM node:20\nUSER node\nUSER root\nRUN apt-get update `\n && apt-get install -y curl\nUSER node\n',
    },
    {
      name: 'RUN flags on continuation lines',
      code: 'FROM node:20\nUSER node\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=secret,id=npmrc sudo apt-get update\n',
      message: sudo('apt-get'),
      range: { start: [3, 33], end: [3, 37] },
      fixed: 'FROM node:20\nUSER node\nUSER root\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=secret,id=npmrc apt-get update\nUSER node\n',
    },
    {
      name: 'RUN <<EOF heredoc',
      code: '# syntax=docker/dockerfile:1\nFROM node:20\nUSER node\nRUN <<EOF\nset -e\nsudo apt-get update\nEOF\nCMD ["node"]\n',
      message: sudo('apt-get'),
      range: { start: [5, 0], end: [5, 4] },
      fixed: '# syntax=docker/dockerfile:1\nFROM node:20\nUSER node\nUSER root\nRUN <<EOF\nset -e\napt-get update\nEOF\nUSER node\nCMD ["node"]\n',
    },
    {
      name: 'lowercase run, CRLF, no final line break',
      code: 'from node:20\r\nuser node\r\nrun sudo make',
      message: sudo('make'),
      range: { start: [2, 4], end: [2, 8] },
      fixed: 'from node:20\r\nuser node\r\nUSER root\r\nrun make\r\nUSER node',
    },
  ],
});
