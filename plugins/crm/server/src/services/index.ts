import cadence from './cadence';
import clock from './clock';
import customers from './customers';
import inquiries from './inquiries';
import permissions from './permissions';
import pool from './pool';
import quotes from './quotes';
import scoring from './scoring';
import segments from './segments';
import tiers from './tiers';

export default { customers, inquiries, permissions, clock, cadence, pool, scoring, tiers, quotes, segments };
