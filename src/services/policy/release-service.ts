/**
 * The release decision applied to real reads: labels resolved from the store, the recipient
 * prepared from its profile or organisation, each object decided, the result made a consistent
 * graph, and decisions about data leaving the node written to the decision log.
 */
import { EntenteError, isEntenteError } from '../../core/errors.js';
import { labelsOfObject } from '../../core/labels/index.js';
import type { AllianceDirectory, ClassificationPolicy, ObjectLabels, SecurityLabel } from '../../core/labels/types.js';
import { decide, decideProjected, type DecisionInput } from '../../core/policy/release-decision.js';
import { addReferences, graphProjectionOf, projectedKey, projectionOf, type ReleaseFacts } from '../../core/policy/release-facts.js';
import type { Json } from '../../core/policy/redaction.js';
import { consistentRelease, outsideReferences, releasedBeyond, type JudgedObject, type ReleaseItem } from '../../core/policy/release-set.js';
import { prepareRecipient, type PreparedRecipient } from '../../core/policy/recipient.js';
import type { Organisation, ReleaseDecision, UserProfile } from '../../core/policy/types.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import { decisionsEntryOf } from '../../core/ledger/decision-tuples.js';
import type { LedgerEntry } from '../../core/ledger/entries.js';
import { recordDecisions, type LedgerStore } from '../../ports/ledger-store.js';
import type { DecisionChannel, DecisionRecord, PolicyStore } from '../../ports/policy-store.js';
import { versionOf, type ObjectStore, type StixLike, type StoredObject } from '../../ports/store.js';
import type { Audience, ReleaseGate } from '../intel/release-gate.js';
import { markingRefsOf, type MarkingResolver } from './marking-resolver.js';
import type { DirectoryState, PolicyDirectory } from './policy-directory.js';
import { TextKeyedMap } from './text-keyed-map.js';

/** What the node itself contributes to every decision. */
export interface NodePolicy {
  /** This node's own organisation. */
  readonly organisation: Organisation;
  /** Applied to objects that carry no marking (DESIGN "Intel in": every object carries a label). */
  readonly defaultLabel: SecurityLabel;
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  readonly alliances: AllianceDirectory;
  /** Also log reads by this node's own users (they do not leave the node; off by default). */
  readonly logLocalReads: boolean;
}

export interface ReleaseServiceDeps {
  readonly store: Pick<ObjectStore, 'getLatest' | 'latestReleaseFacts' | 'neighbours'> & Pick<PolicyStore, 'getUserProfile' | 'appendDecisions'> & LedgerStore;
  readonly clock: Clock;
  readonly node: NodePolicy;
  readonly directory: PolicyDirectory;
  readonly markings: MarkingResolver;
}

/**
 * A recipient prepared for reads, kept while what it was prepared from stands: the same directory
 * state (PolicyDirectory: changes through this process at once, others within its time to live)
 * and the same agreements in force (until the next start or end of one). Consecutive pages for
 * the same reader then share it, and with it the decisions already made for each release-facts
 * key: a label's verdict depends on the recipient and the label only, save for a label's expiry,
 * which is never kept (see `keepsAcrossReads`).
 */
interface PreparedEntry {
  readonly state: DirectoryState;
  readonly recipient: PreparedRecipient;
  /** The time (Clock ms) at which the agreements in force change next. */
  readonly until: number;
  /** Decisions by release-facts key (undefined: the key needs the whole object). */
  readonly decisions: TextKeyedMap<ReleaseDecision | null>;
  /** Labels by the JSON of an object's marking refs and granular markings. */
  readonly labels: Map<string, ObjectLabels>;
}

/** Readers whose prepared recipient is kept, and decisions kept per reader: bounds on memory. */
const MAX_PREPARED = 256;
const MAX_KEPT_DECISIONS = 4_096;

export class ReleaseService implements ReleaseGate {
  readonly #deps: ReleaseServiceDeps;
  readonly #prepared = new Map<string, PreparedEntry>();

  constructor(deps: ReleaseServiceDeps) {
    this.#deps = deps;
  }

  get node(): NodePolicy {
    return this.#deps.node;
  }

  /** The recipient an audience stands for; undefined for the local operator, who sees everything. */
  async prepare(audience: Audience, overrides: {
    readonly agreements?: PreparedRecipient['context']['agreements'];
    /** Judge the recipient under this agreement only (dry runs); the others still decide what may be passed on. */
    readonly onlyUnder?: string;
  } = {}): Promise<PreparedRecipient | undefined> {
    if (audience.kind === 'operator') return undefined;
    if (overrides.agreements === undefined && overrides.onlyUnder === undefined) return (await this.#preparedFor(audience)).recipient;
    return this.#prepareAfresh(audience, await this.#deps.directory.state(), overrides);
  }

  /**
   * The kept recipient of an audience, prepared again when the directory or the agreements in
   * force have changed since; its decision time is always now.
   */
  async #preparedFor(audience: Exclude<Audience, { kind: 'operator' }>): Promise<PreparedEntry> {
    const state = await this.#deps.directory.state();
    const key = audience.kind === 'party' ? `party:${audience.code}` : `user:${audience.principal.name}\n${audience.principal.roles.join(',')}`;
    const nowMs = this.#deps.clock.now();
    const kept = this.#prepared.get(key);
    if (kept !== undefined && kept.state === state && nowMs < kept.until) {
      const now = stixNow(this.#deps.clock);
      if (kept.recipient.context.now === now) return kept;
      // Label expiry is judged at the decision time: the same recipient, decided now.
      return { ...kept, recipient: { ...kept.recipient, context: { ...kept.recipient.context, now } } };
    }
    const recipient = await this.#prepareAfresh(audience, state, {});
    const entry: PreparedEntry = { state, recipient, until: nextAgreementChange(state, nowMs), decisions: new TextKeyedMap(), labels: new Map() };
    if (this.#prepared.size >= MAX_PREPARED) this.#prepared.clear();
    this.#prepared.set(key, entry);
    return entry;
  }

  async #prepareAfresh(audience: Exclude<Audience, { kind: 'operator' }>, state: DirectoryState, overrides: {
    readonly agreements?: PreparedRecipient['context']['agreements'];
    readonly onlyUnder?: string;
  }): Promise<PreparedRecipient> {
    const { node } = this.#deps;
    const context = {
      node: node.organisation, organisations: state.organisations, agreements: overrides.agreements ?? state.agreements,
      policies: node.policies, alliances: node.alliances, now: stixNow(this.#deps.clock),
    };
    if (audience.kind === 'party') {
      const organisation = state.organisations.get(audience.code);
      if (organisation === undefined) throw new EntenteError('ENTENTE_PARTY_UNKNOWN', `No organisation has the code ${audience.code}`);
      const prepared = prepareRecipient({ kind: 'peer', organisation }, context);
      return overrides.onlyUnder === undefined ? prepared : { ...prepared, terms: prepared.terms.filter((t) => t.agreement.id === overrides.onlyUnder) };
    }
    const { principal } = audience;
    const profile = await this.#deps.store.getUserProfile(principal.name);
    const user: UserProfile = profile === undefined
      ? { name: principal.name, nationality: node.organisation.country, clearances: [], caveats: [], roles: principal.roles }
      : { ...profile, roles: principal.roles };
    return prepareRecipient({ kind: 'user', user }, context);
  }

  /**
   * This node as the recipient of what `sender` pushes: the same decision, seen from the other
   * side. The sender may send only what an agreement in force between it and this node lets it
   * release to this node, under this node's ceilings, and third parties' data only where their
   * agreements let the sender pass it on (DESIGN "Intel in": a sender cannot push above the
   * ceilings).
   */
  async prepareInbound(sender: string): Promise<PreparedRecipient> {
    const state = await this.#deps.directory.state();
    const from = state.organisations.get(sender);
    if (from === undefined) throw new EntenteError('ENTENTE_PARTY_UNKNOWN', `No organisation has the code ${sender}`);
    const { node } = this.#deps;
    return prepareRecipient({ kind: 'peer', organisation: node.organisation }, {
      node: from, organisations: state.organisations, agreements: state.agreements, policies: node.policies, alliances: node.alliances, now: stixNow(this.#deps.clock),
    });
  }

  /** Each object decided alone (no graph pass, no log): for checking what a peer pushed. */
  async decideEach(recipient: PreparedRecipient, objects: ReadonlyArray<StixLike>): Promise<ReadonlyArray<ReleaseDecision>> {
    return objects.map(this.#decider(recipient, await this.labelsOfAll(objects), undefined));
  }

  /**
   * The labels of objects read together (one marking lookup for all of them); each call of the
   * result may throw ENTENTE_LABEL_UNKNOWN_MARKING for its object.
   */
  async labelsOfAll(objects: ReadonlyArray<StixLike>): Promise<(object: StixLike) => ObjectLabels> {
    const resolve = await this.#deps.markings.resolverFor(objects);
    const options = { defaultLabel: this.#deps.node.defaultLabel, policies: this.#deps.node.policies };
    return (object) => labelsOfObject(object, resolve, options);
  }

  /** Decides one object at a time with labels read by `labelsOf`; an unreadable marking withholds the object. */
  #decider(recipient: PreparedRecipient, labelsOf: (object: StixLike) => ObjectLabels, victims: ReadonlySet<string> | undefined): (object: StixLike) => ReleaseDecision {
    return (object) => {
      let labels: ObjectLabels;
      try {
        labels = labelsOf(object);
      } catch (error) {
        // Fail closed: a marking that cannot be read now (deleted, or from an older node) withholds the object.
        if (!isEntenteError(error)) throw error;
        return unreadable(error);
      }
      const input: DecisionInput = victims === undefined ? { object, labels } : { object, labels, victims };
      return decide(recipient, input);
    };
  }

  /**
   * Decides every object for one recipient and makes the result a consistent graph: references
   * to objects outside the set are decided too (not logged), so a relationship never goes
   * without its endpoints.
   */
  async decideAll(recipient: PreparedRecipient, objects: ReadonlyArray<StixLike>): Promise<ReadonlyArray<ReleaseDecision>> {
    const victims = await this.#victims(recipient, objects);
    const one = this.#decider(recipient, await this.labelsOfAll(objects), victims);
    const items: ReleaseItem[] = objects.map((object) => ({ object, decision: one(object) }));
    const outside = outsideReferences(items.filter((i) => i.decision.outcome !== 'deny'));
    const releasedOutside = await releasedBeyond(outside, async (ids) => {
      const looked = (await Promise.all(ids.map((id) => this.#deps.store.getLatest(id)))).filter((o): o is StixLike => o !== undefined);
      const other = this.#decider(recipient, await this.labelsOfAll(looked), victims);
      return new Map(looked.map((object) => [object.id, judged(object, other(object))]));
    });
    return consistentRelease(items, releasedOutside);
  }

  async releaseObjects(audience: Audience, objects: ReadonlyArray<StixLike>, channel: DecisionChannel): Promise<ReadonlyArray<StixLike>> {
    const recipient = await this.prepare(audience);
    if (recipient === undefined || objects.length === 0) return objects;
    const decisions = await this.decideAll(recipient, objects);
    await this.#log(recipient, loggedVersions(objects), decisions, channel);
    const out: StixLike[] = [];
    decisions.forEach((d) => {
      if (d.outcome !== 'deny' && d.object !== undefined) out.push(d.object as StixLike);
    });
    return out;
  }

  async releaseStored(audience: Audience, stored: ReadonlyArray<StoredObject>, channel: DecisionChannel): Promise<ReadonlyArray<StoredObject>> {
    if (audience.kind === 'operator' || stored.length === 0) return stored;
    const entry = await this.#preparedFor(audience);
    const recipient = entry.recipient;
    if (stored.every((s) => s.release !== undefined)) return this.#releaseByFacts(entry, stored, channel);
    const objects = stored.map((s) => s.object);
    const decisions = await this.decideAll(recipient, objects);
    await this.#log(recipient, stored, decisions, channel);
    const out: StoredObject[] = [];
    decisions.forEach((d, i) => {
      const s = stored[i] as StoredObject;
      if (d.outcome === 'allow') out.push(s);
      else if (d.outcome === 'redact' && d.object !== undefined) out.push(redactedStored(s, d.object as StixLike));
    });
    return out;
  }

  /**
   * The same release as `decideAll` on the whole objects, decided from the release facts the
   * store keeps beside each version (core/policy/release-facts.ts): each distinct set of
   * labelling properties is decided once, and an object released unchanged goes as its stored
   * text, never parsed. An object is parsed only when its decision must look inside it (a
   * granular part, a redaction rule) or the graph pass removes references from it.
   */
  async #releaseByFacts(entry: PreparedEntry, stored: ReadonlyArray<StoredObject>, channel: DecisionChannel): Promise<ReadonlyArray<StoredObject>> {
    const { recipient } = entry;
    const labelsByMarkings = entry.labels;
    // Stripping victims reads an object's references: then they are part of what is decided.
    const victims = stripsVictims(recipient) ? await this.#victims(recipient, stored.map((s) => projectionOf(s.id, s.release as ReleaseFacts))) : undefined;
    // Decisions kept from earlier reads by this recipient, unless this page's victims are part of them.
    const byKey = new DecisionsByKey(victims === undefined ? entry.decisions : undefined);
    const keyOf = victims === undefined
      ? (id: string, type: string, facts: ReleaseFacts): string => projectedKey(id, type, facts)
      : (id: string, type: string, facts: ReleaseFacts): string => `${projectedKey(id, type, facts)}\n${facts.refs ?? ''}`;
    const pending = new Map<string, Json>();
    const note = (id: string, type: string, facts: ReleaseFacts): void => {
      const key = keyOf(id, type, facts);
      if (byKey.get(key) === undefined && !pending.has(key)) pending.set(key, projectionOf(id, facts));
    };
    const decidePending = async (): Promise<void> => {
      if (pending.size === 0) return;
      const resolve = await this.#deps.markings.resolverForRefs([...pending.values()].flatMap(markingRefsOf));
      const options = { defaultLabel: this.#deps.node.defaultLabel, policies: this.#deps.node.policies };
      for (const [key, projection] of pending) {
        let labels: ObjectLabels;
        try {
          // Labels come from the markings alone; one label object per set of markings also lets
          // the decision reuse its verdict on that label (release-decision.ts memoises by label).
          const markings = JSON.stringify([projection['object_marking_refs'], projection['granular_markings']]);
          labels = labelsByMarkings.get(markings) ?? labelsOfObject(projection, resolve, options);
          if (labelsByMarkings.size >= MAX_KEPT_DECISIONS) labelsByMarkings.clear();
          labelsByMarkings.set(markings, labels);
        } catch (error) {
          // Not kept: the marking may be stored by the next read.
          if (!isEntenteError(error)) throw error;
          byKey.set(key, unreadable(error), false);
          continue;
        }
        byKey.set(key, decideProjected(recipient, victims === undefined ? { object: projection, labels } : { object: projection, labels, victims }) ?? null, keepsAcrossReads(labels));
      }
      pending.clear();
    };

    /**
     * Which of `outside` (ids beyond the page) the recipient may receive: each decided from its
     * latest version's facts like the page's objects, with the graph rules applied beyond the page.
     */
    const decideOutside = (outside: ReadonlyArray<string>): Promise<Set<string>> => releasedBeyond(outside, async (ids) => {
      const out = new Map<string, JudgedObject>();
      const latest = await this.#deps.store.latestReleaseFacts(ids);
      const byText: string[] = [];
      for (const id of ids) {
        const l = latest.get(id);
        if (l === undefined) continue;
        if (l.release === undefined) byText.push(id);
        else note(id, l.type, l.release);
      }
      await decidePending();
      for (const id of ids) {
        const l = latest.get(id);
        if (l?.release === undefined) continue;
        const found = byKey.get(keyOf(id, l.type, l.release));
        if (found === null || found === undefined) byText.push(id);
        else out.set(id, { object: graphProjectionOf(id, l.type, l.release), released: found.outcome !== 'deny' });
      }
      if (byText.length > 0) {
        const looked = (await Promise.all(byText.map((id) => this.#deps.store.getLatest(id)))).filter((o): o is StixLike => o !== undefined);
        const other = this.#decider(recipient, await this.labelsOfAll(looked), victims);
        for (const object of looked) out.set(object.id, judged(object, other(object)));
      }
      return out;
    });

    // One look-up per object: a page's keys are fresh strings, and hashing them is the cost.
    const keys: string[] = [];
    const decided: Array<ReleaseDecision | null | undefined> = [];
    for (const s of stored) {
      const facts = s.release as ReleaseFacts;
      const key = keyOf(s.id, s.type, facts);
      const found = byKey.get(key);
      keys.push(key);
      decided.push(found);
      if (found === undefined && !pending.has(key)) pending.set(key, projectionOf(s.id, facts));
    }
    if (pending.size > 0) {
      await decidePending();
      decided.forEach((d, i) => {
        if (d === undefined) decided[i] = byKey.get(keys[i] as string);
      });
    }

    // The usual page: everything on it goes unchanged. Then only the references leaving the
    // page remain to be checked, and nothing per object is built.
    let checked: Set<string> | undefined;
    if (decided.every((d) => d !== null && d !== undefined && d.outcome === 'allow')) {
      const beyond = new Set<string>();
      for (const s of stored) {
        const refs = (s.release as ReleaseFacts).refs;
        if (refs !== undefined) addReferences(refs, beyond);
      }
      // Measured: hashing the page's ids costs less than looking up their latest facts.
      if (beyond.size > 0) for (const s of stored) beyond.delete(s.id);
      const outside = [...beyond];
      checked = await decideOutside(outside);
      if (outside.every((id) => checked?.has(id) === true)) {
        if (this.#logs(recipient)) await this.#log(recipient, stored, decided as ReleaseDecision[], channel);
        return stored;
      }
    }
    // Objects whose decision needs their content are decided whole, together.
    const whole: number[] = [];
    keys.forEach((key, i) => {
      if (byKey.get(key) === null) whole.push(i);
    });
    const decideWhole = whole.length === 0 ? undefined : this.#decider(recipient, await this.labelsOfAll(whole.map((i) => (stored[i] as StoredObject).object)), victims);
    const projected: boolean[] = [];
    const items: ReleaseItem[] = stored.map((s, i) => {
      const facts = s.release as ReleaseFacts;
      const found = byKey.get(keys[i] as string);
      projected[i] = found !== null && found !== undefined;
      if (found === null || found === undefined) return { object: s.object, decision: (decideWhole as (o: StixLike) => ReleaseDecision)(s.object) };
      const object = graphProjectionOf(s.id, s.type, facts);
      return { object, decision: found.outcome === 'deny' ? found : { ...found, object } };
    });

    // References leaving the page: decided from the latest version's facts in the same way.
    const outside = outsideReferences(items.filter((i) => i.decision.outcome !== 'deny'));
    // Every object went above: the same references, already decided (only those beyond the
    // page: the page decides its own objects, which the graph pass may withhold).
    const releasedOutside = checked === undefined ? await decideOutside(outside) : new Set(outside.filter((id) => checked?.has(id) === true));

    // When nothing on the page is withheld and every reference beyond it is released, the graph
    // pass has nothing to remove (the usual page).
    const nothingWithheld = items.every((i) => i.decision.outcome !== 'deny') && outside.every((id) => releasedOutside.has(id));
    const decisions = nothingWithheld ? items.map((i) => i.decision) : consistentRelease(items, releasedOutside);
    await this.#log(recipient, stored, decisions, channel);
    let released: Set<string> | undefined;
    const out: StoredObject[] = [];
    decisions.forEach((d, i) => {
      const s = stored[i] as StoredObject;
      const item = items[i] as ReleaseItem;
      if (d.outcome === 'deny') return;
      if (d.outcome === 'allow') {
        out.push(s);
        return;
      }
      if (d.object === undefined) return;
      if (!projected[i]) {
        out.push(redactedStored(s, d.object as StixLike));
        return;
      }
      // The graph pass removed references from a projection: the same pass on the whole object.
      released ??= new Set([...releasedOutside, ...stored.filter((_, n) => decisions[n]?.outcome !== 'deny').map((x) => x.id)]);
      const object = s.object;
      const [again] = consistentRelease([{ object, decision: { ...item.decision, object } }], released);
      if (again !== undefined && again.outcome !== 'deny' && again.object !== undefined) out.push(again.outcome === 'allow' ? s : redactedStored(s, again.object as StixLike));
    });
    return out;
  }

  /** Decisions about data that leaves the node (to a peer, or a user of another organisation) are logged. */
  #logs(recipient: PreparedRecipient): boolean {
    return recipient.organisation !== undefined || this.#deps.node.logLocalReads;
  }

  async #log(recipient: PreparedRecipient, objects: ReadonlyArray<LoggedVersion>, decisions: ReadonlyArray<ReleaseDecision>, channel: DecisionChannel): Promise<void> {
    if (!this.#logs(recipient)) return;
    const at = stixNow(this.#deps.clock);
    const records: DecisionRecord[] = decisions.map((d, i) => {
      const object = objects[i] as LoggedVersion;
      return {
        at, recipient: recipient.key, channel, objectId: object.id, objectVersion: object.version,
        ...(d.agreement === undefined ? {} : { agreementId: d.agreement.id, agreementVersion: d.agreement.version }),
        outcome: d.outcome, ...(d.reason === undefined ? {} : { reason: d.reason }), steps: d.steps,
      };
    });
    // Releases and denials to other organisations also go to the ledger, where no one can
    // rewrite them later (issue: who received a leaked report, and when): one leaf per read,
    // whose inclusion proof proves each decision in it, written with the decisions.
    // The compact form (decisions-v2): the page's agreements once, each decision a tuple.
    const entries: LedgerEntry[] = recipient.organisation === undefined || records.length === 0 ? [] : [decisionsEntryOf(at, recipient.key, channel, records)];
    await recordDecisions(this.#deps.store, records, entries);
  }

  /** Identities targeted by a `targets` relationship, when a rule in force strips victims. */
  async #victims(recipient: PreparedRecipient, objects: ReadonlyArray<Json>): Promise<ReadonlySet<string> | undefined> {
    if (!stripsVictims(recipient)) return undefined;
    const candidates = new Set<string>();
    for (const o of objects) {
      if (o['type'] === 'identity' && typeof o['id'] === 'string') candidates.add(o['id']);
      for (const [key, value] of Object.entries(o)) {
        if (key === 'created_by_ref') continue;
        if (key.endsWith('_ref') && typeof value === 'string' && value.startsWith('identity--')) candidates.add(value);
        if (key.endsWith('_refs') && Array.isArray(value)) for (const v of value) if (typeof v === 'string' && v.startsWith('identity--')) candidates.add(v);
      }
    }
    const victims = new Set<string>();
    await Promise.all([...candidates].map(async (id) => {
      const around = await this.#deps.store.neighbours({ id, depth: 1, direction: 'in' });
      if (around.edges.some((e) => e.target === id && e.kind === 'relationship' && e.label === 'targets')) victims.add(id);
    }));
    return victims;
  }
}

/**
 * The decisions of one read by release-facts key: those of this read, over those kept from
 * earlier reads by the same recipient (`kept`, when this read's decisions may be kept).
 */
class DecisionsByKey {
  readonly #own = new TextKeyedMap<ReleaseDecision | null>();
  readonly #kept: TextKeyedMap<ReleaseDecision | null> | undefined;

  constructor(kept: TextKeyedMap<ReleaseDecision | null> | undefined) {
    // Full: started again between reads, never during one (a read finds what it has decided).
    if (kept !== undefined && kept.size >= MAX_KEPT_DECISIONS) kept.clear();
    this.#kept = kept;
  }

  get(key: string): ReleaseDecision | null | undefined {
    // Nothing recorded is undefined: a miss in this read's own falls through to those kept.
    if (this.#own.size > 0) {
      const own = this.#own.get(key);
      if (own !== undefined) return own;
    }
    return this.#kept?.get(key);
  }

  /** Records a decision; `keep` lets later reads by the same recipient reuse it. */
  set(key: string, decision: ReleaseDecision | null, keep: boolean): void {
    if (keep && this.#kept !== undefined && this.#kept.size < MAX_KEPT_DECISIONS) this.#kept.set(key, decision);
    else this.#own.set(key, decision);
  }
}

/** A decision may be kept for later reads unless a label involved expires: expiry is judged at each read's time. */
function keepsAcrossReads(labels: ObjectLabels): boolean {
  return labels.object.handling.expiresAt === undefined && labels.granular.every((g) => g.label.handling.expiresAt === undefined);
}

/** When (Clock ms) an active agreement next starts or ends after `nowMs`: the agreements in force change then. */
function nextAgreementChange(state: DirectoryState, nowMs: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const a of state.agreements) {
    if (a.status !== 'active') continue;
    for (const at of [a.validFrom, a.validUntil]) {
      if (at === undefined) continue;
      const ms = Date.parse(at);
      if (ms > nowMs && ms < next) next = ms;
    }
  }
  return next;
}

/** Whether an agreement in force strips victims' identities: the graph decides those, object by object. */
function stripsVictims(recipient: PreparedRecipient): boolean {
  return recipient.terms.some((t) => t.agreement.redactions.some((r) => r.kind === 'strip-victim-identities'));
}

/** A marking that cannot be read now (deleted, or from an older node) withholds the object: fail closed. */
function unreadable(error: Error): ReleaseDecision {
  return { outcome: 'deny', reason: 'unreadable-label', steps: [{ rule: 'label', outcome: 'fail', detail: error.message }] };
}

/** The stored version redacted: its text no longer matches, so the object is serialised afresh. */
function redactedStored(s: StoredObject, object: StixLike): StoredObject {
  return { id: s.id, type: s.type, version: s.version, specVersion: s.specVersion, dateAdded: s.dateAdded, object };
}

/** What the decision log names: the object and its version (a stored version's own, at ms precision). */
interface LoggedVersion {
  readonly id: string;
  readonly version: string;
}

function loggedVersions(objects: ReadonlyArray<StixLike>): LoggedVersion[] {
  return objects.map((o) => ({ id: o.id, version: versionOf(o) }));
}

/** An object beyond the read as its decision would send it. */
function judged(object: StixLike, decision: ReleaseDecision): JudgedObject {
  return { object: (decision.object as Json | undefined) ?? object, released: decision.outcome !== 'deny' };
}
