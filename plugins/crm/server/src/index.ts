import bootstrap from './bootstrap';
import contentTypes from './content-types';
import register from './register';
import services from './services';

/** CRM: customers (this slice: the customer model identity stitching needs, and whose word each trait is). */
export default {
  register,
  bootstrap,
  contentTypes,
  services,
};
