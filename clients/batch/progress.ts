/**
 * A one-line progress display on a terminal: counts, rate, and an ETA when the total is known. It
 * draws at most every 200 ms, and only when the stream is a TTY (a pipe or a log file stays clean).
 */
export interface ProgressCounts {
  /** Items done (documents, records). */
  done: number;
  /** Work done in the unit of `total` (bytes read), for the ETA. */
  progress?: number;
  errors?: number;
  retries?: number;
}

export class Progress {
  private readonly started = performance.now();
  private last = 0;
  private shown = false;

  /**
   * @param label what is counted, e.g. "documents"
   * @param total the amount of work in the unit of {@link ProgressCounts.progress}, when known
   */
  constructor(
    private readonly prefix: string,
    private readonly label: string,
    private readonly total?: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Redraws the line if it is time to. */
  update(counts: ProgressCounts): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    this.stream.write(`\r${this.line(counts, now)}\x1b[K`);
  }

  /** The text of the line (exposed for tests). */
  line(counts: ProgressCounts, now = performance.now()): string {
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const parts = [`${counts.done} ${this.label}`, `${Math.round(counts.done / seconds)} ${this.label}/s`];
    if (this.total && counts.progress !== undefined && counts.progress > 0) {
      const fraction = Math.min(1, counts.progress / this.total);
      parts.push(
        `${(fraction * 100).toFixed(1)}%`,
        `ETA ${formatSeconds((seconds * (1 - fraction)) / fraction)}`,
      );
    }
    if (counts.errors) parts.push(`${counts.errors} errors`);
    if (counts.retries) parts.push(`${counts.retries} retries`);
    return `${this.prefix}: ${parts.join(", ")}`;
  }

  /** Ends the line, if one was drawn. */
  done(): void {
    if (this.shown) this.stream.write("\n");
    this.shown = false;
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h > 0
    ? `${h}h${String(m).padStart(2, "0")}m`
    : m > 0
      ? `${m}m${String(sec).padStart(2, "0")}s`
      : `${sec}s`;
}
