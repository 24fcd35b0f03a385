export const PLUGIN_ID = 'crm';
export const CUSTOMER_UID = 'plugin::crm.customer' as const;
export const COMPANY_UID = 'plugin::crm.company' as const;
export const INQUIRY_UID = 'plugin::crm.inquiry' as const;
export const FOLLOW_UP_UID = 'plugin::crm.follow-up' as const;
