import mailer from './mailer';
import outbox from './outbox';
import permissions from './permissions';
import seed from './seed';
import templates from './templates';

export default { templates, seed, mailer, outbox, permissions };
