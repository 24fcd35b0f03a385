import admin from './admin';
import appHome from './app-home';
import auth from './auth';
import backfill from './backfill';
import dataExports from './exports';
import proxy from './proxy';

export default { admin, 'app-home': appHome, auth, backfill, exports: dataExports, proxy };
