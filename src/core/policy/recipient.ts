/**
 * A recipient prepared once for many decisions: its label subject, and for a peer the
 * agreements in force with it at this moment. A TAXII page decides a hundred objects for one
 * recipient, so everything that depends only on the recipient is computed here, not per object.
 */
import type { AllianceDirectory, ClassificationPolicy, LabelSubject } from '../labels/types.js';
import type { Agreement, Ceiling, Organisation, Recipient } from './types.js';

/** What the node knows when it decides: itself, the directory, the agreements and the time. */
export interface PolicyContext {
  /** This node's own organisation. */
  readonly node: Organisation;
  /** The directory by organisation code. */
  readonly organisations: ReadonlyMap<string, Organisation>;
  readonly agreements: ReadonlyArray<Agreement>;
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  readonly alliances: AllianceDirectory;
  /** The decision time (from the Clock port): validity and expiry are judged at it. */
  readonly now: string;
}

/** One agreement as it applies to one peer. */
export interface PeerTerms {
  readonly agreement: Agreement;
  readonly ceiling: Ceiling;
  /** The peer as a label subject whose clearances are the agreement's classification ceilings. */
  readonly subject: LabelSubject;
}

export interface PreparedRecipient {
  /** `peer:<code>` or `user:<name>`, as written in the decision log. */
  readonly key: string;
  readonly context: PolicyContext;
  /** Present for users: their own clearance, nationality and accreditations. */
  readonly user?: LabelSubject;
  /** Present for peers and for users of another organisation: the organisation data goes to. */
  readonly organisation?: Organisation;
  /** The agreements in force with that organisation, in id order. */
  readonly terms: ReadonlyArray<PeerTerms>;
  /** Origins (by identity id) whose data this organisation may receive onward, with the agreement that allows it. */
  readonly onwardFrom: ReadonlyMap<string, Agreement>;
  /** Organisations by STIX identity id, to find the origin of an object from its `created_by_ref`. */
  readonly byIdentity: ReadonlyMap<string, Organisation>;
}

/** The alliances a country or organisation belongs to, from the directory and its own memberships. */
export function alliancesFor(country: string, memberships: ReadonlyArray<string>, alliances: AllianceDirectory): ReadonlyArray<string> {
  const out = new Set<string>(memberships);
  for (const [name, members] of Object.entries(alliances)) if (members.includes(country) || name === country) out.add(name);
  return [...out].sort();
}

/** Whether the agreement is in force at `now`: active, started and not ended. */
export function inForce(agreement: Agreement, now: string): boolean {
  return agreement.status === 'active' && agreement.validFrom <= now && (agreement.validUntil === undefined || now < agreement.validUntil);
}

function ceilingFor(agreement: Agreement, code: string): Ceiling {
  return agreement.ceilings[code] ?? agreement.defaultCeiling;
}

/** Kinds an alliance or country named in an `onward` entry stands for: its public bodies, not every company in it. */
const PUBLIC_KINDS: ReadonlySet<string> = new Set(['nation', 'agency', 'alliance', 'international-organisation']);

/**
 * Whether `targets` (codes, countries or alliances from an `onward` entry) include this
 * organisation. Naming a country or an alliance covers its public bodies; a private partner or
 * a university must be named by its own code.
 */
export function onwardIncludes(targets: ReadonlyArray<string>, organisation: Organisation, alliances: ReadonlyArray<string>): boolean {
  if (targets.includes(organisation.code)) return true;
  if (!PUBLIC_KINDS.has(organisation.kind)) return false;
  return targets.some((t) => t === organisation.country || alliances.includes(t));
}

export function prepareRecipient(recipient: Recipient, context: PolicyContext): PreparedRecipient {
  const byIdentity = new Map<string, Organisation>();
  for (const o of context.organisations.values()) byIdentity.set(o.id, o);
  if (recipient.kind === 'user') {
    const u = recipient.user;
    const user: LabelSubject = {
      country: u.nationality, alliances: alliancesFor(u.nationality, [], context.alliances), clearances: u.clearances, caveats: u.caveats,
    };
    const foreign = u.organisation !== undefined && u.organisation !== context.node.code ? context.organisations.get(u.organisation) : undefined;
    if (u.organisation !== undefined && u.organisation !== context.node.code && foreign === undefined) {
      // A user of an organisation the directory does not know gets what no agreement covers: nothing.
      return { key: `user:${u.name}`, context, user, organisation: { ...context.node, id: '', code: u.organisation, kind: 'private-partner', memberships: [] }, terms: [], onwardFrom: new Map(), byIdentity };
    }
    if (foreign === undefined) return { key: `user:${u.name}`, context, user, terms: [], onwardFrom: new Map(), byIdentity };
    return { key: `user:${u.name}`, context, user, byIdentity, ...peerPart(foreign, context) };
  }
  return { key: `peer:${recipient.organisation.code}`, context, byIdentity, ...peerPart(recipient.organisation, context) };
}

function peerPart(organisation: Organisation, context: PolicyContext): Pick<PreparedRecipient, 'organisation' | 'terms' | 'onwardFrom'> {
  const alliances = alliancesFor(organisation.country, organisation.memberships, context.alliances);
  const inForceNow = context.agreements.filter((a) => inForce(a, context.now)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const terms = inForceNow
    .filter((a) => a.parties.includes(context.node.code) && a.parties.includes(organisation.code))
    .map((agreement) => {
      const ceiling = ceilingFor(agreement, organisation.code);
      return { agreement, ceiling, subject: { country: organisation.country, alliances, clearances: ceiling.classifications, caveats: [] } };
    });
  // Data that came from a third party may go on only where an agreement with that origin lets
  // this node pass it to this organisation (the origin's `onward` entry for this node).
  const onwardFrom = new Map<string, Agreement>();
  for (const a of inForceNow) {
    const targets = a.onward[context.node.code];
    if (targets === undefined || !onwardIncludes(targets, organisation, alliances)) continue;
    for (const code of a.parties) {
      const origin = context.organisations.get(code);
      if (origin !== undefined && code !== context.node.code && !onwardFrom.has(origin.id)) onwardFrom.set(origin.id, a);
    }
  }
  return { organisation, terms, onwardFrom };
}
