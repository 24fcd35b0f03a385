import type { Core } from '@strapi/strapi';
import { registerEngageMiddlewares } from './engage/middlewares';
import { CUSTOMER_UID } from './utils/constants';
import { TRAIT_KEYS, unverifiedOf } from './services/trust';

type UpdateParams = { documentId?: string; data?: Record<string, unknown> };

/** Whether the running request is an admin panel user's (the Content Manager), not a service call. */
function fromAdmin(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as { state?: { auth?: { strategy?: { name?: string } } } } | undefined;
  return ctx?.state?.auth?.strategy?.name === 'admin';
}

/**
 * An admin who edits a customer has looked at the values: the traits they change are
 * verified from then on, and they may remove names from the unverified list (never add
 * any). Service calls (identify) manage the list themselves and pass through.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== CUSTOMER_UID || context.action !== 'update' || !fromAdmin(strapi)) return next();
    const params = context.params as UpdateParams;
    const data = params.data;
    if (!data || !params.documentId) return next();
    const current = (await strapi.documents(CUSTOMER_UID).findOne({ documentId: params.documentId })) as Record<string, unknown> | null;
    if (current) {
      const stored = unverifiedOf(current.unverifiedTraits);
      const kept = 'unverifiedTraits' in data ? unverifiedOf(data.unverifiedTraits) : stored;
      const next = new Set([...stored].filter((key) => kept.has(key)));
      for (const key of TRAIT_KEYS) {
        if (key in data && (data[key] ?? '') !== (current[key] ?? '')) next.delete(key);
      }
      data.unverifiedTraits = [...next];
    }
    return next();
  });
  registerEngageMiddlewares(strapi);
};
