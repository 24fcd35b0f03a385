import customers from './customers';
import csvExports from './exports';
import imports from './imports';
import inquiries from './inquiries';
import live from './live';

export default { customers, inquiries, live, imports, exports: csvExports };
