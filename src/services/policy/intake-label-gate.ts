import { isEntenteError } from '../../core/errors.js';
import { labelOfMarkingDefinition, labelsOfObject, parseBanner, printBanner, type ClassificationPolicy, type SecurityLabel } from '../../core/labels/index.js';
import type { StixLike } from '../../ports/store.js';
import type { LabelGate, LabelVerdict } from '../intel/label-gate.js';
import type { MarkingResolver } from './marking-resolver.js';
import type { NodePolicy } from './release-service.js';

/**
 * Why a marking-definition's `name` misleads, if it does: a name that reads as a banner must be
 * the banner of the label the definition carries, since a recipient reads the name (a definition
 * named `TLP:CLEAR` that carries NATO SECRET would be handled as TLP:CLEAR by whoever reads it).
 * A name that is not a banner (free text) says nothing a reader would act on, and is kept.
 */
function misleadingName(definition: StixLike, label: SecurityLabel, policies: ReadonlyArray<ClassificationPolicy>): string | undefined {
  const name = definition['name'];
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  let named: SecurityLabel;
  try {
    named = parseBanner(name, { policies });
  } catch {
    return undefined;
  }
  const says = printBanner(named, policies);
  const is = printBanner(label, policies);
  return says === is ? undefined : `the name reads as ${says}, but the definition carries ${is}: a recipient would handle it as its name says`;
}

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
        if (object.type === 'marking-definition') {
          const label = labelOfMarkingDefinition(object, this.#node.policies);
          const misnamed = misleadingName(object, label, this.#node.policies);
          if (misnamed !== undefined) return { kind: 'reject', message: misnamed, path: '$.name' };
        }
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
