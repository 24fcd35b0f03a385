import contentTypes from './content-types';
import services from './services';

/** CRM: customers (this slice: the customer model identity stitching needs). */
export default {
  contentTypes,
  services,
};
