export const PLUGIN_ID = 'product-content';
export const FAQ_UID = 'plugin::product-content.faq-item' as const;
export const SELLING_POINT_UID = 'plugin::product-content.selling-point' as const;
