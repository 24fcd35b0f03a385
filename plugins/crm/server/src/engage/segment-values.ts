/** The values segment rules accept for enumerated fields (no zod: the admin bundle imports this). */
export const TIERS = ['big_b', 'small_b', 'consumer'] as const;
export const STAGES = ['subscriber', 'lead', 'inquiry', 'negotiating', 'customer', 'loyal', 'advocate'] as const;
export const CONSENTS = ['unknown', 'subscribed', 'unsubscribed', 'pending'] as const;
export const INQUIRY_STATUSES = ['new', 'contacted', 'quoted', 'negotiating', 'won', 'lost'] as const;
