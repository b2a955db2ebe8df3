/**
 * A map keyed by texts (release-facts keys, ~200 characters) whose look-ups do not hash the text
 * looked up. Every object of a TAXII page brings its key as a fresh string read from the store,
 * and a `Map` hashes each such string whole before it can find the decision kept for it: about
 * 4 % of a page's CPU at 1M objects, for a page that holds a dozen distinct keys. Here a key is
 * found by a fingerprint of its length and a few of its characters (a number, which hashes for
 * free), then compared with the texts of that fingerprint, most often one; the comparison stops
 * at the first differing character.
 *
 * Texts that share a fingerprint beyond `MAX_CHAIN` go to a plain `Map`, so that keys made to
 * collide cost at most a few comparisons more, never a walk of every key.
 */
export class TextKeyedMap<V> {
  readonly #chains = new Map<number, Entry<V>[]>();
  readonly #overflow = new Map<string, V>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    const chain = this.#chains.get(fingerprint(key));
    if (chain !== undefined) {
      for (const entry of chain) if (entry.key === key) return entry.value;
      if (chain.length < MAX_CHAIN) return undefined;
    }
    return this.#overflow.size === 0 ? undefined : this.#overflow.get(key);
  }

  set(key: string, value: V): void {
    const print = fingerprint(key);
    const chain = this.#chains.get(print);
    if (chain === undefined) {
      this.#chains.set(print, [{ key, value }]);
      this.#size++;
      return;
    }
    for (const entry of chain) {
      if (entry.key === key) {
        entry.value = value;
        return;
      }
    }
    if (chain.length < MAX_CHAIN) {
      chain.push({ key, value });
      this.#size++;
      return;
    }
    if (!this.#overflow.has(key)) this.#size++;
    this.#overflow.set(key, value);
  }

  clear(): void {
    this.#chains.clear();
    this.#overflow.clear();
    this.#size = 0;
  }
}

interface Entry<V> {
  readonly key: string;
  value: V;
}

/** Texts compared per fingerprint before the rest go to a hashed map. */
const MAX_CHAIN = 8;

/**
 * The length and characters at a few places: near the end (where release keys differ by their
 * labels and sectors), in the middle, and near the start (where identities' keys differ by id).
 * Any function would be correct, since every match is confirmed by comparing the texts.
 */
export function fingerprint(text: string): number {
  const n = text.length;
  if (n < 16) {
    let h = n;
    for (let i = 0; i < n; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return h;
  }
  let h = n;
  h = (h * 31 + text.charCodeAt(n - 3)) | 0;
  h = (h * 31 + text.charCodeAt(n - 4)) | 0;
  h = (h * 31 + text.charCodeAt(n - 5)) | 0;
  h = (h * 31 + text.charCodeAt(n - 7)) | 0;
  h = (h * 31 + text.charCodeAt(n - 10)) | 0;
  h = (h * 31 + text.charCodeAt(n - 14)) | 0;
  h = (h * 31 + text.charCodeAt(n >> 1)) | 0;
  h = (h * 31 + text.charCodeAt(n >> 2)) | 0;
  h = (h * 31 + text.charCodeAt(13)) | 0;
  h = (h * 31 + text.charCodeAt(15)) | 0;
  // The last characters of an id's UUID when the text starts with an id (`identity--` + 36).
  h = (h * 31 + text.charCodeAt(Math.min(44, n - 1))) | 0;
  h = (h * 31 + text.charCodeAt(Math.min(42, n - 1))) | 0;
  return h;
}
