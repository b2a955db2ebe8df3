/**
 * The policy engine's administration: the directory of organisations, users' profiles
 * (nationality, clearances, accreditations), agreements with every version kept and every change
 * recorded, dry runs before activation, and the decision log.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parseDocument } from 'yaml';
import { EntenteError } from '../../core/errors.js';
import { ORGANISATION_KINDS, type AllianceDirectory, type OrganisationKind } from '../../core/labels/types.js';
import { parseClassification, readAgreement, type AgreementContext } from '../../core/policy/agreement-reader.js';
import { diffAgreements, type AgreementChange } from '../../core/policy/simulation.js';
import { AGREEMENT_STATUSES, type Agreement, type AgreementStatus, type Organisation, type UserProfile } from '../../core/policy/types.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { AgreementRecord, DecisionPage, DecisionQuery, PolicyStore } from '../../ports/policy-store.js';
import { recordLedgerEntries, type LedgerStore } from '../../ports/ledger-store.js';
import type { AccountStore } from '../../ports/store.js';
import type { PolicyDirectory } from './policy-directory.js';
import type { NodePolicy } from './release-service.js';

export interface PolicyServiceDeps {
  readonly store: PolicyStore & Pick<AccountStore, 'getUser'> & LedgerStore;
  readonly clock: Clock;
  readonly node: NodePolicy;
  readonly directory: PolicyDirectory;
}

export interface OrganisationInput {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly country: string;
  readonly memberships?: ReadonlyArray<string>;
  readonly sectors?: ReadonlyArray<string>;
  /** The STIX identity id, when the organisation already has one (from a peer); a new one otherwise. */
  readonly id?: string;
}

export interface ProfileInput {
  readonly nationality?: string;
  /** `POLICY LEVEL` texts, e.g. `NATO SECRET`, `DEU GEHEIM`. */
  readonly clearances?: ReadonlyArray<string>;
  readonly caveats?: ReadonlyArray<string>;
  readonly organisation?: string;
}

export interface SubmitResult {
  readonly record: AgreementRecord;
  /** False when the text changes nothing of the latest version (no new version is written). */
  readonly created: boolean;
  readonly changes: ReadonlyArray<AgreementChange>;
}

const CODE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
const TRIGRAPH = /^[A-Z]{3}$/;
const IDENTITY_ID = /^identity--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class PolicyService {
  readonly #store: PolicyServiceDeps['store'];
  readonly #clock: Clock;
  readonly #node: NodePolicy;
  readonly #directory: PolicyDirectory;

  constructor(deps: PolicyServiceDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#node = deps.node;
    this.#directory = deps.directory;
  }

  get node(): NodePolicy {
    return this.#node;
  }

  /** Makes sure the node's own organisation is in the directory (at start). */
  async ensureNodeOrganisation(): Promise<void> {
    const own = this.#node.organisation;
    const existing = await this.#store.getOrganisation(own.code);
    if (existing !== undefined && existing.country === own.country && existing.kind === own.kind) return;
    await this.#store.putOrganisation({ ...own, ...(existing === undefined ? {} : { id: existing.id, name: existing.name, memberships: existing.memberships, sectors: existing.sectors }) });
    this.#directory.invalidate();
  }

  async addOrganisation(input: OrganisationInput): Promise<Organisation> {
    const org = checkOrganisation(input, this.#node.alliances);
    if ((await this.#store.getOrganisation(org.code)) !== undefined) throw new EntenteError('ENTENTE_CONFLICT', `An organisation with the code ${org.code} already exists`);
    await this.#store.putOrganisation(org);
    this.#directory.invalidate();
    return org;
  }

  /**
   * Changes an organisation. A new identity id (a directory file that names the organisation's
   * STIX identity) replaces the old one: objects are attributed to organisations by that id.
   */
  async updateOrganisation(code: string, input: Partial<OrganisationInput>): Promise<Organisation> {
    const existing = await this.getOrganisation(code);
    const org = checkOrganisation({ ...existing, ...input, code: existing.code, id: input.id ?? existing.id }, this.#node.alliances);
    if (org.id !== existing.id) {
      await this.#store.deleteOrganisation(code);
      try {
        await this.#store.putOrganisation(org);
      } catch (error) {
        await this.#store.putOrganisation(existing);
        throw error;
      }
    } else {
      await this.#store.putOrganisation(org);
    }
    this.#directory.invalidate();
    return org;
  }

  async getOrganisation(code: string): Promise<Organisation> {
    const org = await this.#store.getOrganisation(code);
    if (org === undefined) throw new EntenteError('ENTENTE_PARTY_UNKNOWN', `No organisation has the code ${code}`);
    return org;
  }

  async listOrganisations(): Promise<ReadonlyArray<Organisation>> {
    return this.#store.listOrganisations();
  }

  /** Removes an organisation that no agreement names (agreements keep their history, so they would dangle). */
  async removeOrganisation(code: string): Promise<void> {
    if (code === this.#node.organisation.code) throw new EntenteError('ENTENTE_CONFLICT', `${code} is this node's own organisation`);
    const naming = (await this.#store.listAgreements()).filter((r) => r.agreement.parties.includes(code)).map((r) => r.agreement.id);
    if (naming.length > 0) throw new EntenteError('ENTENTE_CONFLICT', `${code} is a party to ${naming.join(', ')}: expire or change those agreements first`);
    if (!(await this.#store.deleteOrganisation(code))) throw new EntenteError('ENTENTE_PARTY_UNKNOWN', `No organisation has the code ${code}`);
    this.#directory.invalidate();
  }

  async getProfile(name: string): Promise<UserProfile> {
    const user = await this.#store.getUser(name);
    if (user === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No user ${name}`);
    return (await this.#store.getUserProfile(name)) ?? { name, nationality: this.#node.organisation.country, clearances: [], caveats: [], roles: user.roles };
  }

  /** Sets what the release decision knows of a user; fields not given keep their value. */
  async setProfile(name: string, input: ProfileInput): Promise<UserProfile> {
    const current = await this.getProfile(name);
    const details: Array<{ path: string; message: string }> = [];
    const nationality = input.nationality ?? current.nationality;
    if (!/^[A-Z]{3}$/.test(nationality)) details.push({ path: 'nationality', message: `"${nationality}" is not an ISO 3166-1 alpha-3 trigraph such as DEU` });
    const clearances = input.clearances === undefined ? current.clearances : input.clearances.map((text, i) => {
      const c = parseClassification(text, this.#node.policies);
      if (c === undefined) details.push({ path: `clearances[${i}]`, message: `"${text}" is not a classification: write the policy then the level, e.g. NATO SECRET` });
      return c;
    }).filter((c): c is NonNullable<typeof c> => c !== undefined);
    if (new Set(clearances.map((c) => c.policy)).size !== clearances.length) details.push({ path: 'clearances', message: 'give at most one clearance per classification policy' });
    const caveats = input.caveats === undefined ? current.caveats : input.caveats.map((c) => c.trim().toUpperCase()).filter((c) => c !== '');
    const organisation = input.organisation ?? current.organisation;
    if (organisation !== undefined && organisation !== '' && (await this.#store.getOrganisation(organisation)) === undefined) {
      details.push({ path: 'organisation', message: `unknown organisation ${organisation}` });
    }
    if (details.length > 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The profile of ${name} is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    const profile: UserProfile = {
      name, nationality, clearances, caveats, roles: current.roles,
      ...(organisation === undefined || organisation === '' || organisation === this.#node.organisation.code ? {} : { organisation }),
    };
    await this.#store.putUserProfile(profile);
    // Prepared recipients are kept per directory state: a new profile must be seen at once.
    this.#directory.invalidate();
    return profile;
  }

  /** What an agreement is checked against: the directory as it is now. */
  async agreementContext(): Promise<AgreementContext> {
    const organisations = await this.#store.listOrganisations();
    return { nodeOrganisation: this.#node.organisation.code, organisations: new Map(organisations.map((o) => [o.code, o])), policies: this.#node.policies, alliances: this.#node.alliances };
  }

  /** Reads and checks an agreement's YAML without recording it (for `agreements validate` and dry runs). */
  async readAgreementText(text: string): Promise<Agreement> {
    return readAgreement(text, await this.agreementContext(), 1);
  }

  /**
   * Records the YAML text as the next version of its agreement (the first, for a new id). Text
   * that changes nothing records nothing.
   */
  async submitAgreement(text: string, actor: string): Promise<SubmitResult> {
    const parsed = readAgreement(text, await this.agreementContext(), 1);
    const latest = await this.#store.getAgreement(parsed.id);
    const agreement: Agreement = { ...parsed, version: (latest?.agreement.version ?? 0) + 1 };
    const changes = latest === undefined ? [] : diffAgreements(latest.agreement, agreement);
    if (latest !== undefined && changes.length === 0) return { record: latest, created: false, changes };
    const record: AgreementRecord = { agreement, source: text, recordedAt: stixNow(this.#clock), recordedBy: actor, change: latest === undefined ? 'created' : summary(changes) };
    await this.#store.saveAgreement(record);
    await this.#ledger(record);
    this.#directory.invalidate();
    return { record, created: true, changes };
  }

  /** Activates, suspends or expires an agreement: a new version whose only change is the status. */
  async setAgreementStatus(id: string, status: string, actor: string): Promise<SubmitResult> {
    if (!(AGREEMENT_STATUSES as ReadonlyArray<string>).includes(status)) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `"${status}" is not an agreement status (one of ${AGREEMENT_STATUSES.join(', ')})`, [{ path: 'status', message: 'unknown status' }]);
    }
    const latest = await this.getAgreement(id);
    if (latest.agreement.status === status) return { record: latest, created: false, changes: [] };
    // The YAML keeps its authors' comments and layout: only the status line changes.
    const doc = parseDocument(latest.source);
    doc.set('status', status);
    const agreement: Agreement = { ...latest.agreement, status: status as AgreementStatus, version: latest.agreement.version + 1 };
    const record: AgreementRecord = {
      agreement, source: doc.toString(), recordedAt: stixNow(this.#clock), recordedBy: actor, change: `status ${latest.agreement.status} -> ${status}`,
    };
    await this.#store.saveAgreement(record);
    await this.#ledger(record);
    this.#directory.invalidate();
    return { record, created: true, changes: diffAgreements(latest.agreement, agreement) };
  }

  /** Every agreement change goes to the ledger, with a hash of its text, where no party can rewrite it. */
  async #ledger(record: AgreementRecord): Promise<void> {
    await recordLedgerEntries(this.#store, [{
      kind: 'agreement-change', at: record.recordedAt, agreementId: record.agreement.id, version: record.agreement.version,
      change: record.change, recordedBy: record.recordedBy, sourceHash: createHash('sha256').update(record.source).digest('hex'),
    }]);
  }

  async getAgreement(id: string, version?: number): Promise<AgreementRecord> {
    const record = await this.#store.getAgreement(id, version);
    if (record === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', version === undefined ? `No agreement ${id}` : `No version ${version} of agreement ${id}`);
    return record;
  }

  async listAgreements(): Promise<ReadonlyArray<AgreementRecord>> {
    return this.#store.listAgreements();
  }

  async agreementHistory(id: string): Promise<ReadonlyArray<AgreementRecord>> {
    const versions = await this.#store.listAgreementVersions(id);
    if (versions.length === 0) throw new EntenteError('ENTENTE_NOT_FOUND', `No agreement ${id}`);
    return versions;
  }

  /** What changed between two versions of one agreement. */
  async diffVersions(id: string, from: number, to: number): Promise<ReadonlyArray<AgreementChange>> {
    const [a, b] = await Promise.all([this.getAgreement(id, from), this.getAgreement(id, to)]);
    return diffAgreements(a.agreement, b.agreement);
  }

  async decisions(query: Omit<DecisionQuery, 'limit'> & { readonly limit?: number }): Promise<DecisionPage> {
    return this.#store.queryDecisions({ ...query, limit: Math.max(1, Math.min(query.limit ?? 100, 1000)) });
  }
}

function summary(changes: ReadonlyArray<AgreementChange>): string {
  const paths = changes.map((c) => c.path);
  return `changed ${paths.slice(0, 6).join(', ')}${paths.length > 6 ? ` and ${paths.length - 6} more` : ''}`;
}

function checkOrganisation(input: OrganisationInput, alliances: AllianceDirectory): Organisation {
  const details: Array<{ path: string; message: string }> = [];
  if (!CODE.test(input.code)) details.push({ path: 'code', message: `"${input.code}" is not an organisation code: 2-32 upper-case letters, digits and -` });
  if (input.name.trim() === '') details.push({ path: 'name', message: 'a name is required' });
  if (!(ORGANISATION_KINDS as ReadonlyArray<string>).includes(input.kind)) details.push({ path: 'kind', message: `"${input.kind}" is not a kind (one of ${ORGANISATION_KINDS.join(', ')})` });
  if (!TRIGRAPH.test(input.country) && alliances[input.country] === undefined) details.push({ path: 'country', message: `"${input.country}" is not a country trigraph (DEU) or an alliance (${Object.keys(alliances).join(', ')})` });
  if (input.id !== undefined && !IDENTITY_ID.test(input.id)) details.push({ path: 'id', message: `"${input.id}" is not a STIX identity id` });
  for (const [i, m] of (input.memberships ?? []).entries()) if (alliances[m] === undefined) details.push({ path: `memberships[${i}]`, message: `"${m}" is not an alliance (${Object.keys(alliances).join(', ')})` });
  if (details.length > 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The organisation is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  return {
    id: input.id ?? `identity--${randomUUID()}`, code: input.code, name: input.name.trim(), kind: input.kind as OrganisationKind, country: input.country,
    memberships: [...(input.memberships ?? [])], sectors: [...(input.sectors ?? [])],
  };
}
