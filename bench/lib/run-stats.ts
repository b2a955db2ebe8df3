/** Small statistics and formatting for benchmark output. */

export function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/** A one-line progress indicator on stderr, redrawn in place when stderr is a terminal. */
export function progressLine(label: string, total: number): (done: number, rate: number) => void {
  let lastPrint = 0;
  return (done, rate) => {
    const now = performance.now();
    if (done < total && now - lastPrint < 1000) return;
    lastPrint = now;
    const pct = ((100 * done) / total).toFixed(1).padStart(5);
    const line = `${label} ${pct}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${formatRate(rate)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}
