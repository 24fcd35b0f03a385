export interface ProductContentConfig {
  /** seed demo locales and products on first start */
  demo: boolean;
  /** public read API: requests per IP per window */
  rateLimit: { points: number; duration: number };
}

export default {
  default: (): ProductContentConfig => ({ demo: false, rateLimit: { points: 300, duration: 60 } }),
  validator(config: ProductContentConfig) {
    const { points, duration } = config.rateLimit ?? ({} as ProductContentConfig['rateLimit']);
    if (!Number.isInteger(points) || points < 1 || !Number.isInteger(duration) || duration < 1) {
      throw new Error('product-content: rateLimit.points and rateLimit.duration must be positive integers');
    }
  },
};
