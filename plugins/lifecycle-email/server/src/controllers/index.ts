import flows from './flows';
import campaigns from '../campaigns/controller';
import library from './library';
import links from './links';
import messageLog from './message-log';
import preview from './preview';

export default { preview, library, links, messageLog, flows, campaigns };
