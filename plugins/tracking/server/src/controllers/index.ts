import formRules from './form-rules';
import serverApi from './server-api';
import sites from './sites';

export default { 'form-rules': formRules, 'server-api': serverApi, sites };
