import serverApi from './server-api';
import sites from './sites';

export default { 'server-api': serverApi, sites };
