import auth from './auth';
import proxy from './proxy';

export default { auth, proxy };
