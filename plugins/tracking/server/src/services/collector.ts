import type { Core } from '@strapi/strapi';
import type { CustomerTraits } from '@moat/contracts';
import type { Knex } from 'knex';
import type { BrowserEvent } from '../contracts/events';
import { identifyTraitsSchema } from '../contracts/events';
import { scrubSecrets } from '../contracts/sensitive';
import { type AcceptedBatch, correctedTime } from '../collect/accepted';
import { classifyAcquisition, parseUrl, pathOf } from '../collect/enrich';
import { GroupCommitter, PartialFlushError } from '../collect/group-commit';
import { type JoinedElsewhere, VisitorSessions } from '../collect/sessions';
import type { TrackingConfig } from '../config';
import { type TouchpointRow, toRow } from '../store/rows';
import { type CollectWriter, createWriter, isBusy, type SyncCollectWriter, type VisitorRow } from '../store/writer';
import { PLUGIN_ID, WEB_CHANNEL } from '../utils/constants';
import { crmCustomers } from '../utils/crm';
import { getService } from '../utils/get-service';
import { afterStored, storedOf } from '../collect/stored';

/** Strapi's connection holds the SQLite write lock only for a transaction's length: retry a
 * busy write every few milliseconds for up to 5 s (config/database.ts's busy_timeout). */
const BUSY_RETRY_MS = 4;
const BUSY_GIVE_UP_MS = 5000;
function retryBusy(write: () => void, firstDelayMs = BUSY_RETRY_MS): Promise<void> {
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const attempt = () => {
      try {
        write();
        resolve();
      } catch (error) {
        if (isBusy(error) && Date.now() - started < BUSY_GIVE_UP_MS) setTimeout(attempt, BUSY_RETRY_MS);
        else reject(error);
      }
    };
    setTimeout(attempt, firstDelayMs);
  });
}

interface PendingIdentity {
  /** index of its request in the flush */
  item: number;
  visitorId: string;
  site: string;
  traits: CustomerTraits;
  at: number;
  source: string | null;
}

/** Traits a browser event carries: identify() calls, and forms that include an email. */
function identityOf(event: BrowserEvent): PendingIdentity['traits'] | null {
  const props = (event.props ?? {}) as Record<string, unknown>;
  const raw =
    event.type === 'identify'
      ? props
      : event.type === 'form_submit' && props.fields && typeof props.fields === 'object'
        ? (props.fields as Record<string, unknown>)
        : null;
  if (!raw) return null;
  const parsed = identifyTraitsSchema.safeParse({
    email: typeof raw.email === 'string' ? raw.email.trim() : undefined,
    customer_id: raw.customer_id != null ? String(raw.customer_id) : undefined,
    name: typeof raw.name === 'string' ? raw.name : undefined,
    phone: typeof raw.phone === 'string' ? raw.phone : undefined,
    company: typeof raw.company === 'string' ? raw.company : undefined,
    country: typeof raw.country === 'string' ? raw.country : undefined,
  });
  if (!parsed.success || (!parsed.data.email && !parsed.data.customer_id)) return null;
  const { customer_id, ...rest } = parsed.data;
  return { ...rest, externalId: customer_id };
}

/**
 * The collect pipeline behind the public endpoint: accepted batches wait in the group
 * commit; one flush assigns sessions, writes every event in multi-row INSERTs together
 * with the changed visitor rows (one transaction), then joins identified visitors to
 * their customers before the waiting requests are answered.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sessions = new VisitorSessions((strapi.plugin(PLUGIN_ID).config('sessions') as TrackingConfig['sessions']).reloadAfterMs);
  let committer: GroupCommitter<AcceptedBatch> | null = null;
  let writer: ReturnType<typeof createWriter> | null = null;
  const knex = (): Knex => strapi.db.connection;

  /** Touchpoint rows of the batch, in session order; visitors must be loaded already. */
  function buildRows(items: AcceptedBatch[]) {
    const rows: TouchpointRow[] = [];
    const identities: PendingIdentity[] = [];
    /** where each request's rows end in `rows` */
    const ends: number[] = [];
    for (const [item, accepted] of items.entries()) {
      const { batch, client, country, receivedAt } = accepted;
      // oldest first, so a page view opens the session the events after it belong to
      const events = batch.events.length > 1 ? [...batch.events].sort((a, b) => a.ts - b.ts) : batch.events;
      for (const event of events) {
        const at = correctedTime(event.ts, accepted);
        const page = parseUrl(event.url);
        const acquisition = event.type === 'page_view' ? classifyAcquisition(page, event.referrer) : null;
        const state = sessions.touch(batch.visitor, batch.site, at, acquisition, {
          country,
          timezone: batch.ctx?.tz,
          language: batch.ctx?.lang,
        });
        // secret fields and card numbers never reach the store, whoever sent them
        const props: Record<string, unknown> = event.props ? { ...scrubSecrets(event.props) } : {};
        if (event.title) props.title = event.title;
        if (event.referrer) props.referrer = event.referrer;
        rows.push(
          toRow(
            {
              type: event.type,
              channel: WEB_CHANNEL,
              occurredAt: at,
              site: batch.site,
              visitorId: batch.visitor,
              customerId: state.customerId,
              sessionId: state.sessionId,
              source: state.source,
              sourceChannel: state.sourceChannel,
              country,
              device: client.device,
              browser: client.browser,
              os: client.os,
              url: event.url ?? null,
              path: pathOf(page),
              properties: props,
              dedupeKey: `w:${batch.visitor}:${event.id}`,
            },
            receivedAt,
          ),
        );
        const traits = identityOf(event);
        if (traits) identities.push({ item, visitorId: batch.visitor, site: batch.site, traits, at, source: state.source });
      }
      ends.push(rows.length);
    }
    return { rows, identities, ends };
  }

  const visitorIds = (items: AcceptedBatch[]) => items.map((i) => i.batch.visitor);

  /** What one flush writes, once its visitors are loaded; `failed` puts the visitor rows back
   * for the next flush and rethrows. */
  function prepare(items: AcceptedBatch[]) {
    const { rows, identities, ends } = buildRows(items);
    const visitorRows = sessions.takeDirty();
    const failed = (error: unknown): never => {
      sessions.markDirty(visitorRows.map((r) => r.visitor_id));
      throw error;
    };
    /**
     * After the grouped write failed (not for a busy lock): each request's rows and visitor
     * on their own, so one bad event fails only its own request (503, the tracker retries)
     * and the requests it was grouped with are stored and answered. Returns the identities of
     * the requests that were stored; throws PartialFlushError naming the others.
     */
    const isolate = async (error: unknown, write: (rows: TouchpointRow[], visitors: VisitorRow[]) => unknown) => {
      if (items.length === 1) failed(error);
      strapi.log.warn(`[tracking] collect: a group of ${items.length} failed (${(error as Error).message}); writing its requests one by one`);
      const failures = new Map<number, unknown>();
      for (const [i, accepted] of items.entries()) {
        const own = visitorRows.filter((v) => v.visitor_id === accepted.batch.visitor);
        try {
          await write(rows.slice(i === 0 ? 0 : ends[i - 1], ends[i]), own);
        } catch (itemError) {
          failures.set(i, itemError);
        }
      }
      if (failures.size === items.length) failed(error);
      return { stored: identities.filter((identity) => !failures.has(identity.item)), failures };
    };
    return { rows, identities, visitorRows, failed, isolate, ends };
  }

  /** Joins what was stored; a partial failure is reported to the group commit after that. */
  async function finishIsolatedOf(
    outcome: { stored: PendingIdentity[]; failures: Map<number, unknown> },
    rows: TouchpointRow[],
    ends: number[],
  ) {
    const joined = await stitchAll(outcome.stored, sessions.takeJoined());
    const kept = rows.filter((_, index) => !outcome.failures.has(ends.findIndex((end) => index < end)));
    afterStored(strapi, storedOf(kept, joined));
    if (outcome.failures.size) throw new PartialFlushError(outcome.failures);
  }

  /**
   * SQLite file: read, write and (usually) answer within this turn. The write is retried
   * while Strapi's connection holds the lock; identities are joined asynchronously.
   */
  function flushSync(w: SyncCollectWriter, items: AcceptedBatch[]): Promise<void> | undefined {
    const missing = sessions.missing(visitorIds(items));
    if (missing.length) sessions.add(w.loadVisitors(missing), missing);
    const { rows, identities, visitorRows, failed, isolate, ends } = prepare(items);
    const write = () => void w.write(rows, visitorRows);
    const written = () => {
      const joined = sessions.takeJoined();
      if (!identities.length && !joined.length) return void afterStored(strapi, storedOf(rows));
      return stitchAll(identities, joined).then((customers) => afterStored(strapi, storedOf(rows, customers)));
    };
    const finishIsolated = (outcome: Parameters<typeof finishIsolatedOf>[0]) => finishIsolatedOf(outcome, rows, ends);
    const writeAlone = (r: TouchpointRow[], v: VisitorRow[]) => retryBusy(() => void w.write(r, v), 0);
    try {
      write();
    } catch (error) {
      if (!isBusy(error)) return isolate(error, writeAlone).then(finishIsolated);
      return retryBusy(write).then(written, (retryError) =>
        isBusy(retryError) ? failed(retryError) : isolate(retryError, writeAlone).then(finishIsolated),
      );
    }
    return written();
  }

  async function flushAsync(w: CollectWriter, items: AcceptedBatch[]) {
    const missing = sessions.missing(visitorIds(items));
    if (missing.length) sessions.add(await w.loadVisitors(missing), missing);
    const { rows, identities, visitorRows, isolate, ends } = prepare(items);
    try {
      await w.write(rows, visitorRows);
    } catch (error) {
      return finishIsolatedOf(await isolate(error, (r, v) => w.write(r, v)), rows, ends);
    }
    afterStored(strapi, storedOf(rows, await stitchAll(identities, sessions.takeJoined())));
  }

  function flush(items: AcceptedBatch[]): Promise<void> | undefined {
    writer ??= createWriter(knex(), (message) => strapi.log.warn(message));
    return 'sync' in writer ? flushSync(writer.sync, items) : flushAsync(writer.async, items);
  }

  /** Returns visitor → customer for the identities joined (the stored event names them). */
  async function stitchAll(identities: PendingIdentity[], joinedElsewhere: JoinedElsewhere[] = []): Promise<Map<string, string>> {
    const customers = new Map<string, string>();
    for (const identity of identities) {
      const customerId = await stitch(identity);
      if (customerId) customers.set(identity.visitorId, customerId);
    }
    // another instance joined these visitors; what this one stored before it knew is anonymous
    for (const { visitorId, customerId } of joinedElsewhere) {
      await getService(strapi, 'touchpoints')
        .linkVisitor(visitorId, customerId)
        .catch((error: Error) => strapi.log.warn(`[tracking] could not join visitor ${visitorId} to customer ${customerId}: ${error.message}`));
      customers.set(visitorId, customerId);
    }
    return customers;
  }

  /** Identity stitching; the events are already durable, so a failure here only logs. */
  async function stitch(identity: PendingIdentity): Promise<string | null> {
    const crm = crmCustomers(strapi);
    if (!crm) return null;
    try {
      // anyone can post to collect: what it claims fills gaps, marked unverified, and never
      // overwrites what the admin, an API token or Shopify said
      const { documentId } = await crm.identify(identity.traits, {
        seenAt: new Date(identity.at),
        source: identity.source ?? undefined,
        verified: false,
        // a typo in a phone field must not lose the person: invalid fields are dropped
        onInvalid: 'drop',
      });
      await getService(strapi, 'touchpoints').linkVisitor(identity.visitorId, documentId, identity.site);
      sessions.setCustomer(identity.visitorId, documentId);
      return documentId;
    } catch (error) {
      strapi.log.warn(`[tracking] could not join visitor ${identity.visitorId} to a customer: ${(error as Error).message}`);
      return null;
    }
  }

  const config = () => strapi.plugin(PLUGIN_ID).config('groupCommit') as TrackingConfig['groupCommit'];

  return {
    start() {
      committer ??= new GroupCommitter(flush, config());
    },
    /** Resolves when the batch is durable (and its identities are joined). */
    submit(accepted: AcceptedBatch): Promise<void> {
      if (!committer) this.start();
      return (committer as GroupCommitter<AcceptedBatch>).submit(accepted);
    },
    /** Joins a visitor to a customer outside the browser path (server API, Shopify). */
    rememberCustomer(visitorId: string, customerId: string) {
      sessions.setCustomer(visitorId, customerId);
    },
    stats() {
      return committer?.stats ?? { items: 0, batches: 0, failures: 0 };
    },
    /** Flushes what is waiting; later submits are refused (503, the tracker retries). */
    async close() {
      await committer?.close();
      if (writer && 'sync' in writer) await writer.sync.close();
      writer = null;
    },
  };
};
