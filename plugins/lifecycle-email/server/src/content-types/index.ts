import emailPartial from './email-partial';
import emailTemplate from './email-template';

export default { 'email-template': emailTemplate, 'email-partial': emailPartial };
