import { z } from 'zod';

/** What a rule makes of a matching form; `ignore`: not recorded at all. */
export const FORM_RULE_KINDS = ['inquiry', 'contact', 'newsletter', 'other', 'ignore'] as const;

/**
 * A store owner's rule for one form on their site: a CSS selector the form (or Ninja Forms'
 * container) matches — `#gform_7`, `.wpcf7 form`, `form[action*="quote"]` — and what it is.
 * Selectors are checked in the browser (an invalid one never matches); here only their size
 * and characters, so nothing that could break out of a selector string is stored.
 */
export const formRuleSchema = z
  .object({
    match: z
      .string()
      .trim()
      .min(1, 'give a CSS selector, such as #gform_7 or .wpcf7 form')
      .max(200, 'at most 200 characters')
      .regex(/^[^<>{};\\`]+$/, 'a CSS selector may not contain < > { } ; \\ or `'),
    kind: z.enum(FORM_RULE_KINDS, { message: `one of ${FORM_RULE_KINDS.join(', ')}` }),
  })
  .strict();

export const formRulesBodySchema = z.object({ rules: z.array(formRuleSchema).max(50, 'at most 50 rules per site') }).strict();

export type FormRule = z.infer<typeof formRuleSchema>;
