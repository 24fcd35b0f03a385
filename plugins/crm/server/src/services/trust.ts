/**
 * Where a customer's traits came from. The storefront's collect endpoint is open to anyone,
 * so what it claims (a name typed into a form, an identify() call) is *unverified*: it fills
 * a gap, but never overwrites what a trusted source said (the admin, an API token, Shopify),
 * and a trusted source replaces it. The names of the unverified traits are kept on the
 * customer (`unverifiedTraits`) so the admin shows them as such.
 */
export const TRAIT_KEYS = ['email', 'externalId', 'name', 'phone', 'company', 'country'] as const;
export type TraitKey = (typeof TRAIT_KEYS)[number];

export type TraitValues = Partial<Record<TraitKey, string>>;

/** The stored list, whatever shape the JSON column holds (null, a list, something an admin typed). */
export function unverifiedOf(value: unknown): Set<TraitKey> {
  const keys = Array.isArray(value) ? value : [];
  return new Set(keys.filter((k): k is TraitKey => (TRAIT_KEYS as readonly unknown[]).includes(k)));
}

/**
 * What an identify changes on an existing customer: a patch of trait values and the new
 * unverified list. Rules: an empty trait is filled by anyone; a trusted value replaces an
 * unverified one (and confirms it when equal); an unverified value never replaces anything.
 */
/** When each trait was last said (epoch ms), kept on the customer as `traitTimes`. */
export type TraitTimes = Partial<Record<TraitKey, number>>;

export function traitTimesOf(value: unknown): TraitTimes {
  const out: TraitTimes = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const key of TRAIT_KEYS) {
    const t = (value as Record<string, unknown>)[key];
    if (typeof t === 'number' && Number.isFinite(t)) out[key] = t;
  }
  return out;
}

/**
 * With `timing` (when the incoming values were said, and when the stored ones were), a source
 * of the same trust replaces a value only when it is newer: a form delivered late or twice
 * never overwrites what the buyer typed afterwards. Values without a stored time are kept.
 */
export function mergeTraits(
  existing: Partial<Record<TraitKey, string | null | undefined>>,
  unverified: Set<TraitKey>,
  incoming: TraitValues,
  verified: boolean,
  timing?: { at: number; times: TraitTimes },
): { patch: TraitValues; unverified: Set<TraitKey>; times: TraitTimes } {
  const patch: TraitValues = {};
  const next = new Set(unverified);
  const times: TraitTimes = { ...(timing?.times ?? {}) };
  for (const key of TRAIT_KEYS) {
    const value = incoming[key];
    if (!value) continue;
    const current = existing[key];
    const sameTrust = verified !== next.has(key);
    const storedAt = timing?.times[key];
    if (!current) {
      patch[key] = value;
      if (verified) next.delete(key);
      else next.add(key);
    } else if (verified && next.has(key)) {
      if (current !== value) patch[key] = value;
      next.delete(key);
    } else if (timing && sameTrust && storedAt !== undefined && timing.at > storedAt) {
      if (current !== value) patch[key] = value;
    } else {
      continue;
    }
    if (timing) times[key] = Math.max(timing.at, key in patch ? timing.at : (storedAt ?? 0));
  }
  return { patch, unverified: next, times };
}

export const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((k) => b.has(k));
