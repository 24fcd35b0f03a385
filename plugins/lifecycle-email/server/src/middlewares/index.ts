import linkRateLimit from './link-rate-limit';

export default { 'link-rate-limit': linkRateLimit };
