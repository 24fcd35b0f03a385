import mailer from './mailer';
import outbox from './outbox';
import seed from './seed';
import templates from './templates';

export default { templates, seed, mailer, outbox };
