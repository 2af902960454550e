/**
 * The V8 flags the extension starts the language server with; `npm run bench` starts it with
 * the same flags, so it measures what the editor runs (docs/performance.md).
 *
 * `--max-semi-space-size=4`: V8 grows the young generation up to 16 MB per semi-space when
 * much survives its minor GCs, as it does while many documents open one after another. The
 * server's young objects live for one analysis; 4 MB holds them, and the server keeps ~20 MB
 * less resident with 200 Dockerfiles open (~35 MB less with the 4,300-line manifest). The
 * price is more minor GCs (about 3 times as many as with 16 MB, each as short).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
