import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configValidator, requirePlugins } from '../config';

const schema = z.strictObject({ rateLimit: z.strictObject({ points: z.number().int().positive() }), store: z.enum(['memory', 'redis']) });

describe('configValidator', () => {
  const validate = configValidator('demo-plugin', schema, (config: { store: string }) => {
    if (config.store === 'redis' && !process.env.NEVER_SET_IN_TESTS) throw new Error('demo-plugin: config key "store": redis needs REDIS_URL');
  });

  it('accepts a valid config', () => {
    expect(() => validate({ rateLimit: { points: 5 }, store: 'memory' } as never)).not.toThrow();
  });

  it('names the key of a wrong value', () => {
    expect(() => validate({ rateLimit: { points: -1 }, store: 'memory' } as never)).toThrow(/^demo-plugin: config key "rateLimit\.points": /);
    expect(() => validate({ rateLimit: { points: Number.NaN }, store: 'memory' } as never)).toThrow(/"rateLimit\.points"/);
    expect(() => validate({ rateLimit: { points: 1 }, store: 'disk' } as never)).toThrow(/config key "store"/);
  });

  it('names an unknown key (a typo would otherwise be ignored)', () => {
    expect(() => validate({ rateLimit: { points: 1 }, store: 'memory', rateLimt: {} } as never)).toThrow(/config key "rateLimt"/);
  });

  it('runs the extra checks only after the schema passed', () => {
    expect(() => validate({ rateLimit: { points: 1 }, store: 'redis' } as never)).toThrow(/redis needs REDIS_URL/);
  });
});

describe('requirePlugins', () => {
  const strapi = (enabled: string[]) => ({ plugin: (id: string) => (enabled.includes(id) ? {} : undefined) });

  it('passes when the needed plugins are enabled', () => {
    expect(() => requirePlugins(strapi(['crm', 'tracking']), 'tracking', [{ id: 'crm', pkg: '@moat/crm' }])).not.toThrow();
  });

  it('fails naming the missing plugin and how to add it', () => {
    expect(() => requirePlugins(strapi(['tracking']), 'tracking', [{ id: 'crm', pkg: '@moat/crm' }])).toThrow(
      'tracking: needs the Moat plugin "crm" (npm install @moat/crm, then enable it in config/plugins)',
    );
  });
});
