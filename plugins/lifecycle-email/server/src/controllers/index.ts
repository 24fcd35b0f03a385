import preview from './preview';

export default { preview };
