/**
 * The `extensions` property (sections 6.1 and 7.3): keys are predefined `*-ext` names valid for the
 * object's type or extension-definition ids; extension instances declare their `extension_type`.
 */
import type { IssueSink } from './issues.js';
import type { Category } from './rules/property-spec.js';
import { checkShape, isRecord } from './check-value.js';
import { parseIdentifier } from './identifier.js';
import { SCO_EXTENSION_RULES } from './rules/sco-extension-rules.js';
import { EXTENSION_TYPE_ENUM } from './rules/vocabularies.js';
import { pathKey } from '../json/json-path.js';

const EXTENSION_TYPES = new Set(EXTENSION_TYPE_ENUM);
const NEW_TYPE: Readonly<Record<string, Category>> = { 'new-sdo': 'sdo', 'new-sco': 'sco', 'new-sro': 'sro' };

/** What the extensions of an object say about the object itself. */
export interface ExtensionFacts {
  /** The object is a new type defined by an extension-definition (new-sdo, new-sco, new-sro). */
  readonly definesCategory: Category | undefined;
  /** A toplevel-property-extension adds properties at the top level. */
  readonly toplevel: boolean;
}

/** Reads the extension types declared, without reporting anything (used before the checks). */
export function extensionFacts(extensions: unknown): ExtensionFacts {
  let definesCategory: Category | undefined;
  let toplevel = false;
  if (isRecord(extensions)) {
    for (const instance of Object.values(extensions)) {
      if (!isRecord(instance)) continue;
      const type = instance['extension_type'];
      if (typeof type !== 'string') continue;
      definesCategory ??= NEW_TYPE[type];
      if (type === 'toplevel-property-extension') toplevel = true;
    }
  }
  return { definesCategory, toplevel };
}

/**
 * Checks `extensions` of an object of `type`; `predefined` lists the `*-ext` names the type may carry.
 */
export function checkExtensions(extensions: unknown, type: string, predefined: ReadonlyArray<string>, path: string, sink: IssueSink): void {
  if (!isRecord(extensions)) {
    sink.error('invalid-type', path, 'extensions must be an object keyed by extension name or extension-definition id');
    return;
  }
  if (Object.keys(extensions).length === 0) sink.error('empty-dictionary', path, 'Empty dictionaries are prohibited: omit extensions instead');
  for (const [key, instance] of Object.entries(extensions)) {
    const at = pathKey(path, key);
    if (!isRecord(instance)) {
      sink.error('invalid-type', at, 'An extension must be an object');
      continue;
    }
    if (key.startsWith('extension-definition--')) {
      checkDefinedExtension(key, instance, at, sink);
      continue;
    }
    const shape = SCO_EXTENSION_RULES[key];
    if (shape !== undefined) {
      if (predefined.includes(key)) checkShape(instance, shape, at, sink);
      else sink.error('invalid-extension', at, `${key} is not an extension of ${type}`);
    } else if (/^[a-z0-9][a-z0-9-]*-ext$/.test(key) && key.length <= 250) {
      sink.warn('custom-extension', at, `${key} is a custom extension in the deprecated STIX 2.0 style: define it with an extension-definition`);
    } else {
      sink.error('invalid-extension-key', at, 'Extension keys are predefined *-ext names or extension-definition ids');
    }
  }
}

function checkDefinedExtension(key: string, instance: { readonly [k: string]: unknown }, at: string, sink: IssueSink): void {
  const parsed = parseIdentifier(key);
  if (typeof parsed === 'string' || parsed.type !== 'extension-definition') {
    sink.error('invalid-extension-key', at, `${key} is not a valid extension-definition identifier`);
  }
  const type = instance['extension_type'];
  if (type === undefined) {
    sink.warn('extension-type-missing', pathKey(at, 'extension_type'), 'An extension instance should state its extension_type');
  } else if (typeof type !== 'string' || !EXTENSION_TYPES.has(type)) {
    sink.error('invalid-enum', pathKey(at, 'extension_type'), `extension_type must be one of ${EXTENSION_TYPE_ENUM.join(', ')}`);
  }
}
