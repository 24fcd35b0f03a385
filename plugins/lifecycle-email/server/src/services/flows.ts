import { randomUUID } from 'node:crypto';
import { type TouchpointsStoredEvent, TOUCHPOINTS_STORED } from '@moat/contracts';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_FLOWS, type FlowsConfig, type LifecycleEmailConfig } from '../config';
import { createFlowCarrier, type FlowCarrier } from '../flows/carrier';
import { CUSTOMER_FIELDS, DATE_FIELDS, EVENT_NAMES, followedTypes, goalTypes, parseDefinition } from '../flows/definition';
import { createFlowEngine, type FlowEvent } from '../flows/engine';
import { flowPorts } from '../flows/ports';
import { FLOW_TEMPLATES, PREBUILT_FLOWS } from '../flows/prebuilt';
import { createFlowRepository, type EnrollmentState, type FlowRow } from '../flows/repository';
import { PLUGIN_ID, TEMPLATE_UID } from '../utils/constants';
import { getService } from '../utils/get-service';

const KEY = /^[a-z0-9][a-z0-9-]{1,62}$/;
const STATES = ['active', 'completed', 'exited'] as const;
/** touchpoints read per catch-up query */
const CATCH_UP_PAGE = 1_000;

const definitionOrThrow = (input: unknown) => {
  const parsed = parseDefinition(input);
  // details.problems: one entry per problem, each naming its place (`steps[2].template: …`), so the editor shows it at that step
  if (!parsed.ok) throw new errors.ValidationError(`definition: ${parsed.problems.join('; ')}`, { problems: parsed.problems });
  return parsed.definition;
};

/**
 * Lifecycle flows in this process: the flow clock, trigger evaluation fed by tracking's
 * "touchpoints stored" event (never inside the collect request), the scheduler that advances
 * due enrollments every MOAT_FLOW_TICK_MS, and what the admin API reads and writes.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const cfg = <K extends keyof LifecycleEmailConfig>(k: K) => strapi.plugin(PLUGIN_ID).config(k) as LifecycleEmailConfig[K];
  const flowsConfig = (): FlowsConfig => ({ ...DEFAULT_FLOWS, ...cfg('flows') });
  const repo = createFlowRepository(() => strapi.db.connection);
  const ports = flowPorts(strapi);
  let fixed: number | null = null;
  const clock = {
    now: () => fixed ?? Date.now(),
    /** freezes the flow clock at `at`; null returns to real time */
    set(at: Date | number | string | null) {
      fixed = at == null ? null : new Date(at).getTime();
    },
    advance(ms: number) {
      fixed = (fixed ?? Date.now()) + ms;
    },
  };
  const engine = createFlowEngine({
    repo,
    ports,
    now: clock.now,
    enqueue: (input) => getService(strapi, 'messages').enqueue(input),
    settings: () => {
      const c = flowsConfig();
      return { timeZone: c.timeZone, shop: { name: c.shopName, address: c.shopAddress, url: c.shopUrl }, leaseMs: c.leaseMs, batch: c.batch, maxTriggerAgeMs: c.maxTriggerAgeHours * 3_600_000 };
    },
    log: strapi.log,
  });
  const claim = randomUUID();
  let carrier: FlowCarrier | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> | undefined;
  let listening = false;
  let pushing: Promise<unknown> = Promise.resolve();
  // the touchpoint types some enabled flow reacts to (kept briefly: collect emits often)
  let interest: { types: Set<string>; until: number } | undefined;
  // bumped by every flow change: a lookup that started before the change must not cache what it
  // read, or a flow just enabled would look unfollowed for 5 s (and catch-up would skip its rows)
  let generation = 0;
  const forget = () => {
    generation += 1;
    interest = undefined;
  };

  const interesting = async (): Promise<Set<string>> => {
    if (interest && interest.until > Date.now()) return interest.types;
    const started = generation;
    const types = new Set<string>();
    const counts = await repo.countsByFlow();
    for (const flow of await repo.listFlows()) {
      // a disabled flow with no active enrollment reacts to nothing: with every flow off (the
      // default) collect's stored touchpoints cost flows one cached lookup, no job
      if (!flow.enabled && (counts.get(flow.id)?.active ?? 0) === 0) continue;
      const d = flow.definition;
      // trigger and goal types of disabled flows too: their active enrollments still reach goals
      for (const t of [...followedTypes(d), ...d.goals.flatMap((g) => [...goalTypes(g)])]) types.add(t);
    }
    if (started === generation) interest = { types, until: Date.now() + 5_000 };
    return types;
  };

  const getCarrier = (): FlowCarrier => {
    carrier ??= createFlowCarrier({
      mode: cfg('queue'),
      redisUrl: cfg('redisUrl'),
      prefix: cfg('queuePrefix'),
      handle: async (events) => {
        if ((await engine.handleTouchpoints(events)) > 0) await self.tick();
      },
      log: strapi.log,
    });
    return carrier;
  };

  const self = {
    clock,
    engine,
    repo,

    /** Stored touchpoints → a trigger-evaluation job (only customers' touchpoints some flow cares about). */
    async onStored(touchpoints: FlowEvent[]): Promise<void> {
      const types = await interesting();
      const events = touchpoints
        .filter((tp) => tp.customerId && types.has(tp.type))
        .map(({ id, type, customerId, occurredAt, properties, site, dedupeKey }) => ({ id, type, customerId, occurredAt, properties, site, dedupeKey }));
      if (events.length > 0) await getCarrier().push(events);
    },

    /**
     * Reads the touchpoint store after the catch-up cursor and evaluates the triggers of rows
     * stored at least `lagMs` ago: a trigger job lost with Redis (flushed, down, a crash between
     * storing and queueing) still starts its flow. Rows the live job evaluated already enroll
     * nobody twice (enrollments are unique by trigger). Returns the enrollments started.
     */
    async catchUp(lagMs = flowsConfig().catchUpLagMs): Promise<number> {
      let started = 0;
      for (;;) {
        const from = await repo.cursor();
        const seen = generation;
        const types = await interesting();
        if (types.size === 0) {
          // no flow follows any touchpoint: nothing to catch up, and enabling one later replays no
          // history; not when a flow changed meanwhile (rows stored since may be followed now)
          const last = await ports.lastTouchpointId();
          if (last > from && seen === generation) await repo.moveCursor(from, last, Date.now());
          return started;
        }
        const rows = await ports.touchpointsAfter(from, CATCH_UP_PAGE, types);
        const cutoff = Date.now() - lagMs;
        // ids grow with time: stop at the first row too young (its job is probably under way)
        const fresh = rows.findIndex((r) => r.receivedAt > cutoff);
        const ready = fresh === -1 ? rows : rows.slice(0, fresh);
        if (ready.length === 0) return started;
        const events = ready.filter((tp) => tp.customerId && types.has(tp.type));
        if (events.length > 0) started += await engine.handleTouchpoints(events);
        // another process moved it meanwhile: it carries on from there
        if (!(await repo.moveCursor(from, ready[ready.length - 1].id, Date.now()))) return started;
        if (ready.length < CATCH_UP_PAGE) return started;
      }
    },

    /** One scheduler pass: the trigger catch-up, date triggers, then every due enrollment. Passes never overlap. */
    async tick(): Promise<number> {
      while (ticking) await ticking;
      const run = (async () => {
        await self.catchUp();
        await engine.scanDates();
        return engine.runDue(claim);
      })();
      ticking = run;
      try {
        return await run;
      } finally {
        ticking = undefined;
      }
    },

    /** Waits until pushed touchpoints were evaluated and no pass runs (tests). */
    async idle(): Promise<void> {
      await pushing;
      await getCarrier().idle();
      while (ticking) await ticking;
    },

    async start(): Promise<void> {
      if (!listening) {
        listening = true;
        strapi.eventHub.on(TOUCHPOINTS_STORED, async (payload: Partial<TouchpointsStoredEvent>) => {
          if (!Array.isArray(payload?.touchpoints)) return;
          // queue and return: tracking's emitter must not wait for flows; one after another, so jobs keep the order of the events
          const touchpoints = payload.touchpoints;
          pushing = pushing.then(() => self.onStored(touchpoints)).catch((error: Error) => strapi.log.error(`lifecycle-email: flow triggers not queued: ${error.message}`));
        });
      }
      if (!cfg('workers')) return;
      await getCarrier().startWorker();
      // at boot: what a stopped process or a flushed Redis left (the catch-up), and waits now due
      let first = true;
      const loop = () => {
        timer = setTimeout(() => {
          void self
            .tick()
            .catch((error: Error) => strapi.log.error(`lifecycle-email: flow scheduler: ${error.message}`))
            .finally(() => {
              if (timer) loop();
            });
        }, first ? 0 : flowsConfig().tickMs);
        first = false;
      };
      loop();
    },

    async stop(): Promise<void> {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      await ticking?.catch(() => undefined);
      await carrier?.close();
      carrier = undefined;
    },

    /** Seeds the prebuilt flows (OFF) and the templates they need, when missing. */
    async seed(): Promise<string[]> {
      const created: string[] = [];
      for (const t of FLOW_TEMPLATES) {
        if ((await strapi.db.query(TEMPLATE_UID).count({ where: { name: t.name } })) > 0) continue;
        const doc = await strapi.documents(TEMPLATE_UID).create({ locale: 'en', data: { name: t.name, kind: 'custom', ...t.versions.en } as never });
        const locales = ((await strapi.plugin('i18n').service('locales').find()) as Array<{ code: string }>).map((l) => l.code);
        if (locales.includes('zh-Hans')) await strapi.documents(TEMPLATE_UID).update({ documentId: doc.documentId, locale: 'zh-Hans', data: { name: t.name, kind: 'custom', ...t.versions['zh-Hans'] } as never });
        created.push(`template:${t.name}`);
      }
      for (const f of PREBUILT_FLOWS) {
        if (await repo.insertFlow({ ...f, enabled: false }, Date.now())) created.push(`flow:${f.key}`);
      }
      if (created.length > 0) strapi.log.info(`[${PLUGIN_ID}] seeded ${created.join(', ')}`);
      return created;
    },

    /** Flows with their enrollment counts and per-step stats (the admin list). */
    async list() {
      const [flows, counts, stats] = await Promise.all([repo.listFlows(), repo.countsByFlow(), repo.stepStats()]);
      return flows.map((f) => ({ ...f, enrollments: counts.get(f.id) ?? { active: 0, completed: 0, exited: 0 }, steps: stepStats(f, stats.get(f.id) ?? []) }));
    },

    /** What a definition may name (the editor's pickers read it, so they never offer what the server refuses). */
    vocabulary() {
      return { events: EVENT_NAMES, customerFields: CUSTOMER_FIELDS, dateFields: DATE_FIELDS };
    },

    /** @throws ValidationError naming the field or step */
    async create(input: Record<string, unknown>): Promise<FlowRow> {
      const key = String(input.key ?? '');
      if (!KEY.test(key)) throw new errors.ValidationError('key: 2-63 lower-case letters, digits and "-"');
      const name = checkName(input.name);
      const definition = definitionOrThrow(input.definition);
      const flow = await repo.insertFlow({ key, name, enabled: input.enabled === true, definition }, Date.now());
      if (!flow) throw new errors.ApplicationError(`key: a flow "${key}" exists already`);
      forget();
      return flow;
    },

    /** @throws NotFoundError, ValidationError */
    async update(id: number, input: Record<string, unknown>): Promise<FlowRow> {
      if (!(await repo.getFlow(id))) throw new errors.NotFoundError(`no flow ${id}`);
      if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw new errors.ValidationError('enabled: true or false');
      const patch = {
        ...(input.name !== undefined ? { name: checkName(input.name) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled as boolean } : {}),
        ...(input.definition !== undefined ? { definition: definitionOrThrow(input.definition) } : {}),
      };
      const flow = (await repo.updateFlow(id, patch, Date.now())) as FlowRow;
      // after the write: a lookup that began before it has read the old flow
      forget();
      return flow;
    },

    async enrollments(id: number, query: Record<string, unknown>) {
      if (!(await repo.getFlow(id))) throw new errors.NotFoundError(`no flow ${id}`);
      const state = query.state === undefined ? undefined : String(query.state);
      if (state !== undefined && !STATES.includes(state as EnrollmentState)) throw new errors.ValidationError(`state: one of ${STATES.join(', ')}`);
      const limit = Math.min(Math.max(Number(query.limit ?? 50) || 50, 1), 200);
      const offset = Math.max(Number(query.offset ?? 0) || 0, 0);
      return repo.listEnrollments(id, { state: state as EnrollmentState | undefined, limit, offset });
    },
  };
  return self;
};

function checkName(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 200) throw new errors.ValidationError('name: 1-200 characters');
  return value.trim();
}

/** One row per step: its type and how many enrollments entered, were sent to and exited there. */
function stepStats(flow: FlowRow, stats: Array<{ step: number; metric: string; count: number }>) {
  return flow.definition.steps.map((s, i) => {
    const of = (metric: string) => stats.find((x) => x.step === i && x.metric === metric)?.count ?? 0;
    return { index: i, type: s.type, ...(s.type === 'send' ? { template: s.template } : {}), entered: of('entered'), sent: of('sent'), exited: of('exited') };
  });
}
