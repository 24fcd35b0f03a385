import { describe, expect, it } from 'vitest';
import { newSessionId } from '../collect/sessions';

describe('newSessionId', () => {
  it('cuts distinct 16-character base64url ids from its pool, across refills', () => {
    // 256 ids per pool fill: 1,000 ids span four fills
    const ids = Array.from({ length: 1000 }, () => newSessionId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
