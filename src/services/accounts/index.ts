export { AccountService, type AccountServiceDeps, type CreatedToken, type TokenInfo } from './account-service.js';
export { ROLES, isRole, isAdmin, type Role, type Principal } from './principal.js';
export { hashPassword, verifyPassword, DEFAULT_SCRYPT_COST, type ScryptCost } from './password-hash.js';
