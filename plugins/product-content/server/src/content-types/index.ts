import faqItem from './faq-item';
import sellingPoint from './selling-point';

export default {
  'faq-item': faqItem,
  'selling-point': sellingPoint,
};
