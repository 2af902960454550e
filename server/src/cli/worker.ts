/**
 * A worker thread of the CLI's analysis pool (pool.ts): analyses the files it is sent, exactly
 * as the main thread would (same engine, same reads of the files beside them), and answers
 * with plain findings.
 */
import type { Config } from '../core/config';
import { engine } from '../rules';
import { ScanFiles } from '../node/scanFiles';
import { wireFinding, type FromWorker, type ToWorker } from './pool';

export function runWorker(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const port = (require('node:worker_threads') as typeof import('node:worker_threads')).parentPort;
  if (!port) return;
  // the pool only runs scans that write nothing: what is read stays true for the run
  const files = new ScanFiles(true);
  const configs = new Map<number, Config>();
  port.on('message', (m: ToWorker) => {
    for (const [id, c] of m.configs) configs.set(id, c);
    const results = m.jobs.map((j) => {
      const r = engine.analyze({ text: j.text, path: j.path, workspace: files.workspace(j.path, j.root) }, configs.get(j.config)!);
      return { id: j.id, kind: r.kind, findings: r.findings.map((f) => wireFinding(f, m.fixes)) };
    });
    port.postMessage({ type: 'results', results } satisfies FromWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
