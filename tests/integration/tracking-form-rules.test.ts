/** Form rules: set in the admin per site, read in public by the tracker's platform add-ons. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../helpers/admin';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

describe('form rules per site', () => {
  let app: BootedStrapi;
  let jwt: string;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: 'wp_shop=https://shop.example.com' } });
    const admin = await createSuperAdmin(app.strapi);
    jwt = (await app.request.post('/admin/login').send(admin).expect(200)).body.data.token;
  });
  afterAll(async () => {
    await app?.destroy();
  });
  const put = (key: string, body: unknown) => app.request.put(`/tracking/sites/${key}/form-rules`).set('Authorization', `Bearer ${jwt}`).send(body as object);

  it('an admin sets rules for a configured site; the storefront reads them without credentials', async () => {
    const rules = [
      { match: '#gform_7', kind: 'ignore' },
      { match: '.wpcf7 form[action*="quote"]', kind: 'inquiry' },
    ];
    expect((await put('wp_shop', { rules })).body).toEqual({ rules });
    const pub = await app.request.get('/api/tracking/v1/sites/wp_shop/form-rules').set('Origin', 'https://shop.example.com').expect(200);
    expect(pub.body).toEqual({ rules });
    expect(pub.headers['access-control-allow-origin']).toBe('*');
    expect(pub.headers['cache-control']).toBe('public, max-age=60');
    const admin = await app.request.get('/tracking/sites/wp_shop/form-rules').set('Authorization', `Bearer ${jwt}`).expect(200);
    expect(admin.body).toEqual({ rules });
    // replaced, not merged
    expect((await put('wp_shop', { rules: [] })).body).toEqual({ rules: [] });
    expect((await app.request.get('/api/tracking/v1/sites/wp_shop/form-rules').expect(200)).body).toEqual({ rules: [] });
  });

  it('refuses bad rules with the reason, unknown sites with 404, and anonymous admin calls', async () => {
    const cases: [unknown, RegExp][] = [
      [{ rules: [{ match: '', kind: 'inquiry' }] }, /CSS selector/],
      [{ rules: [{ match: '#a', kind: 'spam' }] }, /one of inquiry, contact, newsletter, other, ignore/],
      [{ rules: [{ match: 'form}</style><script>', kind: 'inquiry' }] }, /may not contain/],
      [{ rules: [{ match: 'x'.repeat(201), kind: 'inquiry' }] }, /200 characters/],
      [{ rules: Array.from({ length: 51 }, () => ({ match: '#a', kind: 'contact' })) }, /at most 50 rules/],
      [{ rules: [{ match: '#a', kind: 'contact', extra: 1 }] }, /extra/],
      [{ rules: 'all' }, /rules/],
    ];
    for (const [body, message] of cases) {
      const res = await put('wp_shop', body);
      expect([JSON.stringify(body).slice(0, 60), res.status]).toEqual([JSON.stringify(body).slice(0, 60), 400]);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await put('no_such_site', { rules: [] })).status).toBe(404);
    expect((await app.request.get('/api/tracking/v1/sites/no_such_site/form-rules')).status).toBe(404);
    expect((await app.request.get('/api/tracking/v1/sites/%3Cx%3E/form-rules')).status).toBe(400);
    expect((await app.request.put('/tracking/sites/wp_shop/form-rules').send({ rules: [] })).status).toBe(401);
  });
});
