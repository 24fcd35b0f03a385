/**
 * Segment rules: and/or groups of conditions over customers, validated (size and depth
 * bounded, errors naming the rule) and compiled to one SQL WHERE with knex. Pure: the
 * segments service and bench/segments.ts pass the knex instance and the table names.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { CONSENTS, INQUIRY_STATUSES, STAGES, TIERS } from './segment-values';

export const RULE_LIMITS = { maxDepth: 4, maxConditions: 50, maxGroupSize: 20, maxValues: 100, maxDays: 3650 } as const;

const values = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, 'at least one value').max(RULE_LIMITS.maxValues);
const days = z.number().int().min(1).max(RULE_LIMITS.maxDays);
const amount = z.number().finite().min(0);
const range = <F extends 'score' | 'ordersCount' | 'totalSpent'>(field: F) =>
  z
    .object({ field: z.literal(field), min: amount.optional(), max: amount.optional() })
    .strict()
    .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min is above max');

export { CONSENTS, INQUIRY_STATUSES, STAGES, TIERS };

export const conditionSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('tier'), in: values(z.enum(TIERS)) }).strict(),
  z.object({ field: z.literal('stage'), in: values(z.enum(STAGES)) }).strict(),
  z.object({ field: z.literal('country'), in: values(z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code')) }).strict(),
  z.object({ field: z.literal('language'), in: values(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as de or zh-Hans')) }).strict(),
  z.object({ field: z.literal('tags'), match: z.enum(['any', 'all', 'none']).default('any'), values: values(z.string().min(1).max(64)) }).strict(),
  range('score'),
  z.object({ field: z.literal('consent'), in: values(z.enum(CONSENTS)) }).strict(),
  range('ordersCount'),
  range('totalSpent'),
  z
    .object({ field: z.literal('lastSeen'), withinDays: days.optional(), notWithinDays: days.optional() })
    .strict()
    .refine((r) => (r.withinDays === undefined) !== (r.notWithinDays === undefined), 'give withinDays or notWithinDays'),
  z
    .object({
      field: z.literal('touchpoint'),
      type: z.string().regex(/^[a-z][a-z_]{1,31}$/, 'a touchpoint type such as product_view'),
      withinDays: days,
      /** true: customers WITHOUT such a touchpoint */
      absent: z.boolean().optional(),
    })
    .strict(),
  z.object({ field: z.literal('inquiryStatus'), in: values(z.enum(INQUIRY_STATUSES)) }).strict(),
]);

export type Condition = z.infer<typeof conditionSchema>;
export interface RuleGroup {
  op: 'and' | 'or';
  rules: Array<Condition | RuleGroup>;
}

const FIELDS = ['tier', 'stage', 'country', 'language', 'tags', 'score', 'consent', 'ordersCount', 'totalSpent', 'lastSeen', 'touchpoint', 'inquiryStatus'];

const groupHeaderSchema = z.object({ op: z.enum(['and', 'or']), rules: z.array(z.unknown()).min(1, 'an empty group') }).strict();

const pathOf = (path: PropertyKey[]) =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');

export class RuleError extends Error {}

/** Checks depth and size first (cheap, before zod walks anything big), then the shape. */
function checkBounds(node: unknown, depth: number, counter: { conditions: number }, path: string) {
  if (depth > RULE_LIMITS.maxDepth) throw new RuleError(`${path}: groups nest at most ${RULE_LIMITS.maxDepth} deep`);
  if (!node || typeof node !== 'object' || Array.isArray(node)) throw new RuleError(`${path}: a group { op, rules } or a condition { field, ... }`);
  const rec = node as Record<string, unknown>;
  if ('rules' in rec) {
    if (!Array.isArray(rec.rules)) throw new RuleError(`${path}.rules: a list`);
    if (rec.rules.length > RULE_LIMITS.maxGroupSize) throw new RuleError(`${path}.rules: at most ${RULE_LIMITS.maxGroupSize} rules per group`);
    for (const [i, child] of rec.rules.entries()) checkBounds(child, depth + 1, counter, `${path}.rules[${i}]`);
    return;
  }
  counter.conditions += 1;
  if (counter.conditions > RULE_LIMITS.maxConditions) throw new RuleError(`${path}: at most ${RULE_LIMITS.maxConditions} conditions in a segment`);
  if (typeof rec.field !== 'string' || !FIELDS.includes(rec.field)) throw new RuleError(`${path}.field: unknown field ${JSON.stringify(rec.field)} (one of ${FIELDS.join(', ')})`);
}

/** Valid rules, or a RuleError whose message names the offending rule ("rules.rules[1].in[0]: ..."). */
export function parseRules(input: unknown): RuleGroup {
  if (JSON.stringify(input ?? null).length > 20_000) throw new RuleError('rules: larger than 20,000 characters');
  checkBounds(input, 1, { conditions: 0 }, 'rules');
  return parseNode(input, ['rules']) as RuleGroup;
}

/** Each group and condition on its own, so an error names the rule's own path. */
function parseNode(node: unknown, path: PropertyKey[]): RuleGroup | Condition {
  const isGroup = !!node && typeof node === 'object' && 'rules' in node;
  const parsed = (isGroup ? groupHeaderSchema : conditionSchema).safeParse(node);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RuleError(`${pathOf([...path, ...issue.path])}: ${issue.message}`);
  }
  if (!isGroup) return parsed.data as Condition;
  const group = parsed.data as { op: 'and' | 'or'; rules: unknown[] };
  return { op: group.op, rules: group.rules.map((child, i) => parseNode(child, [...path, 'rules', i])) };
}

export interface SegmentTables {
  customers: string;
  touchpoints: string;
  inquiries: string;
  /** the inquiry → customer link table */
  inquiryLink: { table: string; inquiry: string; customer: string };
  /** how the dialect stores datetimes: sqlite (Strapi: epoch ms) or postgres (timestamp) */
  client: 'sqlite' | 'postgres';
}

export const CUSTOMER_COLUMNS: Record<string, string> = {
  tier: 'tier',
  stage: 'stage',
  country: 'country',
  language: 'language',
  score: 'score',
  consent: 'email_consent',
  ordersCount: 'orders_count',
  totalSpent: 'total_spent',
  lastSeen: 'last_seen_at',
};

type Where = Knex.QueryBuilder;

function applyCondition(knex: Knex, qb: Where, rule: Condition, alias: string, tables: SegmentTables, now: number) {
  const col = (name: string) => `${alias}.${name}`;
  const time = (ms: number) => (tables.client === 'sqlite' ? ms : new Date(ms));
  switch (rule.field) {
    case 'tier':
    case 'stage':
    case 'consent':
    case 'inquiryStatus':
      if (rule.field === 'inquiryStatus') {
        const l = tables.inquiryLink;
        qb.whereExists(
          knex
            .select(knex.raw('1'))
            .from(`${l.table} as sl`)
            .join(`${tables.inquiries} as si`, 'si.id', `sl.${l.inquiry}`)
            .whereRaw(`sl.${l.customer} = ${col('id')}`)
            .whereIn('si.status', rule.in),
        );
      } else qb.whereIn(col(CUSTOMER_COLUMNS[rule.field]), rule.in);
      return;
    case 'country':
      qb.whereIn(col('country'), rule.in.map((c) => c.toUpperCase()));
      return;
    case 'language':
      // "de" matches de, de-DE, de-AT
      qb.where((w) => {
        for (const lang of rule.in) w.orWhere(col('language'), lang).orWhere(col('language'), 'like', `${lang}-%`);
      });
      return;
    case 'score':
    case 'ordersCount':
    case 'totalSpent': {
      const c = col(CUSTOMER_COLUMNS[rule.field]);
      if (rule.min !== undefined) qb.where(c, '>=', rule.min);
      if (rule.max !== undefined) qb.where(c, '<=', rule.max);
      return;
    }
    case 'lastSeen':
      if (rule.withinDays !== undefined) qb.where(col('last_seen_at'), '>=', time(now - rule.withinDays * 86_400_000));
      else qb.where((w) => w.whereNull(col('last_seen_at')).orWhere(col('last_seen_at'), '<', time(now - (rule.notWithinDays as number) * 86_400_000)));
      return;
    case 'touchpoint': {
      const sub = knex
        .select(knex.raw('1'))
        .from(`${tables.touchpoints} as st`)
        .whereRaw(`st.customer_id = ${col('document_id')}`)
        .where('st.type', rule.type)
        .where('st.occurred_at', '>=', now - rule.withinDays * 86_400_000);
      if (rule.absent) qb.whereNotExists(sub);
      else qb.whereExists(sub);
      return;
    }
    case 'tags': {
      if (tables.client === 'postgres') {
        const contains = (vals: string[]) => knex.raw(`coalesce(${col('tags')} @> ?::jsonb, false)`, [JSON.stringify(vals)]);
        if (rule.match === 'all') qb.where(contains(rule.values));
        else {
          const any = (w: Where) => {
            for (const v of rule.values) w.orWhere(contains([v]));
          };
          if (rule.match === 'none') qb.whereNot(any);
          else qb.where(any);
        }
      } else {
        const tagged = (vals: string[]) =>
          knex
            .select(knex.raw('1'))
            .from(knex.raw(`json_each(CASE WHEN json_valid(${col('tags')}) AND json_type(${col('tags')}) = 'array' THEN ${col('tags')} END) as tg`))
            .whereIn('tg.value', vals);
        if (rule.match === 'any') qb.whereExists(tagged(rule.values));
        else if (rule.match === 'none') qb.whereNotExists(tagged(rule.values));
        else for (const v of rule.values) qb.whereExists(tagged([v]));
      }
      return;
    }
  }
}

function applyGroup(knex: Knex, qb: Where, group: RuleGroup, alias: string, tables: SegmentTables, now: number) {
  for (const rule of group.rules) {
    const clause = (w: Where) => {
      if ('rules' in rule) applyGroup(knex, w, rule, alias, tables, now);
      else applyCondition(knex, w, rule, alias, tables, now);
    };
    if (group.op === 'or') qb.orWhere(clause);
    else qb.where(clause);
  }
}

/** Adds the rules to a query over the customers table (aliased `alias`); merged-away customers never match. */
export function applyRules(knex: Knex, qb: Where, rules: RuleGroup, options: { alias: string; tables: SegmentTables; now: number }) {
  return qb.where((w) => {
    w.whereNull(`${options.alias}.merged_into`);
    w.where((inner) => applyGroup(knex, inner, rules, options.alias, options.tables, options.now));
  });
}

/**
 * Indexes the segment conditions and the customer list use (created at bootstrap; bench:segments
 * compares with and without). On PostgreSQL the tier/score index also carries document_id and
 * skips merged customers, so a count joins touchpoints from an index-only scan instead of
 * visiting a heap page per matching customer (bench:segments at 1M: 144 ms, 421 ms without;
 * with a plain (tier, score) index the bitmap heap scan lost to a parallel seq scan, 0.9×).
 */
export const SEGMENT_INDEXES: Array<[name: string, columns: string, postgresSuffix?: string]> = [
  ['crm_customers_tier_score', 'tier, score', 'INCLUDE (document_id) WHERE merged_into IS NULL'],
  ['crm_customers_stage_seen', 'stage, last_seen_at'],
  ['crm_customers_country_seen', 'country, last_seen_at'],
  ['crm_customers_seen', 'last_seen_at'],
  ['crm_customers_score', 'score'],
];

/** CREATE INDEX statements of SEGMENT_INDEXES for one dialect (idempotent). */
export const segmentIndexStatements = (client: 'sqlite' | 'postgres', table: string) =>
  SEGMENT_INDEXES.map(([name, columns, pg]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${columns})${client === 'postgres' && pg ? ` ${pg}` : ''}`);
