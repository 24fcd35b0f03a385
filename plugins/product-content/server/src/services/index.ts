import adminLayout from './admin-layout';
import demoSeed from './demo-seed';
import locales from './locales';
import productContent from './product-content';
import responseCache from './response-cache';

export default {
  'admin-layout': adminLayout,
  locales,
  'product-content': productContent,
  'demo-seed': demoSeed,
  'response-cache': responseCache,
};
