import customers from './customers';
import inquiries from './inquiries';
import permissions from './permissions';

export default { customers, inquiries, permissions };
