import { mergeConfig } from '../core/config';
import type { Engine } from '../core/engine';

/**
 * Small documents of each kind that exercise most rules. Analysing them a few hundred times
 * while the editor starts lets V8 optimise the engine before the first keystrokes, instead
 * of during them (the first few hundred edits otherwise carry compilation pauses).
 */
const SAMPLES: { path: string; text: string }[] = [
  {
    path: '/warmup/Dockerfile',
    text: [
      'ARG NODE_VERSION=20',
      'FROM node:${NODE_VERSION} AS build',
      'RUN npm ci && curl -fsSL https://example.com/i.sh | sh',
      'FROM node:${NODE_VERSION}-slim',
      'ARG NPM_TOKEN',
      'ENV API_URL=https://example.com PASSWORD=changeme',
      'ADD ./config.json /app/',
      'COPY --from=build /src /app',
      'USER node',
      'RUN sudo apt-get update',
      'EXPOSE 22 8080',
      'CMD ["node", "server.js"]',
      '',
    ].join('\n'),
  },
  {
    path: '/warmup/compose.yaml',
    text: [
      'x-base: &base',
      '  restart: always',
      'services:',
      '  api:',
      '    <<: *base',
      '    build: .',
      '    ports: ["8080:8080", "22:22"]',
      '    environment:',
      '      DB_HOST: db',
      '      DB_PASSWORD: ${DB_PASSWORD}',
      '  db:',
      '    image: postgres:16',
      '    environment: [POSTGRES_DB=app]',
      '',
    ].join('\n'),
  },
  {
    path: '/warmup/deploy.yaml',
    text: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: api}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          image: example/api:1.0',
      '          ports: [{containerPort: 8080}]',
      '          env:',
      '            - {name: MODE, value: prod}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: api}',
      'spec: {ports: [{port: 80}]}',
      '',
    ].join('\n'),
  },
];

/** Runs `rounds` analyses of each sample in small slices between other work; stops early when asked. */
export function warmUp(engine: Engine, rounds = 200, stopped: () => boolean = () => false): Promise<void> {
  const config = mergeConfig();
  let i = 0;
  return new Promise((resolve) => {
    const slice = () => {
      if (stopped() || i >= rounds) {
        resolve();
        return;
      }
      for (const s of SAMPLES) engine.analyze({ text: `${s.text}# ${i % 16}\n`, path: s.path }, config);
      i++;
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}
