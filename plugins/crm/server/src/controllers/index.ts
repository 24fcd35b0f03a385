import customers from './customers';
import csvExports from './exports';
import imports from './imports';
import inquiries from './inquiries';
import live from './live';
import pool from './pool';
import quotes from './quotes';
import segments from './segments';

export default { customers, inquiries, live, imports, exports: csvExports, pool, quotes, segments };
