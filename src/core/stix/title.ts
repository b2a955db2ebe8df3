/** Properties that name an object for a person, in order of preference. */
const TITLE_PROPERTIES = [
  'name', 'value', 'pattern', 'path', 'key', 'display_name', 'user_id', 'account_login', 'subject',
  'abstract', 'opinion', 'content', 'url', 'number', 'pid', 'command_line', 'country', 'region', 'product', 'definition_type',
] as const;

const MAX_TITLE = 200;

/**
 * The short human label search results and listings show: the first of name, value, pattern,
 * path, key (and a few type-specific ones) that is present, else `source relationship target`
 * for relationships, `sighting of <ref>` for sightings, `ALGORITHM:digest` for hashed files and
 * artifacts, else the id.
 */
export function titleOf(object: { readonly [k: string]: unknown }): string {
  for (const property of TITLE_PROPERTIES) {
    const value = object[property];
    if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return clip(String(value));
  }
  if (object['type'] === 'relationship' && typeof object['relationship_type'] === 'string') {
    return clip(`${String(object['source_ref'])} ${object['relationship_type']} ${String(object['target_ref'])}`);
  }
  if (object['type'] === 'sighting' && typeof object['sighting_of_ref'] === 'string') return clip(`sighting of ${object['sighting_of_ref']}`);
  const hashes = object['hashes'];
  if (hashes !== null && typeof hashes === 'object' && !Array.isArray(hashes)) {
    const [algorithm, digest] = Object.entries(hashes)[0] ?? [];
    if (algorithm !== undefined && typeof digest === 'string') return clip(`${algorithm}:${digest}`);
  }
  return typeof object['id'] === 'string' ? object['id'] : '';
}

function clip(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= MAX_TITLE ? single : `${single.slice(0, MAX_TITLE - 1)}…`;
}
