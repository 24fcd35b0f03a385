import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import type { AdminCtx } from '../utils/scope';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: AdminCtx) {
    ctx.body = { now: Date.now(), visitors: await getService(strapi, 'live').list() };
  },
});
