import insights from './insights';
import spend from './spend';

export default { insights, spend };
