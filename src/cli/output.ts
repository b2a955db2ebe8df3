import pc from 'picocolors';

/** Where a command writes; tests run the real binary, so this is the process's streams. */
export interface Output {
  readonly json: boolean;
  line(text?: string): void;
  error(text: string): void;
  data(value: unknown): void;
}

export function makeOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    json,
    line: (text = '') => void stdout.write(`${text}\n`),
    error: (text) => void stderr.write(`${text}\n`),
    data: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

export const colour = pc;

/** Aligns rows under a bold header; the widths come from the widest cell of each column. */
export function table(headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...cells.map((row) => visibleLength(row[i] ?? ''))));
  const pad = (text: string, i: number) => text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(text)));
  const lines = [headers.map((h, i) => pc.bold(pad(h, i))).join('  ').trimEnd()];
  for (const row of cells) lines.push(row.map((cell, i) => pad(cell, i)).join('  ').trimEnd());
  return lines.join('\n');
}

/** Length as seen on a terminal: ANSI colour codes take no room. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
