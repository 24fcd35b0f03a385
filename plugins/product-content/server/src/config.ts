import { configValidator } from '@moat/plugin-kit';
import { z } from 'zod';

export interface ProductContentConfig {
  /** seed demo locales and products on first start */
  demo: boolean;
  /** public read API: requests per IP per window */
  rateLimit: { points: number; duration: number };
  /** how long a built payload is served from memory (0 disables); writes clear it at once */
  cacheTtlMs: number;
}

type Env = { int(key: string, fallback?: number): number; bool(key: string, fallback?: boolean): boolean };

const positive = z.number().int().positive();
const schema = z.strictObject({
  demo: z.boolean(),
  rateLimit: z.strictObject({ points: positive, duration: positive }),
  cacheTtlMs: z.number().int().nonnegative(),
});

/** Defaults read the environment (README, "Add Moat to your Strapi app"): a host app may set nothing. */
export default {
  default: ({ env }: { env: Env }): ProductContentConfig => ({
    demo: env.bool('MOAT_DEMO', false),
    rateLimit: { points: env.int('MOAT_CONTENT_RATE_LIMIT', 300), duration: env.int('MOAT_CONTENT_RATE_WINDOW_S', 60) },
    cacheTtlMs: env.int('MOAT_CONTENT_CACHE_TTL_MS', 30_000),
  }),
  validator: configValidator<ProductContentConfig>('product-content', schema),
};
