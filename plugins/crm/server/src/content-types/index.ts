import company from './company';
import customer from './customer';
import followUp from './follow-up';
import inquiry from './inquiry';
import quote from './quote';
import segment from './segment';

export default { customer, company, inquiry, 'follow-up': followUp, quote, segment };
