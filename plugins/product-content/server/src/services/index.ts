import demoSeed from './demo-seed';
import locales from './locales';
import productContent from './product-content';

export default {
  locales,
  'product-content': productContent,
  'demo-seed': demoSeed,
};
