import serverApi from './server-api';

export default { 'server-api': serverApi };
