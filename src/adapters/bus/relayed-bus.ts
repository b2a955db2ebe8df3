import { EntenteError } from '../../core/errors.js';
import type { Bus, Consumption, PublishAck, PublishOptions } from '../../ports/bus.js';
import type { LinkHandlers, ProcessLink } from '../system/process-link.js';

/**
 * The bus of a serving worker process (`entente start --workers N`): what it publishes (the
 * change feed of its writes) goes to the primary process, which holds the node's bus and runs its
 * consumers (federation). A worker consumes nothing: a consumer asked for here is refused.
 */
export class RelayedBus implements Bus {
  readonly #link: ProcessLink;

  constructor(link: ProcessLink) {
    this.#link = link;
  }

  publish(subject: string, data: Uint8Array, options: PublishOptions = {}): Promise<PublishAck> {
    return this.#link.call<PublishAck>('bus.publish', { subject, data, ...(options.msgId === undefined ? {} : { msgId: options.msgId }) });
  }

  consume(): Promise<Consumption> {
    return Promise.reject(new EntenteError('ENTENTE_INTERNAL', 'A serving worker process consumes nothing from the bus: consumers run in the primary process'));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The primary's side: publishes on its bus what a worker relays. */
export function busRelay(bus: Bus): LinkHandlers {
  return {
    'bus.publish': async (argument) => {
      const { subject, data, msgId } = argument as { subject: string; data: Uint8Array; msgId?: string };
      return bus.publish(subject, data, msgId === undefined ? {} : { msgId });
    },
  };
}
