export const CUSTOMER_UID = 'plugin::crm.customer' as const;
