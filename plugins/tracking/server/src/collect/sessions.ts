import { randomBytes } from 'node:crypto';
import type { VisitorRow } from '../store/writer';
import type { Acquisition } from './enrich';

/** GA's and Matomo's default: a visit ends after 30 idle minutes. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** Session state is written back at most this stale, so an idle visitor costs no writes. */
const PERSIST_EVERY_MS = 5 * 60_000;
const CACHE_MAX = 100_000;

export interface VisitorState {
  visitorId: string;
  site: string;
  sessionId: string;
  lastAt: number;
  persistedAt: number;
  firstSeenAt: number;
  customerId: string | null;
  source: string | null;
  sourceChannel: string | null;
  country: string | null;
  timezone: string | null;
  language: string | null;
  dirty: boolean;
  /** when this state was last read from (or first written to) the visitors table */
  loadedAt: number;
}

/** A customer another instance joined this visitor to, found when re-reading its row. */
export interface JoinedElsewhere {
  visitorId: string;
  customerId: string;
}

/** Session ids: 12 random bytes (16 base64url characters), cut from a pool filled 256 ids at a
 * time; one randomBytes call per new visitor was a visible cost of the collect flush. */
let idPool = Buffer.alloc(0);
let idOffset = 0;
export function newSessionId(): string {
  if (idOffset + 12 > idPool.length) {
    idPool = randomBytes(12 * 256);
    idOffset = 0;
  }
  idOffset += 12;
  return idPool.toString('base64url', idOffset - 12, idOffset);
}

/**
 * Live session state per visitor, in memory (bounded, oldest evicted) and backed by the
 * visitors table, so a restart continues open sessions. Only the group-commit flush touches
 * it: one writer, no locks.
 *
 * Several instances may serve one visitor (a load balancer without stickiness): a clean state
 * older than `reloadAfterMs` is read again, so what another instance wrote (a later session,
 * a customer it joined the visitor to) reaches this one within that time.
 */
export class VisitorSessions {
  private cache = new Map<string, VisitorState>();
  /** visitors whose row must be written by the next flush (kept apart: no scan of the cache) */
  private dirty = new Set<VisitorState>();
  private joined: JoinedElsewhere[] = [];

  constructor(private readonly reloadAfterMs = 30_000) {}

  /** Visitors of a flush whose state is not in memory, or is clean and stale: the caller reads their rows. */
  missing(visitorIds: Iterable<string>, now = Date.now()): string[] {
    const out: string[] = [];
    for (const id of new Set(visitorIds)) {
      const state = this.cache.get(id);
      if (!state || (!state.dirty && now - state.loadedAt > this.reloadAfterMs)) out.push(id);
    }
    return out;
  }

  /** Adopts the stored state of visitors read for a flush (`ids`: all that were asked for). */
  add(rows: VisitorRow[], ids: string[] = [], now = Date.now()): void {
    // asked for but not stored (yet): do not ask again on every flush
    for (const id of ids) {
      const state = this.cache.get(id);
      if (state) state.loadedAt = now;
    }
    for (const row of rows) {
      const lastAt = Number(row.last_seen_at);
      const cached = this.cache.get(row.visitor_id);
      if (cached) {
        this.merge(cached, row, lastAt);
        continue;
      }
      this.remember({
        visitorId: row.visitor_id,
        site: row.site ?? '',
        sessionId: row.session_id ?? newSessionId(),
        lastAt,
        persistedAt: lastAt,
        firstSeenAt: Number(row.first_seen_at),
        customerId: row.customer_id ?? null,
        source: row.first_source,
        sourceChannel: row.first_source_channel,
        country: row.country,
        timezone: row.timezone,
        language: row.language,
        dirty: false,
        loadedAt: now,
      });
    }
  }

  /** A re-read row: what another instance wrote since wins where it is newer. */
  private merge(state: VisitorState, row: VisitorRow, lastAt: number) {
    if (row.customer_id && row.customer_id !== state.customerId) {
      state.customerId = row.customer_id;
      this.joined.push({ visitorId: state.visitorId, customerId: row.customer_id });
    }
    if (lastAt > state.lastAt && row.session_id) {
      state.sessionId = row.session_id;
      state.lastAt = lastAt;
      state.persistedAt = lastAt;
    }
  }

  /** Customers other instances joined visitors to, found since the last call: events this
   * instance stored meanwhile are still anonymous and need joining too. */
  takeJoined(): JoinedElsewhere[] {
    const out = this.joined;
    this.joined = [];
    return out;
  }

  /**
   * The session an event at `at` belongs to: the open one, or a new one after 30 idle
   * minutes or when a new campaign / external referrer brings the visitor back.
   */
  touch(
    visitorId: string,
    site: string,
    at: number,
    acquisition: Acquisition | null,
    context: { country: string | null; timezone?: string; language?: string },
  ): VisitorState {
    let state = this.cache.get(visitorId);
    if (!state) {
      state = {
        visitorId,
        site,
        sessionId: newSessionId(),
        lastAt: at,
        persistedAt: 0,
        firstSeenAt: at,
        customerId: null,
        source: acquisition?.source ?? null,
        sourceChannel: acquisition?.channel ?? 'direct',
        country: context.country,
        timezone: context.timezone ?? null,
        language: context.language ?? null,
        dirty: true,
        loadedAt: Date.now(),
      };
      this.remember(state);
      this.dirty.add(state);
      return state;
    }
    const expired = at - state.lastAt > SESSION_IDLE_MS;
    const newCampaign = acquisition !== null && acquisition.channel !== 'direct' && acquisition.source !== state.source;
    if (expired || newCampaign) {
      state.sessionId = newSessionId();
      state.source = acquisition?.source ?? null;
      state.sourceChannel = acquisition?.channel ?? 'direct';
      state.dirty = true;
    }
    if (at > state.lastAt) state.lastAt = at;
    if (state.lastAt - state.persistedAt > PERSIST_EVERY_MS) state.dirty = true;
    if (context.country && context.country !== state.country) {
      state.country = context.country;
      state.dirty = true;
    }
    if (context.timezone) state.timezone = context.timezone;
    if (context.language) state.language = context.language;
    if (state.dirty) this.dirty.add(state);
    return state;
  }

  /** Rows to upsert for visitors whose state changed; marks them clean. */
  takeDirty(): VisitorRow[] {
    const rows: VisitorRow[] = [];
    for (const state of this.dirty) {
      state.dirty = false;
      state.persistedAt = state.lastAt;
      rows.push({
        visitor_id: state.visitorId,
        site: state.site,
        session_id: state.sessionId,
        last_seen_at: state.lastAt,
        first_seen_at: state.firstSeenAt,
        // only kept on insert: the upsert never merges first_* (see collector)
        first_source: state.source,
        first_source_channel: state.sourceChannel,
        country: state.country,
        timezone: state.timezone,
        language: state.language,
      });
    }
    this.dirty.clear();
    return rows;
  }

  /** Undo takeDirty after a failed write, so the next flush retries the upserts. */
  markDirty(visitorIds: string[]) {
    for (const id of visitorIds) {
      const state = this.cache.get(id);
      if (state) {
        state.dirty = true;
        this.dirty.add(state);
      }
    }
  }

  setCustomer(visitorId: string, customerId: string) {
    const state = this.cache.get(visitorId);
    if (state) state.customerId = customerId;
  }

  private remember(state: VisitorState) {
    if (this.cache.size >= CACHE_MAX) {
      // evict the oldest clean entry; dirty ones must reach the database first
      for (const [id, s] of this.cache) {
        if (!s.dirty) {
          this.cache.delete(id);
          break;
        }
      }
    }
    this.cache.set(state.visitorId, state);
  }
}
