import { describe, expect, it } from 'vitest';
import { VisitorSessions } from '../collect/sessions';
import type { VisitorRow } from '../store/writer';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const context = { country: 'DE' };
const row = (over: Partial<VisitorRow>): VisitorRow => ({
  visitor_id: 'v1',
  site: 'shop',
  customer_id: null,
  session_id: 's-stored',
  last_seen_at: T0,
  first_seen_at: T0 - 86_400_000,
  first_source: null,
  first_source_channel: 'direct',
  country: 'DE',
  timezone: null,
  language: null,
  ...over,
});

describe('VisitorSessions across instances', () => {
  it('reads a clean state again once it is older than reloadAfterMs, never a dirty one', () => {
    const sessions = new VisitorSessions(1000);
    sessions.add([row({})], ['v1'], T0);
    expect(sessions.missing(['v1', 'v2'], T0 + 500)).toEqual(['v2']);
    expect(sessions.missing(['v1'], T0 + 1001)).toEqual(['v1']);
    // an event makes it dirty: its change must be written before anything is read over it
    sessions.touch('v1', 'shop', T0 + 1100, null, context);
    sessions.takeDirty();
    sessions.touch('v1', 'shop', T0 + 7 * 60_000, null, context); // > 5 min unpersisted: dirty
    expect(sessions.missing(['v1'], T0 + 8 * 60_000)).toEqual([]);
  });

  it('asks for a visitor stored nowhere yet only once per reload period', () => {
    const sessions = new VisitorSessions(1000);
    sessions.touch('v9', 'shop', T0, null, context);
    sessions.takeDirty();
    const later = Date.now() + 2000;
    expect(sessions.missing(['v9'], later)).toEqual(['v9']);
    sessions.add([], ['v9'], later);
    expect(sessions.missing(['v9'], later + 10)).toEqual([]);
  });

  it('adopts a later session and a customer another instance wrote, and reports the customer once', () => {
    const sessions = new VisitorSessions(1000);
    sessions.add([row({ session_id: 's-a', last_seen_at: T0 })], ['v1'], T0);
    const before = sessions.touch('v1', 'shop', T0 + 10, null, context);
    expect(before.sessionId).toBe('s-a');
    expect(before.customerId).toBeNull();
    sessions.takeDirty();

    // another instance saw the visitor later, in a new session, and joined it to a customer
    sessions.add([row({ session_id: 's-b', last_seen_at: T0 + 60_000, customer_id: 'cust-1' })], ['v1'], T0 + 61_000);
    expect(sessions.takeJoined()).toEqual([{ visitorId: 'v1', customerId: 'cust-1' }]);
    expect(sessions.takeJoined()).toEqual([]);
    const after = sessions.touch('v1', 'shop', T0 + 62_000, null, context);
    expect(after).toMatchObject({ sessionId: 's-b', customerId: 'cust-1' });

    // an older row (this instance is ahead) changes nothing
    sessions.add([row({ session_id: 's-old', last_seen_at: T0, customer_id: 'cust-1' })], ['v1'], T0 + 70_000);
    expect(sessions.touch('v1', 'shop', T0 + 70_000, null, context).sessionId).toBe('s-b');
    expect(sessions.takeJoined()).toEqual([]);
  });
});
