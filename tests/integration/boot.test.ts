import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

describe('the Moat app boots', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('answers the health check and loads every local plugin', async () => {
    await app.request.get('/_health').expect(204);
    expect(app.strapi.plugin('product-content')).toBeDefined();
    expect(app.strapi.contentType('plugin::product-content.faq-item')).toBeDefined();
  });
});
