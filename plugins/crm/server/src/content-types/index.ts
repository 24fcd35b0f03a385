import company from './company';
import customer from './customer';
import followUp from './follow-up';
import inquiry from './inquiry';

export default { customer, company, inquiry, 'follow-up': followUp };
