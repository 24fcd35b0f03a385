import campaigns from '../campaigns/controller';
import library from './library';
import links from './links';
import preview from './preview';

export default { preview, library, links, campaigns };
