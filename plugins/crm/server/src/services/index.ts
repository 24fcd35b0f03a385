import cadence from './cadence';
import clock from './clock';
import customerActions from './customer-actions';
import customerQueries from './customer-queries';
import customers from './customers';
import exportService from './export';
import importService from './import';
import inquiries from './inquiries';
import inquiryBoard from './inquiry-board';
import live from './live';
import orders from './orders';
import permissions from './permissions';
import pool from './pool';
import privacy from './privacy';
import quotes from './quotes';
import scoring from './scoring';
import segments from './segments';
import tiers from './tiers';

export default {
  customers,
  inquiries,
  permissions,
  clock,
  cadence,
  pool,
  privacy,
  scoring,
  tiers,
  quotes,
  segments,
  'customer-queries': customerQueries,
  'customer-actions': customerActions,
  'inquiry-board': inquiryBoard,
  live,
  orders,
  import: importService,
  export: exportService,
};
