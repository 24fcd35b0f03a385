import { SALES_ROLE } from '../permissions';
import { COMPANY_UID, CUSTOMER_UID, FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';

const PERSONAL = [CUSTOMER_UID, COMPANY_UID, INQUIRY_UID, FOLLOW_UP_UID];

/**
 * The CRM's part in the built-in roles (applied once by the app's bootstrap,
 * src/role-defaults.ts). Customers are personal data: Strapi gives its Editor and Author roles
 * Content Manager access to every content type that exists when the admin first starts,
 * customers included; Moat takes that away once (an admin may grant it again, and it stays).
 */
export default () => ({
  roleDefaults: () => ({}),
  /** roles the app creates once (src/role-defaults.ts): the Sales role with its actions */
  roles: () => [SALES_ROLE],
  roleRemovals: (): Record<string, string[]> => ({
    'strapi-editor': PERSONAL,
    'strapi-author': PERSONAL,
  }),
});
