import flows from './flows';
import library from './library';
import links from './links';
import preview from './preview';

export default { preview, library, links, flows };
