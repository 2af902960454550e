/**
 * Realistic Dockerfile fragments: parser directives, multi-stage builds, USER in its many
 * spellings, RUN with line continuations, heredocs and exec form, ENV/ARG holding planted
 * secrets, COPY/ADD of remote and sensitive files, EXPOSE, and the instructions around them.
 * The text carries secret marks (see secrets.ts).
 */
import fc from 'fast-check';
import { envPairArb, passwordArb, secretNameArb, secretValueArb } from './secrets';

const imageArb = fc.constantFrom(
  'alpine:3.20', 'alpine', 'ubuntu:22.04', 'node:20-alpine', 'python:3.12-slim', 'nginx:latest', 'golang:1.22',
  'gcr.io/distroless/static:nonroot', 'cgr.dev/chainguard/node', 'scratch', '${BASE_IMAGE}', '${REGISTRY:-docker.io}/library/debian:12',
  'registry.example.com:5000/team/app:1.0', 'mcr.microsoft.com/windows/servercore:ltsc2022',
  `ubuntu@sha256:${'ab12'.repeat(16)}`, 'nginxinc/nginx-unprivileged:1.27', 'bitnami/redis:7.2',
);

const userArb = fc.constantFrom('root', '0', '0:0', 'root:root', '1000', 'app', 'nobody', '10001:10001', '${APP_UID}', '${UID:-1000}:${GID:-1000}', 'node', '65532', '');

/** A shell command, sometimes with a secret in it; marks stay inside the words. */
const commandArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates',
    'apk add --no-cache git',
    'curl -fsSL https://example.com/install.sh | sh',
    'wget -qO- https://get.example.com | bash',
    'wget -O /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt',
    'sudo apt-get install -y git',
    'npm ci --omit=dev',
    'pip install --no-cache-dir -r requirements.txt',
    'useradd -r -u 10001 app',
    'chmod +x /entrypoint.sh',
    'echo "done" > /tmp/done',
    'su - app -c "make install"',
    'curl -sSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl',
    'go build -o /out/app ./cmd/app',
  ),
  secretValueArb.map((v) => `curl -H "Authorization: Bearer ${v}" https://api.example.com/v1/things`),
  passwordArb.map((pw) => `mysql -u root -p\uE000${pw}\uE001 -e "select 1"`),
  passwordArb.map((pw) => `curl -u admin:\uE000${pw}\uE001 https://repo.example.com/artifact.tgz -o /tmp/a.tgz`),
  secretValueArb.map((v) => `git clone https://oauth2:${v}@github.com/org/repo.git /src`),
  secretValueArb.map((v) => `echo "//registry.npmjs.org/:_authToken=${v}" > ~/.npmrc`),
);

const continued = (parts: string[], indent: string, comment: boolean) =>
  parts.map((p, i) => (i === 0 ? p : `${comment && i === 1 ? `${indent}# step ${i}\n` : ''}${indent}${p}`)).join(' \\\n');

const runArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: commandArb.map((c) => `RUN ${c}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(commandArb, { minLength: 2, maxLength: 4 }), fc.constantFrom('    ', '  ', '\t'), fc.boolean(), fc.constantFrom('&&', ';'))
      .map(([cs, ind, comment, sep]) => `RUN ${continued(cs.map((c, i) => (i < cs.length - 1 ? `${c} ${sep}` : c)), ind, comment)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(commandArb, { minLength: 1, maxLength: 3 }), fc.constantFrom('EOF', 'EOT', 'SCRIPT'), fc.constantFrom('', '-', "'"), fc.constantFrom('', ' bash', ' set -e'))
      .map(([cs, tag, flavour, after]) => {
        const open = flavour === "'" ? `<<'${tag}'` : `<<${flavour}${tag}`;
        const body = cs.map((c) => (flavour === '-' ? `\t${c}` : c)).join('\n');
        return after === ' set -e' ? `RUN ${open}\nset -e\n${body}\n${tag}` : `RUN ${open}${after}\n${body}\n${tag}`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom('RUN ["/bin/sh", "-c", "echo hi"]', 'RUN --mount=type=secret,id=npm,target=/root/.npmrc npm ci', 'RUN --mount=type=cache,target=/var/cache/apt apt-get update', 'run echo lower case') },
);

const envArb: fc.Arbitrary<string> = fc.oneof(
  envPairArb.map(([k, v]) => `ENV ${k}=${/\s/.test(v) ? JSON.stringify(v) : v || '""'}`),
  envPairArb.map(([k, v]) => `ENV ${k} ${v || '""'}`),
  fc.tuple(envPairArb, envPairArb).map(([[a, x], [b, y]]) => `ENV ${a}=${x || '""'} \\\n    ${b}=${y || '""'}`),
);

const argArb: fc.Arbitrary<string> = fc.oneof(
  secretNameArb.map((k) => `ARG ${k}`),
  fc.tuple(secretNameArb, secretValueArb).map(([k, v]) => `ARG ${k}=${v}`),
  fc.constantFrom('ARG BASE_IMAGE=alpine:3.20', 'ARG VERSION', 'ARG APP_UID=10001', 'ARG TARGETPLATFORM'),
);

const copyArb = fc.constantFrom(
  'COPY . /app', 'COPY --chown=1000:1000 src/ /app/', 'COPY package*.json ./', 'COPY --from=build /out/app /usr/local/bin/app',
  'ADD https://example.com/file.tar.gz /tmp/', 'ADD app.tar.gz /opt/', 'ADD . /app', 'COPY id_rsa /root/.ssh/id_rsa', 'COPY .env /app/.env',
  `ADD --checksum=sha256:${'0f'.repeat(32)} https://example.com/tool.tgz /tmp/`, 'COPY ["a b.txt", "/app/"]', 'ADD git@github.com:org/repo.git /src',
  'COPY secrets.json /app/config/', 'COPY --link --chmod=0755 entrypoint.sh /',
);

const heredocCopyArb = fc
  .tuple(secretNameArb, secretValueArb)
  .map(([k, v]) => `COPY <<EOF /etc/app.env\n${k}=${v}\nLOG_LEVEL=info\nEOF`);

const exposeArb = fc.constantFrom('EXPOSE 22', 'EXPOSE 80/tcp 443', 'EXPOSE ${PORT}', 'EXPOSE 8080', 'EXPOSE 53/udp', 'EXPOSE 1-1024');

const miscArb = fc.constantFrom(
  'WORKDIR /app', 'CMD ["node", "server.js"]', 'ENTRYPOINT ["/entrypoint.sh"]', 'CMD node server.js',
  'HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1', 'LABEL maintainer="team@example.com"', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  'ONBUILD RUN echo onbuild', 'STOPSIGNAL SIGTERM', 'VOLUME /data', '# a comment', '', '#', '# bulkhead-ignore no-root-user', 'MAINTAINER someone',
);

const instructionArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: runArb },
  { weight: 2, arbitrary: userArb.map((u) => (u ? `USER ${u}` : 'USER')) },
  { weight: 2, arbitrary: envArb },
  { weight: 1, arbitrary: argArb },
  { weight: 2, arbitrary: copyArb },
  { weight: 1, arbitrary: heredocCopyArb },
  { weight: 1, arbitrary: exposeArb },
  { weight: 2, arbitrary: miscArb },
);

const fromArb = (stage: number, names: string[]) =>
  fc
    .tuple(fc.oneof({ weight: 4, arbitrary: imageArb }, { weight: stage > 0 ? 2 : 0, arbitrary: fc.constantFrom(...(names.length ? names : ['alpine'])) }), fc.boolean(), fc.boolean())
    .map(([img, named, platform]) => `FROM ${platform ? '--platform=$BUILDPLATFORM ' : ''}${img}${named ? ` AS stage${stage}` : ''}`);

const directivesArb = fc.subarray(['# syntax=docker/dockerfile:1', '# check=skip=all', '# escape=\\'], { minLength: 0, maxLength: 2 });

/** A whole Dockerfile (marked text): directives, then one to three stages. */
export const dockerfileArb: fc.Arbitrary<string> = fc
  .tuple(
    directivesArb,
    fc.option(argArb, { nil: undefined }),
    fc.array(fc.tuple(fc.boolean(), fc.array(instructionArb, { minLength: 0, maxLength: 8 })), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .chain(([directives, preArg, stages, trailingNewline, blankBetween]) =>
    fc.tuple(...stages.map((_s, i) => fromArb(i, stages.slice(0, i).map((_x, k) => `stage${k}`)))).map((froms) => {
      const lines: string[] = [...directives];
      if (preArg) lines.push(preArg);
      stages.forEach(([, body], i) => {
        if (blankBetween && i > 0) lines.push('');
        lines.push(froms[i], ...body);
      });
      const text = lines.join('\n');
      return trailingNewline ? `${text}\n` : text;
    }),
  );
