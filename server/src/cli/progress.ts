/**
 * Progress of a big scan on stderr: only when stderr is a terminal (never in a pipe, a file or
 * a CI log) and only for scans of more than PROGRESS_MIN_FILES files. One line, rewritten in
 * place at most every 1% of the files, and erased before anything else is printed.
 */
export const PROGRESS_MIN_FILES = 300;

export class Progress {
  private readonly on: boolean;
  private done = 0;
  private shown = -1;
  private visible = false;

  constructor(
    private readonly stream: { isTTY?: boolean; write(s: string): unknown },
    private readonly total: number,
  ) {
    this.on = stream.isTTY === true && total > PROGRESS_MIN_FILES;
  }

  /** One more file started. */
  tick(): void {
    if (!this.on) return;
    this.done++;
    const pct = Math.floor((this.done * 100) / this.total);
    if (pct === this.shown) return;
    this.shown = pct;
    this.visible = true;
    this.stream.write(`\r\x1b[Kbulkhead: scanning ${this.done}/${this.total} files (${pct}%)`);
  }

  /** Erases the line (before a message, and at the end). */
  clear(): void {
    if (!this.visible) return;
    this.visible = false;
    this.shown = -1;
    this.stream.write('\r\x1b[K');
  }
}
