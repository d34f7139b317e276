/** Where progress goes: a terminal gets a bar redrawn in place, anything else a plain line now and then. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 200;
const LINE_EVERY_MS = 5000;

/** Rows read out of the total, with rate and time left. */
export class TransferProgress {
  private readonly started = Date.now();
  private lastShown = 0;
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly output: ProgressOutput,
    private readonly unit = 'rows',
  ) {}

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (now - this.lastShown < (this.output.isTTY ? REDRAW_MS : LINE_EVERY_MS)) return;
    this.lastShown = now;
    this.show();
  }

  /** The last figures, and the end of the bar's line. */
  finish(): void {
    this.show();
    if (this.output.isTTY) this.output.write('\n');
  }

  private show(): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const share = this.total > 0 ? Math.min(this.done / this.total, 1) : 1;
    const eta = rate > 0 ? Math.max(this.total - this.done, 0) / rate : undefined;
    const figures = `${count(this.done)} / ${count(this.total)} ${this.unit} (${Math.floor(share * 100)} %), ${count(Math.round(rate))} ${this.unit}/s, ETA ${duration(eta)}`;
    if (this.output.isTTY) {
      const filled = Math.round(share * BAR_WIDTH);
      this.output.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${figures}\x1b[K`);
    } else {
      this.output.write(`  ${figures}\n`);
    }
  }
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}
