import { isEntenteError } from '../../core/errors.js';
import { labelOfMarkingDefinition, labelsOfObject } from '../../core/labels/index.js';
import type { StixLike } from '../../ports/store.js';
import type { LabelGate, LabelVerdict } from '../intel/label-gate.js';
import type { MarkingResolver } from './marking-resolver.js';
import type { NodePolicy } from './release-service.js';

/**
 * The label check of the intake path: every marking an object refers to must be one this node
 * can read (built in, stored, or brought in the same input), and every marking-definition must
 * carry a label Entente understands. An object that fails is refused with the JSON path of the
 * marking, never stored as if it were unmarked. Objects with no marking at all are accepted:
 * the node's default label applies to them when they are released.
 */
export class IntakeLabelGate implements LabelGate {
  readonly #markings: MarkingResolver;
  readonly #node: NodePolicy;

  constructor(markings: MarkingResolver, node: NodePolicy) {
    this.#markings = markings;
    this.#node = node;
  }

  async check(objects: ReadonlyArray<StixLike>): Promise<ReadonlyArray<LabelVerdict>> {
    const resolve = await this.#markings.resolverFor(objects);
    const options = { defaultLabel: this.#node.defaultLabel, policies: this.#node.policies };
    return objects.map((object): LabelVerdict => {
      try {
        if (object.type === 'marking-definition') labelOfMarkingDefinition(object, this.#node.policies);
        labelsOfObject(object, resolve, options);
        return { kind: 'accept' };
      } catch (error) {
        if (!isEntenteError(error)) throw error;
        const detail = error.details[0];
        return { kind: 'reject', message: detail?.message ?? error.message, ...(detail?.path === undefined ? {} : { path: detail.path }) };
      }
    });
  }
}
