/** Redis carries the BullMQ queues (email sending); read with strapi.config.get('redis.url'). */
export default ({ env }) => ({
  url: env('REDIS_URL', 'redis://127.0.0.1:6379'),
});
