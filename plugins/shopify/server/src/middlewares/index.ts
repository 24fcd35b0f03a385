import appProxy from './app-proxy';

export default { 'app-proxy': appProxy };
