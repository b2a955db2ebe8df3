import { EntenteError, type ErrorCode, type ErrorDetail } from '../../core/errors.js';

/**
 * Calls between a node's serving processes over their IPC channel (`process` in a worker, the
 * cluster `Worker` in the primary): a request names a method and carries its argument, the other
 * side answers with the result or the error it raised. Messages are tagged so that they never
 * meet the cluster module's own. The channel must use advanced serialization (binary data, Maps).
 */
export interface IpcChannel {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export type LinkHandlers = Readonly<Record<string, (argument: unknown) => Promise<unknown>>>;

interface Call { readonly entente: 'call'; readonly id: number; readonly method: string; readonly argument: unknown }
interface Answer { readonly entente: 'answer'; readonly id: number; readonly result?: unknown; readonly error?: { readonly message: string; readonly code?: string; readonly details?: ReadonlyArray<ErrorDetail> } }

const isCall = (m: unknown): m is Call => typeof m === 'object' && m !== null && (m as Call).entente === 'call';
const isAnswer = (m: unknown): m is Answer => typeof m === 'object' && m !== null && (m as Answer).entente === 'answer';

export class ProcessLink {
  readonly #channel: IpcChannel;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  readonly #listener: (message: unknown) => void;
  #next = 1;
  #closed = false;

  constructor(channel: IpcChannel, handlers: LinkHandlers) {
    this.#channel = channel;
    this.#listener = (message) => {
      if (isAnswer(message)) {
        const pending = this.#pending.get(message.id);
        if (pending === undefined) return;
        this.#pending.delete(message.id);
        if (message.error === undefined) pending.resolve(message.result);
        else pending.reject(message.error.code === undefined ? new Error(message.error.message) : new EntenteError(message.error.code as ErrorCode, message.error.message, message.error.details ?? []));
      } else if (isCall(message)) {
        const handler = handlers[message.method];
        const answer = handler === undefined
          ? Promise.reject(new Error(`no method ${message.method} on the other side of the process link`))
          : Promise.resolve().then(() => handler(message.argument));
        answer.then(
          (result) => this.#send({ entente: 'answer', id: message.id, result }),
          (error: unknown) => this.#send({ entente: 'answer', id: message.id, error: error instanceof EntenteError ? { message: error.message, code: error.code, details: error.details } : { message: error instanceof Error ? error.message : String(error) } }),
        );
      }
    };
    channel.on('message', this.#listener);
  }

  #send(message: Call | Answer): void {
    if (this.#closed) return;
    try {
      this.#channel.send(message);
    } catch {
      // The other process is gone: its calls are failed by close().
    }
  }

  /** Calls `method` on the other side; with `timeoutMs`, an answer later than that is an error (and is ignored when it comes). */
  call<T>(method: string, argument: unknown, timeoutMs?: number): Promise<T> {
    if (this.#closed) return Promise.reject(new EntenteError('ENTENTE_INTERNAL', `The process link is closed: ${method} was not called`));
    const id = this.#next;
    this.#next += 1;
    return new Promise<T>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        this.#pending.delete(id);
        reject(new EntenteError('ENTENTE_INTERNAL', `No answer to ${method} over the process link within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (): void => {
        if (timer !== undefined) clearTimeout(timer);
      };
      this.#pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value as T);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.#send({ entente: 'call', id, method, argument });
    });
  }

  /** Fails every call still waiting (the other process exited) and stops listening. */
  close(reason = 'the other process exited'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.off('message', this.#listener);
    for (const { reject } of this.#pending.values()) reject(new EntenteError('ENTENTE_INTERNAL', `No answer over the process link: ${reason}`));
    this.#pending.clear();
  }
}
