/** A progress line on stderr: redrawn in place on a terminal, one line per step in logs. */
export class Progress {
  private lastPrinted = -1;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Reports `done` of `total`. */
  update(done: number) {
    const pct = this.total ? Math.floor((done / this.total) * 100) : 100;
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      this.out.write(
        `\r  ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}`,
      );
      if (done >= this.total) this.out.write('\n');
    } else if (pct >= this.lastPrinted + 10 || done >= this.total) {
      this.lastPrinted = pct;
      this.out.write(`  ${this.label}: ${done}/${this.total} (${pct}%)\n`);
    }
  }
}
