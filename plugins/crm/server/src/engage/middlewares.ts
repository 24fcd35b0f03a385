/**
 * Document Service middlewares of the CRM's engagement part: whoever creates an inquiry or logs
 * a follow-up (forms, the admin, the Content Manager, an import) starts or moves the cadence,
 * so no caller has to remember to.
 */
import type { Core } from '@strapi/strapi';
import { FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';
import { CADENCE_STATUSES } from '../services/cadence';

type Params = { documentId?: string; data?: Record<string, unknown> };

export function registerEngageMiddlewares(strapi: Core.Strapi) {
  const cadence = () => strapi.plugin('crm').service('cadence');
  const warn = (what: string) => (error: Error) => strapi.log.warn(`[crm] ${what}: ${error.message}`);
  strapi.documents.use(async (context, next) => {
    const isInquiry = context.uid === INQUIRY_UID;
    const isFollowUp = context.uid === FOLLOW_UP_UID;
    if (!isInquiry && !isFollowUp) return next();
    const params = context.params as Params;
    const result = await next();
    const doc = result as { documentId?: string } | null;
    if (!doc?.documentId) return result;
    if (isInquiry && context.action === 'create') await cadence().start(doc.documentId).catch(warn('cadence start'));
    if (isInquiry && context.action === 'update') {
      const status = params.data?.status;
      if (typeof status === 'string' && !(CADENCE_STATUSES as readonly string[]).includes(status))
        await cadence().stop(doc.documentId).catch(warn('cadence stop'));
    }
    // a follow-up created without a kind is a log (the schema's default)
    if (isFollowUp && context.action === 'create' && (params.data?.kind ?? 'log') === 'log')
      await cadence().logged(doc.documentId).catch(warn('follow-up log'));
    return result;
  });
}
