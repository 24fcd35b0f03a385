import auth from './auth';
import dataExports from './exports';
import proxy from './proxy';

export default { auth, exports: dataExports, proxy };
