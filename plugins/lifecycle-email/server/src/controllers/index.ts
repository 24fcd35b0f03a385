import library from './library';
import preview from './preview';

export default { preview, library };
