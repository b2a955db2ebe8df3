import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import type { FederationService } from '../../services/federation/federation-service.js';
import type { PolicyService } from '../../services/policy/policy-service.js';
import { requireAuth, requirePrincipal } from '../plugins/auth-plugin.js';

/** Where peers deliver envelopes; the transport adapter posts here. */
export const FEDERATION_PREFIX = '/federation/v1';

/**
 * The inbox of a node: peers POST sealed envelopes (JWE, general JSON) with the token this node
 * issued to them. The account that delivers must belong to the peer organisation (its profile's
 * organisation): that is the sender the agreements are checked for. The answer is a signed receipt.
 */
export function federationRoutes(deps: { readonly federation: FederationService; readonly policy: PolicyService; readonly maxEnvelopeBytes: number }): FastifyPluginAsync {
  return async (app) => {
    await app.register(async (inbox) => {
      inbox.addHook('onRequest', requireAuth);
      inbox.post('/envelopes', { bodyLimit: deps.maxEnvelopeBytes }, async (request) => {
        const principal = requirePrincipal(request);
        const profile = await deps.policy.getProfile(principal.name);
        if (profile.organisation === undefined) {
          throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} does not stand for a peer organisation: give the account the organisation of the peer (entente users profile ${principal.name} --organisation CODE)`);
        }
        return deps.federation.receive(request.body, profile.organisation);
      });
      inbox.post('/checkpoints', async (request) => {
        const principal = requirePrincipal(request);
        const profile = await deps.policy.getProfile(principal.name);
        if (profile.organisation === undefined) throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} does not stand for a peer organisation`);
        return deps.federation.witnessCheckpoint(request.body, profile.organisation);
      });
    }, { prefix: FEDERATION_PREFIX });
  };
}
