import sendTestRecipient from './send-test-recipient';

export default { 'send-test-recipient': sendTestRecipient };
