import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../services/webhooks';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const toml = readFileSync(join(ROOT, 'shopify.app.toml'), 'utf8');
/** the quoted topics of every `<key> = [...]` line of the [webhooks] subscriptions */
const listed = (key: string) =>
  [...toml.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*\\[([^\\]]*)\\]`, 'gm'))].flatMap((m) => [...m[1].matchAll(/"([^"]+)"/g)].map((t) => t[1])).sort();

describe('webhook topics', () => {
  it('shopify.app.toml subscribes to exactly the topics the plugin handles (compliance ones as compliance_topics)', () => {
    expect(listed('topics')).toEqual([...TOPICS.handled, ...TOPICS.later].sort());
    expect(listed('compliance_topics')).toEqual([...TOPICS.compliance].sort());
  });

  it('every handled and compliance topic has its case in the webhook service', () => {
    const source = readFileSync(join(__dirname, '..', 'services', 'webhooks.ts'), 'utf8');
    const cases = [...source.matchAll(/case '([a-z_]+\/[a-z_]+)':/g)].map((m) => m[1]).sort();
    expect(cases).toEqual([...TOPICS.handled, ...TOPICS.compliance].sort());
  });
});
