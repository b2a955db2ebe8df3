/**
 * Marking-definition rules (section 7.2): the definition forms, the predefined TLP 1.0 objects
 * (7.2.1.4: no other TLP instances may be created) and the TLP 2.0 extension.
 */
import type { IssueSink } from '../issues.js';
import type { JsonRecord } from './property-spec.js';
import { pathKey } from '../../json/json-path.js';

/** The four TLP 1.0 marking-definitions the specification predefines, by colour. */
export const TLP1_MARKING_IDS: Readonly<Record<string, string>> = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

/** The extension-definition that carries TLP 2.0 levels. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The TLP 2.0 marking-definitions published by OASIS, by `tlp_2_0` value. */
export const TLP2_MARKING_IDS: Readonly<Record<string, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function checkMarkingDefinition(value: JsonRecord, sink: IssueSink, path: string): void {
  const extensions = value['extensions'];
  const type = value['definition_type'];
  const definition = value['definition'];
  if (extensions === undefined) {
    if (type === undefined) sink.error('required-property', `${path}.definition_type`, 'definition_type is required when there are no extensions');
    if (definition === undefined) sink.error('required-property', `${path}.definition`, 'definition is required when there are no extensions');
  }
  if (definition !== undefined && !isRecord(definition)) sink.error('invalid-type', `${path}.definition`, 'definition must be an object');
  if (type === 'statement' && isRecord(definition) && typeof definition['statement'] !== 'string') {
    sink.error('required-property', `${path}.definition.statement`, 'a statement marking needs a statement string');
  }
  if (type === 'tlp' && isRecord(definition)) checkTlp1(value, definition, sink, path);
  if (isRecord(extensions) && isRecord(extensions[TLP2_EXTENSION_ID])) checkTlp2(value, extensions[TLP2_EXTENSION_ID], sink, pathKey(pathKey(path, 'extensions'), TLP2_EXTENSION_ID));
  const id = value['id'];
  const own = value['object_marking_refs'];
  if (Array.isArray(own)) {
    own.forEach((r, i) => {
      if (r === id) sink.error('circular-marking', `${path}.object_marking_refs[${i}]`, 'a marking-definition must not mark itself');
    });
  }
}

function checkTlp1(value: JsonRecord, definition: JsonRecord, sink: IssueSink, path: string): void {
  const colour = definition['tlp'];
  const expected = typeof colour === 'string' ? TLP1_MARKING_IDS[colour] : undefined;
  if (expected === undefined) {
    sink.error('invalid-tlp-marking', `${path}.definition.tlp`, `tlp must be white, green, amber or red, not ${JSON.stringify(colour)}`);
  } else if (value['id'] !== expected) {
    sink.error('invalid-tlp-marking', `${path}.id`, `TLP ${String(colour)} must use the predefined id ${expected}; other TLP marking-definitions must not be created`);
  }
}

function checkTlp2(value: JsonRecord, extension: JsonRecord, sink: IssueSink, path: string): void {
  const level = extension['tlp_2_0'];
  const expected = typeof level === 'string' ? TLP2_MARKING_IDS[level] : undefined;
  if (expected === undefined) {
    sink.error('invalid-tlp-marking', `${path}.tlp_2_0`, `tlp_2_0 must be clear, green, amber, amber+strict or red, not ${JSON.stringify(level)}`);
  } else if (value['id'] !== expected) {
    sink.warn('tlp-marking-id', `${path}.tlp_2_0`, `TLP:${String(level).toUpperCase()} should use the OASIS id ${expected}`);
  }
}
