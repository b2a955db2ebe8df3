import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { ROLES } from '../../services/accounts/index.js';
import { adminOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses } from './schemas.js';

const USER_NAME = { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,64}$', description: '1-64 letters, digits or . _ @ -' } as const;
const rolesSchema = { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...ROLES] } } as const;
const password = { type: 'string', minLength: 12, maxLength: 1024, description: 'At least 12 characters' } as const;

export const userSchema = {
  type: 'object',
  required: ['name', 'roles', 'createdAt', 'disabled'],
  properties: {
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    disabled: { type: 'boolean' },
  },
} as const;

interface NameParams { readonly name: string }
interface NewUser { readonly name: string; readonly password: string; readonly roles: ReadonlyArray<string> }
interface UserChange { readonly password?: string; readonly roles?: ReadonlyArray<string>; readonly disabled?: boolean }

/** User administration; every route needs the admin role. */
export function userRoutes(deps: RestDeps): FastifyPluginAsync {
  const find = async (name: string) => {
    const user = (await deps.accounts.listUsers()).find((u) => u.name === name);
    if (user === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No user ${name}`, [{ path: 'name', message: 'not found' }]);
    return user;
  };
  const nameParams = { type: 'object', required: ['name'], properties: { name: USER_NAME } } as const;

  return async (app) => {
    app.get('/users', {
      schema: { tags: ['users'], summary: 'Every user (admin)', response: { 200: { type: 'array', items: userSchema }, ...errorResponses(403) } },
    }, async (request) => {
      adminOf(request);
      return deps.accounts.listUsers();
    });

    app.post<{ Body: NewUser }>('/users', {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin)',
        body: { type: 'object', required: ['name', 'password', 'roles'], additionalProperties: false, properties: { name: USER_NAME, password, roles: rolesSchema } },
        response: { 201: userSchema, ...errorResponses(403, 409) },
      },
    }, async (request, reply) => {
      adminOf(request);
      const user = await deps.accounts.createUser(request.body.name, request.body.password, request.body.roles);
      // Named field by field: the password hash must never reach an answer.
      return reply.code(201).send({ name: user.name, roles: user.roles, createdAt: user.createdAt, disabled: user.disabled });
    });

    app.patch<{ Params: NameParams; Body: UserChange }>('/users/:name', {
      schema: {
        tags: ['users'],
        summary: 'Change a user\'s password, roles or disabled flag (admin)',
        params: nameParams,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: { password, roles: rolesSchema, disabled: { type: 'boolean' } } },
        response: { 200: userSchema, ...errorResponses(403, 404, 409) },
      },
    }, async (request) => {
      const admin = adminOf(request);
      const { name } = request.params;
      const change = request.body;
      await find(name);
      // An administrator cannot lock themselves out: that needs a second administrator.
      if (name === admin.name && (change.disabled === true || (change.roles !== undefined && !change.roles.includes('admin')))) {
        throw new EntenteError('ENTENTE_CONFLICT', 'You cannot disable yourself or drop your own admin role; ask another administrator');
      }
      if (change.password !== undefined) await deps.accounts.setPassword(name, change.password);
      if (change.roles !== undefined) await deps.accounts.setRoles(name, change.roles);
      if (change.disabled !== undefined) await deps.accounts.setDisabled(name, change.disabled);
      return find(name);
    });

    app.delete<{ Params: NameParams }>('/users/:name', {
      schema: {
        tags: ['users'],
        summary: 'Delete a user (admin)',
        params: nameParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(403, 404, 409) },
      },
    }, async (request, reply) => {
      const admin = adminOf(request);
      if (request.params.name === admin.name) throw new EntenteError('ENTENTE_CONFLICT', 'You cannot delete your own account; ask another administrator');
      await deps.accounts.deleteUser(request.params.name);
      return reply.code(204).send();
    });
  };
}
