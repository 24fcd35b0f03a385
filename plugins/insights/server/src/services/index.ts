import alert from './alert';
import attribution from './attribution';
import digest from './digest';
import funnel from './funnel';
import permissions from './permissions';
import questions from './questions';
import rollups from './rollups';
import seasonality from './seasonality';
import settings from './settings';
import spend from './spend';

export default { alert, attribution, digest, funnel, permissions, questions, rollups, seasonality, settings, spend };
