import { connect, type Socket } from 'node:net';

export interface GetResult {
  readonly status: number;
  /** Body bytes received, which the connection checks against Content-Length. */
  readonly bytes: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection sending GETs one after the other and reading only what a
 * throughput figure needs: the status, and a body of exactly Content-Length bytes (counted, never
 * decoded). It plays a load generator's part (as wrk or autocannon do) at a small fraction of
 * `node:http`'s CPU per request, which matters when client and server share two cores. A
 * response it cannot account for (chunked, no length, bytes beyond the body) is an error.
 */
export class KeepAliveGet {
  readonly #socket: Socket;
  #pending: { readonly resolve: (r: GetResult) => void; readonly reject: (e: Error) => void } | undefined;
  #head: Buffer | undefined;
  #status = 0;
  #length = 0;
  #remaining = -1;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  static open(host: string, port: number): Promise<KeepAliveGet> {
    return new Promise((resolve, reject) => {
      let connection: KeepAliveGet | undefined;
      // Every read lands in this one buffer (`onread`) instead of a fresh one per 'data' event:
      // allocating ~64 KB per read cost more system time than the HTTP parsing saved.
      const readBuffer = Buffer.allocUnsafe(256 * 1024);
      const socket = connect({
        host, port, noDelay: true,
        onread: { buffer: readBuffer, callback: (bytes: number, buffer: Uint8Array) => { connection?.receive(buffer as Buffer, bytes); return true; } },
      }, () => {
        socket.off('error', reject);
        connection = new KeepAliveGet(socket);
        resolve(connection);
      });
      socket.once('error', reject);
    });
  }

  /** Sends `GET path` with the given header lines (each ending in CRLF) and waits for the whole answer. */
  get(path: string, headerLines: string): Promise<GetResult> {
    if (this.#pending !== undefined) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#head = undefined;
      this.#remaining = -1;
      this.#socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${headerLines}\r\n`, 'latin1');
    });
  }

  close(): void {
    this.#pending = undefined;
    this.#socket.destroy();
  }

  /** Takes `bytes` bytes read into `buffer` (which the next read overwrites). */
  receive(buffer: Buffer, bytes: number): void {
    if (this.#pending === undefined) return this.#fail(new Error('bytes received with no request pending'));
    if (this.#remaining < 0) {
      const chunk = buffer.subarray(0, bytes);
      // Copied: the read buffer is reused, and a head split across reads must survive it.
      const head = this.#head === undefined ? chunk : Buffer.concat([this.#head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        this.#head = Buffer.from(head);
        return undefined;
      }
      const text = head.toString('latin1', 0, end);
      this.#status = Number(text.slice(9, 12));
      if (/\r\ntransfer-encoding:/i.test(text)) return this.#fail(new Error('chunked answer: no Content-Length to count'));
      const length = /\r\ncontent-length: *(\d+)/i.exec(text);
      this.#length = length === null ? 0 : Number(length[1]);
      if (length === null && this.#status !== 204 && this.#status !== 304) return this.#fail(new Error('answer without Content-Length'));
      this.#remaining = this.#length - (head.length - end - HEAD_END.length);
    } else {
      this.#remaining -= bytes;
    }
    if (this.#remaining > 0) return undefined;
    if (this.#remaining < 0) return this.#fail(new Error(`${-this.#remaining} bytes beyond Content-Length`));
    const { resolve } = this.#pending;
    this.#pending = undefined;
    resolve({ status: this.#status, bytes: this.#length });
    return undefined;
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}
