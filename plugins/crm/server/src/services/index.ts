import customerActions from './customer-actions';
import customerQueries from './customer-queries';
import customers from './customers';
import exportService from './export';
import importService from './import';
import inquiryBoard from './inquiry-board';
import live from './live';
import permissions from './permissions';

export default {
  customers,
  permissions,
  'customer-queries': customerQueries,
  'customer-actions': customerActions,
  'inquiry-board': inquiryBoard,
  live,
  import: importService,
  export: exportService,
};
