export const PLUGIN_ID = 'lifecycle-email';
export const TEMPLATE_UID = 'plugin::lifecycle-email.email-template' as const;
export const PARTIAL_UID = 'plugin::lifecycle-email.email-partial' as const;
