/** The roles a user may hold. `admin` has every right; the others gain rights through grants. */
export const ROLES = ['admin', 'analyst', 'liaison', 'incident-handler', 'exercise-controller', 'read-only'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a string names a known role. */
export function isRole(value: string): value is Role {
  return (ROLES as ReadonlyArray<string>).includes(value);
}

/** Who is calling, once authenticated: what every authorisation decision is made on. */
export interface Principal {
  readonly name: string;
  readonly roles: ReadonlyArray<string>;
}

/** Whether the principal holds the admin role. */
export function isAdmin(principal: Principal): boolean {
  return principal.roles.includes('admin');
}
