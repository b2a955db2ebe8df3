import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { colour, makeOutput, table } from '../output.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';

type Flags = NodeFlags & { json?: boolean };
const sub = (name: string) => withNodeOptions(new Command(name)).option('--json', 'machine output');

export function usersCommand(): Command {
  const users = new Command('users').description('Manage the users of this node');
  users.addCommand(
    sub('list').description('List users with their roles').action(async (opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const list = await node.accounts.listUsers();
        if (out.json) return out.data(list);
        out.line(table(['NAME', 'ROLES', 'DISABLED', 'CREATED'], list.map((u) => [u.name, u.roles.join(','), u.disabled ? colour.red('yes') : 'no', u.createdAt])));
      });
    }),
  );
  users.addCommand(
    sub('add')
      .description('Create a user; the password is generated and shown once unless given (or ENTENTE_USER_PASSWORD)')
      .argument('<name>')
      .option('--role <roles>', 'comma-separated: admin, analyst, liaison, incident-handler, exercise-controller, read-only', 'analyst')
      .option('--password <password>', 'at least 12 characters')
      .action(async (name: string, opts: Flags & { role: string; password?: string }) => {
        const out = makeOutput(opts.json === true);
        const given = opts.password ?? process.env['ENTENTE_USER_PASSWORD'];
        const password = given ?? randomBytes(15).toString('base64url');
        await withNode(opts, async (node) => {
          const user = await node.accounts.createUser(name, password, opts.role.split(','));
          if (out.json) return out.data({ name: user.name, roles: user.roles, ...(given === undefined ? { password } : {}) });
          out.line(`${colour.green('created')} user ${colour.bold(user.name)} (${user.roles.join(', ')})`);
          if (given === undefined) out.line(`  password: ${colour.bold(password)}  ${colour.dim('(shown once)')}`);
        });
      }),
  );
  users.addCommand(
    sub('set-password').description('Set a user\'s password (from --password or ENTENTE_USER_PASSWORD)').argument('<name>')
      .requiredOption('--password <password>', 'at least 12 characters')
      .action(async (name: string, opts: Flags & { password: string }) => {
        await withNode(opts, (node) => node.accounts.setPassword(name, opts.password));
        makeOutput(opts.json === true).line(`${colour.green('updated')} password of ${name}`);
      }),
  );
  users.addCommand(
    sub('set-roles').description('Replace a user\'s roles').argument('<name>').argument('<roles>', 'comma-separated')
      .action(async (name: string, roles: string, opts: Flags) => {
        await withNode(opts, (node) => node.accounts.setRoles(name, roles.split(',')));
        makeOutput(opts.json === true).line(`${colour.green('updated')} roles of ${name}: ${roles}`);
      }),
  );
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    users.addCommand(
      sub(verb).description(`${verb === 'disable' ? 'Disable' : 'Enable'} a user (a disabled user's passwords and tokens stop working)`).argument('<name>')
        .action(async (name: string, opts: Flags) => {
          await withNode(opts, (node) => node.accounts.setDisabled(name, disabled));
          makeOutput(opts.json === true).line(`${colour.green(`${verb}d`)} ${name}`);
        }),
    );
  }
  users.addCommand(
    sub('profile').description('Show or set what the release decision knows of a user: nationality, clearances, caveats, organisation')
      .argument('<name>')
      .option('--nationality <trigraph>', 'e.g. DEU')
      .option('--clearance <list>', 'comma-separated, policy then level: "NATO SECRET,DEU GEHEIM" (empty string clears)')
      .option('--caveats <list>', 'comma-separated accreditations and need-to-know compartments (empty string clears)')
      .option('--organisation <code>', 'the organisation the user belongs to, when not this node\'s own')
      .action(async (name: string, opts: Flags & { nationality?: string; clearance?: string; caveats?: string; organisation?: string }) => {
        const out = makeOutput(opts.json === true);
        const split = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
        await withNode(opts, async (node) => {
          const changing = opts.nationality !== undefined || opts.clearance !== undefined || opts.caveats !== undefined || opts.organisation !== undefined;
          const profile = changing
            ? await node.policy.setProfile(name, {
              ...(opts.nationality === undefined ? {} : { nationality: opts.nationality }),
              ...(opts.clearance === undefined ? {} : { clearances: split(opts.clearance) }),
              ...(opts.caveats === undefined ? {} : { caveats: split(opts.caveats) }),
              ...(opts.organisation === undefined ? {} : { organisation: opts.organisation }),
            })
            : await node.policy.getProfile(name);
          if (out.json) return out.data(profile);
          out.line(table(['USER', 'NATIONALITY', 'CLEARANCES', 'CAVEATS', 'ORGANISATION'], [[
            profile.name, profile.nationality, profile.clearances.map((c) => `${c.policy} ${c.level}`).join(', ') || colour.dim('none'),
            profile.caveats.join(', ') || colour.dim('none'), profile.organisation ?? colour.dim(node.policy.node.organisation.code),
          ]]));
        });
      }),
  );
  users.addCommand(
    sub('delete').description('Delete a user and its tokens').argument('<name>').action(async (name: string, opts: Flags) => {
      await withNode(opts, (node) => node.accounts.deleteUser(name));
      makeOutput(opts.json === true).line(`${colour.green('deleted')} ${name}`);
    }),
  );
  return users;
}

export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('Manage API tokens (for TAXII clients and scripts: Authorization: Bearer TOKEN)');
  tokens.addCommand(
    sub('create').description('Issue a token for a user; the token is shown once and only its hash is kept').argument('<user>')
      .option('--description <text>', 'what the token is for, e.g. "OpenCTI connector"')
      .option('--expires <timestamp>', 'expiry time (RFC 3339); none by default')
      .action(async (user: string, opts: Flags & { description?: string; expires?: string }) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const created = await node.accounts.createToken(user, {
            ...(opts.description === undefined ? {} : { description: opts.description }),
            ...(opts.expires === undefined ? {} : { expiresAt: opts.expires }),
          });
          if (out.json) return out.data({ ...created.info, token: created.token });
          out.line(`${colour.green('created')} token ${created.info.id} for ${user}`);
          out.line(`  token: ${colour.bold(created.token)}  ${colour.dim('(shown once)')}`);
        });
      }),
  );
  tokens.addCommand(
    sub('list').description('List tokens (never their secrets)').argument('[user]').action(async (user: string | undefined, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const list = await node.accounts.listTokens(user);
        if (out.json) return out.data(list);
        out.line(table(['ID', 'USER', 'DESCRIPTION', 'CREATED', 'EXPIRES', 'LAST USED'], list.map((t) => [t.id, t.userName, t.description, t.createdAt, t.expiresAt ?? '-', t.lastUsedAt ?? '-'])));
      });
    }),
  );
  tokens.addCommand(
    sub('revoke').description('Revoke a token by its id').argument('<id>').action(async (id: string, opts: Flags) => {
      await withNode(opts, (node) => node.accounts.revokeToken(id));
      makeOutput(opts.json === true).line(`${colour.green('revoked')} token ${id}`);
    }),
  );
  return tokens;
}

export function collectionsCommand(): Command {
  const collections = new Command('collections').description('Manage TAXII collections and who may read or write them');
  collections.addCommand(
    sub('list').description('List collections with their object counts').action(async (opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const list = await node.collections.listAll();
        const counts = await Promise.all(list.map((c) => node.intel.count(c.id)));
        if (out.json) return out.data(list.map((c, i) => ({ ...c, objects: counts[i] })));
        out.line(table(['ID', 'ALIAS', 'TITLE', 'OBJECTS'], list.map((c, i) => [c.id, c.alias ?? '-', c.title, counts[i] ?? 0])));
      });
    }),
  );
  collections.addCommand(
    sub('create').description('Create a collection').argument('<alias>', 'short URL-safe name, usable in place of the id')
      .option('--title <title>', 'title shown to TAXII clients (default: the alias)')
      .option('--description <text>')
      .option('--id <id>', 'collection id (default: a new UUID)')
      .action(async (alias: string, opts: Flags & { title?: string; description?: string; id?: string }) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const created = await node.collections.create({
            alias, title: opts.title ?? alias,
            ...(opts.description === undefined ? {} : { description: opts.description }),
            ...(opts.id === undefined ? {} : { id: opts.id }),
          });
          if (out.json) return out.data(created);
          out.line(`${colour.green('created')} collection ${colour.bold(alias)} (${created.id})`);
        });
      }),
  );
  collections.addCommand(
    sub('delete').description('Delete a collection and its memberships').argument('<collection>', 'id or alias').action(async (c: string, opts: Flags) => {
      await withNode(opts, (node) => node.collections.delete(c));
      makeOutput(opts.json === true).line(`${colour.green('deleted')} collection ${c}`);
    }),
  );
  collections.addCommand(
    sub('grant').description('Set a user\'s rights on a collection (without --read/--write: remove access)')
      .argument('<collection>', 'id or alias').argument('<user>')
      .option('--read', 'may read').option('--write', 'may write')
      .action(async (c: string, user: string, opts: Flags & { read?: boolean; write?: boolean }) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const grant = await node.collections.grant(c, user, { canRead: opts.read === true, canWrite: opts.write === true });
          if (out.json) return out.data(grant);
          out.line(`${colour.green('granted')} ${user} on ${c}: read ${grant.canRead ? 'yes' : 'no'}, write ${grant.canWrite ? 'yes' : 'no'}`);
        });
      }),
  );
  collections.addCommand(
    sub('grants').description('List grants').argument('[collection]', 'id or alias').action(async (c: string | undefined, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const list = await node.collections.listGrants(c);
        if (out.json) return out.data(list);
        out.line(table(['COLLECTION', 'USER', 'READ', 'WRITE'], list.map((g) => [g.collectionId, g.principal, g.canRead ? 'yes' : 'no', g.canWrite ? 'yes' : 'no'])));
      });
    }),
  );
  return collections;
}
