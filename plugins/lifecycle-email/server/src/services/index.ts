import campaigns from '../campaigns/service';
import compliance from './compliance';
import delivery from './delivery';
import flows from './flows';
import mailer from './mailer';
import messages from './messages';
import outbox from './outbox';
import permissions from './permissions';
import previewCustomers from './preview-customers';
import privacy from './privacy';
import seed from './seed';
import templates from './templates';

export default { templates, seed, mailer, outbox, permissions, delivery, messages, compliance, privacy, previewCustomers, flows, campaigns };
