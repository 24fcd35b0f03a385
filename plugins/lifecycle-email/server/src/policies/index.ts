import customerData from './customer-data';
import sendTestRecipient from './send-test-recipient';

export default { 'send-test-recipient': sendTestRecipient, 'customer-data': customerData };
