import customers from './customers';
import permissions from './permissions';

export default { customers, permissions };
