import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A progress bar on stderr for interactive terminals; silent when stderr is not a TTY or when
 * machine output was asked for, so pipes and `--json` stay clean.
 */
export function makeProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new SingleBar(
    { format: ' {label} |{bar}| {value}/{total} {unit} {rate}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  const started = { at: 0, total: 0, label: '', running: false };
  return {
    start(total, label) {
      Object.assign(started, { at: performance.now(), total, label, running: true });
      bar.start(total, 0, { label, unit: '', rate: '' });
    },
    update(done, extra = {}) {
      const seconds = (performance.now() - started.at) / 1000;
      const rate = seconds > 0 ? `${Math.round(done / seconds)}/s` : '';
      // Stopped to print a line (a file's result): the bar comes back below it.
      if (!started.running) {
        started.running = true;
        bar.start(started.total, done, { label: started.label, unit: '', rate, ...extra });
        return;
      }
      bar.update(done, { rate, ...extra });
    },
    stop() {
      started.running = false;
      bar.stop();
    },
  };
}
