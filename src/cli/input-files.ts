import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EntenteError } from '../core/errors.js';

export interface InputFile {
  /** As shown to the user: the path, or `-` for standard input. */
  readonly name: string;
  readonly size: number;
  read(): Promise<string>;
}

const STIX_EXTENSIONS = new Set(['.json', '.stix', '.ndjson', '.jsonl']);

/**
 * Expands FILE|DIR|- arguments: a directory yields its `.json`/`.stix`/`.ndjson` files,
 * recursively, in name order, so that runs are repeatable.
 */
export async function expandInputs(args: ReadonlyArray<string>): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push({ name: '-', size: 0, read: readStdin });
      continue;
    }
    let info;
    try {
      info = await stat(arg);
    } catch {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${arg}: no such file or directory`, [{ path: arg, message: 'not found' }]);
    }
    if (info.isDirectory()) files.push(...(await walk(arg)));
    else files.push(fileInput(arg, info.size));
  }
  return files;
}

async function walk(dir: string): Promise<InputFile[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: InputFile[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && STIX_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(fileInput(path, (await stat(path)).size));
  }
  return files;
}

function fileInput(path: string, size: number): InputFile {
  return { name: path, size, read: () => readFile(path, 'utf8') };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
