/** Rule table of the meta objects (section 7): marking-definition, language-content, extension-definition. */
import type { IssueSink } from '../issues.js';
import type { JsonRecord, TypeRule } from './property-spec.js';
import { closed, dict, list, ref, str, strs, ts } from './property-spec.js';
import { externalReferences, granularMarkings, markingRefs } from './common-rules.js';
import { EXTENSION_TYPE_ENUM } from './vocabularies.js';
import { checkMarkingDefinition } from './marking-rules.js';
import { pathKey } from '../../json/json-path.js';

/** Section 7.3.1: extension_properties only with toplevel-property-extension. */
function checkExtensionProperties(value: JsonRecord, sink: IssueSink, path: string): void {
  const types = value['extension_types'];
  if (value['extension_properties'] !== undefined && !(Array.isArray(types) && types.includes('toplevel-property-extension'))) {
    sink.error('dependent-property', `${path}.extension_properties`, 'extension_properties is only allowed when extension_types contains toplevel-property-extension');
  }
}

const LANG = /^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$/;

/** Section 7.1: contents maps language codes (RFC 5646) to dictionaries of translated properties. */
function checkContents(value: JsonRecord, sink: IssueSink, path: string): void {
  const contents = value['contents'];
  if (contents === null || typeof contents !== 'object' || Array.isArray(contents)) return;
  for (const [lang, translation] of Object.entries(contents)) {
    const at = pathKey(pathKey(path, 'contents'), lang);
    if (!LANG.test(lang)) sink.error('invalid-format', at, `contents keys are RFC 5646 language codes, not ${JSON.stringify(lang)}`);
    if (translation === null || typeof translation !== 'object' || Array.isArray(translation)) sink.error('invalid-type', at, 'each language maps to an object of translated properties');
  }
}

const special = { kind: 'any' } as const;
const millis = { kind: 'timestamp', millis: true } as const;

export const META_RULES: Readonly<Record<string, TypeRule>> = {
  'marking-definition': {
    category: 'meta', name: 'marking-definition', required: ['type', 'spec_version', 'id', 'created'],
    constraints: [{ kind: 'check', check: checkMarkingDefinition }],
    properties: {
      type: special, spec_version: special, id: special, created_by_ref: ref(['identity']), created: ts,
      external_references: externalReferences, object_marking_refs: markingRefs, granular_markings: granularMarkings,
      extensions: special, name: str, definition_type: str, definition: special,
    },
  },
  'language-content': {
    category: 'meta', name: 'language-content', required: ['type', 'spec_version', 'id', 'created', 'modified', 'object_ref', 'contents'],
    constraints: [{ kind: 'check', check: checkContents }],
    properties: {
      type: special, spec_version: special, id: special, created_by_ref: ref(['identity']), created: millis, modified: millis,
      revoked: { kind: 'boolean' }, labels: strs, confidence: { kind: 'integer', min: 0, max: 100 }, external_references: externalReferences,
      object_marking_refs: markingRefs, granular_markings: granularMarkings, extensions: special,
      object_ref: ref('any'), object_modified: ts, contents: dict,
    },
  },
  'extension-definition': {
    category: 'meta', name: 'extension-definition',
    required: ['type', 'spec_version', 'id', 'created_by_ref', 'created', 'modified', 'name', 'schema', 'version', 'extension_types'],
    constraints: [{ kind: 'check', check: checkExtensionProperties }],
    properties: {
      type: special, spec_version: special, id: special, created_by_ref: ref(['identity']), created: millis, modified: millis,
      revoked: { kind: 'boolean' }, labels: strs, external_references: externalReferences, object_marking_refs: markingRefs,
      granular_markings: granularMarkings, name: str, description: str, schema: str, version: str,
      extension_types: list(closed('extension-type-enum', EXTENSION_TYPE_ENUM)), extension_properties: strs,
    },
  },
};
