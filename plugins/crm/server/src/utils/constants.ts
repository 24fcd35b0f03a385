export const PLUGIN_ID = 'crm';
export const CUSTOMER_UID = 'plugin::crm.customer' as const;
