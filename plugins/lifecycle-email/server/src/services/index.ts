import mailer from './mailer';
import seed from './seed';
import templates from './templates';

export default { templates, seed, mailer };
