import pool from './pool';
import quotes from './quotes';
import segments from './segments';

export default { pool, quotes, segments };
