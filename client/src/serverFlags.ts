/**
 * The V8 flags the extension starts the language server with; `npm run bench` starts it with
 * the same flags, so it measures what the editor runs (docs/performance.md).
 *
 * `--max-semi-space-size=2`: V8 grows the young generation up to 16 MB per semi-space when
 * much survives its minor GCs, as it does while many documents open one after another. The
 * server's young objects live for one analysis; 2 MB holds them. Measured against 4 MB (the
 * bench, 2 CPUs): peak RSS with 200 Dockerfiles open 62.7-62.9 MB against 66.5-66.9, steady
 * edit latency the same within the noise; 1 MB saves ~1.5 MB more but makes edits of the
 * 4,300-line manifest ~20% slower (more minor GCs in one analysis).
 *
 * `--v8-pool-size=1`: one V8 background thread (optimising compiles, GC helpers) instead of
 * four. The server's work per keystroke is a fraction of a millisecond; with four background
 * threads on a 2-CPU machine, TurboFan's compiles of newly hot functions compete with the
 * main thread for the CPUs, and an edit that loses a scheduler tick takes ~4 ms instead of
 * ~0.3 ms. Measured (bench, Dockerfile, 1,000 steady edits, 2 CPUs): p95 1.24-1.47 ms with
 * it against 1.89-2.26 without; Compose p95 2.09 against 2.77; peak RSS with 200
 * Dockerfiles open 84 MB against 95 MB.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--v8-pool-size=1'];

/**
 * Environment variables the extension adds to the language server's environment (the bench
 * sets the same ones), unless the editor's environment already sets them.
 *
 * `MALLOC_MMAP_THRESHOLD_=131072`: glibc's malloc serves a request of 128 KB or more with its
 * own mmap, returned to the system when freed. That is glibc's starting threshold, but by
 * default glibc raises it (up to 32 MB) each time such a block is freed, so later large blocks
 * come from the heap, and what is freed there stays resident. V8 allocates its parser's and
 * compiler's zone memory with malloc and frees it after each compile: with the threshold
 * fixed, ~2.4 MB less of the server stays resident after start-up (glibc heap 6.1 -> 3.8 MB
 * with one Dockerfile open). Only glibc reads it (Linux, the Node that VS Code Remote,
 * code-server and WSL run); elsewhere it does nothing.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** {@link SERVER_ENV} without the variables `env` (the editor's environment) already sets. */
export function serverEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(SERVER_ENV).filter(([k]) => env[k] === undefined));
}
