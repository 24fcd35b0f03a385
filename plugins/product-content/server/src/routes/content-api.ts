/** Public, read-only routes for storefronts (mounted at /api/product-content). */
const common = { auth: false as const, middlewares: ['plugin::product-content.rate-limit'] };

export default {
  type: 'content-api' as const,
  routes: [
    { method: 'GET', path: '/products/:key/faq.jsonld', handler: 'products.jsonLd', config: common },
    { method: 'GET', path: '/products/:key', handler: 'products.find', config: common },
  ],
};
