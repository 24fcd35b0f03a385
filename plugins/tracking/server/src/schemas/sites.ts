import { z } from 'zod';
import { originTooBroad, SITE_KEY, SITE_ORIGIN } from '../config';

const origin = z
  .string()
  .trim()
  .max(200)
  // abort: a malformed origin gets this message only, not a "too broad" one as well
  .regex(SITE_ORIGIN, { message: 'must be an origin like https://shop.example.com (scheme and host, no path)', abort: true })
  .superRefine((o, ctx) => {
    const broad = originTooBroad(o);
    if (broad) ctx.addIssue({ code: 'custom', message: `too broad: ${broad}` });
  })
  .transform((o) => o.toLowerCase());

/** Allowed origins of a site: `*` matches within one host label or a port. */
const origins = z
  .array(origin)
  .min(1, 'add at least one allowed origin')
  .max(20, 'at most 20 origins per site')
  .transform((list) => [...new Set(list)]);

export const createSiteSchema = z
  .object({ key: z.string().trim().regex(SITE_KEY, 'must be 4-64 letters, digits, "-" or "_"'), origins })
  .strict();

export const updateSiteSchema = z.object({ origins }).strict();
