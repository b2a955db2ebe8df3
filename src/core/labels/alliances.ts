/**
 * Alliance membership as data, for `REL TO` lists that name an alliance tetragraph. Members are
 * ISO 3166-1 alpha-3 trigraphs. Update when membership changes; an agreement never overrides it.
 */
import type { AllianceDirectory } from './types.js';

/** NATO's 32 members (Sweden joined on 7 March 2024). */
const NATO = [
  'ALB', 'BEL', 'BGR', 'CAN', 'CZE', 'DEU', 'DNK', 'ESP', 'EST', 'FIN', 'FRA', 'GBR', 'GRC', 'HRV', 'HUN', 'ISL',
  'ITA', 'LTU', 'LUX', 'LVA', 'MKD', 'MNE', 'NLD', 'NOR', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'SWE', 'TUR', 'USA',
] as const;

/** The 27 member states of the European Union. */
const EU = [
  'AUT', 'BEL', 'BGR', 'CYP', 'CZE', 'DEU', 'DNK', 'ESP', 'EST', 'FIN', 'FRA', 'GRC', 'HRV', 'HUN', 'IRL', 'ITA',
  'LTU', 'LUX', 'LVA', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'SWE',
] as const;

/** The Five Eyes. */
const FVEY = ['AUS', 'CAN', 'GBR', 'NZL', 'USA'] as const;

export const ALLIANCES: AllianceDirectory = { NATO, EU, FVEY };

/** The tetragraphs of the alliances `country` belongs to, sorted. */
export function alliancesOf(country: string, directory: AllianceDirectory = ALLIANCES): ReadonlyArray<string> {
  return Object.keys(directory).filter((alliance) => directory[alliance]?.includes(country) === true).sort();
}
