export interface ProductContentConfig {
  /** seed demo locales and products on first start */
  demo: boolean;
  /** public read API: requests per IP per window */
  rateLimit: { points: number; duration: number };
  /** how long a built payload is served from memory (0 disables); writes clear it at once */
  cacheTtlMs: number;
}

export default {
  default: (): ProductContentConfig => ({ demo: false, rateLimit: { points: 300, duration: 60 }, cacheTtlMs: 30_000 }),
  validator(config: ProductContentConfig) {
    const { points, duration } = config.rateLimit ?? ({} as ProductContentConfig['rateLimit']);
    if (!Number.isInteger(points) || points < 1 || !Number.isInteger(duration) || duration < 1) {
      throw new Error('product-content: rateLimit.points and rateLimit.duration must be positive integers');
    }
  },
};
