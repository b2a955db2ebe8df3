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
    { format: ' {label} |{bar}| {value}/{total} {unit} {rate}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const started = { at: 0 };
  return {
    start(total, label) {
      started.at = performance.now();
      bar.start(total, 0, { label, unit: '', rate: '' });
    },
    update(done, extra = {}) {
      const seconds = (performance.now() - started.at) / 1000;
      const rate = seconds > 0 ? `${Math.round(done / seconds)}/s` : '';
      bar.update(done, { rate, ...extra });
    },
    stop() {
      bar.stop();
    },
  };
}
