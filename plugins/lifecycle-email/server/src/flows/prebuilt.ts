import type { FlowDefinition } from './definition';

/**
 * Flows every shop starts with, seeded OFF (an admin turns each on in Lifecycle email →
 * Flows). Keys are stable: a seeded flow an admin edited or disabled is never overwritten.
 */
export const PREBUILT_FLOWS: Array<{ key: string; name: string; definition: FlowDefinition }> = [
  {
    key: 'welcome-series',
    name: 'Welcome series (day 0, 3, 7)',
    definition: {
      trigger: { on: 'event', events: ['signup'] },
      steps: [
        { type: 'send', template: 'Welcome', kind: 'marketing' },
        { type: 'wait', days: 3 },
        { type: 'send', template: 'Welcome', kind: 'marketing' },
        { type: 'wait', days: 4 },
        { type: 'send', template: 'Welcome', kind: 'marketing' },
      ],
      goals: [{ type: 'purchase' }, { type: 'unsubscribe' }],
      reentry: { mode: 'once' },
    },
  },
  {
    key: 'inquiry-nurture',
    name: 'Inquiry nurture (day 1, 3, 7 until the inquiry moves on)',
    definition: {
      trigger: { on: 'event', events: ['inquiry_created'] },
      steps: [
        { type: 'wait', days: 1 },
        { type: 'wait_until', time: '10:00', weekdays: [1, 2, 3, 4, 5] },
        { type: 'send', template: 'Inquiry follow-up', kind: 'transactional' },
        { type: 'wait', days: 2 },
        { type: 'send', template: 'Inquiry follow-up', kind: 'transactional' },
        { type: 'wait', days: 4 },
        { type: 'send', template: 'Inquiry follow-up', kind: 'transactional' },
      ],
      goals: [{ type: 'inquiry_moved' }, { type: 'reply' }, { type: 'purchase' }],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'shipping-notification',
    name: 'Shipping notification',
    definition: {
      trigger: { on: 'event', events: ['fulfillment'] },
      steps: [{ type: 'send', template: 'Shipping confirmation', kind: 'transactional' }],
      goals: [],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'order-milestone',
    name: 'Order milestone (5th, 10th, 25th order)',
    definition: {
      trigger: { on: 'event', events: ['order'], if: { field: 'ordersCount', op: 'in', value: [5, 10, 25] } },
      steps: [
        { type: 'send', template: 'Milestone', kind: 'marketing', data: { milestone: { headline: 'Thank you for ordering with us again', message: 'Loyal buyers like you keep our lines running.' } } },
      ],
      goals: [],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'win-back',
    name: 'Loyalty win-back (90 days without an order)',
    definition: {
      trigger: { on: 'date', field: 'lastOrderAt', afterDays: 90 },
      steps: [
        { type: 'wait_until', time: '10:00' },
        { type: 'send', template: 'Win-back', kind: 'marketing' },
      ],
      goals: [{ type: 'purchase' }, { type: 'unsubscribe' }],
      reentry: { mode: 'after', days: 90 },
    },
  },
  {
    key: 'first-order-anniversary',
    name: 'First-order anniversary (every year on the day)',
    definition: {
      trigger: { on: 'date', field: 'firstOrderAt' },
      steps: [
        { type: 'wait_until', time: '10:00' },
        { type: 'send', template: 'Milestone', kind: 'marketing', data: { milestone: { headline: 'Another year together', message: 'it is another year since your first order with us. Thank you for your trust!' } } },
      ],
      goals: [{ type: 'unsubscribe' }],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'vip-tier',
    name: 'VIP welcome (reached the big B tier)',
    definition: {
      trigger: { on: 'event', events: ['tier_changed'], if: { field: 'tier', op: 'eq', value: 'big_b' } },
      steps: [
        { type: 'wait_until', time: '10:00' },
        { type: 'send', template: 'VIP welcome', kind: 'marketing' },
      ],
      goals: [{ type: 'unsubscribe' }],
      reentry: { mode: 'once' },
    },
  },
  {
    key: 'reorder-reminder',
    name: 'Reorder reminder (45 days after the last order)',
    definition: {
      trigger: { on: 'date', field: 'lastOrderAt', afterDays: 45 },
      steps: [
        { type: 'wait_until', time: '10:00' },
        { type: 'send', template: 'Reorder reminder', kind: 'marketing' },
      ],
      goals: [{ type: 'purchase' }, { type: 'unsubscribe' }],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'birthday',
    name: 'Birthday greeting (on the day, in the buyer\'s time zone)',
    definition: {
      trigger: { on: 'date', field: 'birthday' },
      steps: [
        { type: 'wait_until', time: '09:00' },
        { type: 'send', template: 'Birthday', kind: 'marketing' },
      ],
      goals: [{ type: 'unsubscribe' }],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'abandoned-cart',
    name: 'Abandoned cart (no order within 4 hours)',
    definition: {
      trigger: { on: 'event', events: ['cart_add'] },
      steps: [
        { type: 'wait', hours: 4 },
        { type: 'send', template: 'Abandoned cart', kind: 'marketing' },
      ],
      goals: [{ type: 'purchase' }, { type: 'unsubscribe' }],
      reentry: { mode: 'after', days: 7 },
    },
  },
  {
    // Shopify's checkouts/*: the shopify plugin records checkout_abandoned after its own wait
    // (MOAT_SHOPIFY_ABANDON_HOURS), with the items by name and the checkout's recovery link
    key: 'abandoned-checkout',
    name: 'Abandoned checkout (Shopify)',
    definition: {
      trigger: { on: 'event', events: ['checkout_abandoned'] },
      steps: [{ type: 'send', template: 'Abandoned cart', kind: 'marketing' }],
      goals: [{ type: 'purchase' }, { type: 'unsubscribe' }],
      reentry: { mode: 'after', days: 7 },
    },
  },
  {
    key: 'browse-abandonment',
    name: 'Browse abandonment (a product viewed 3 times, no cart)',
    definition: {
      trigger: { on: 'event', events: ['product_view'], if: { touchpoint: 'product_view', withinHours: 24, min: 3 } },
      steps: [
        { type: 'wait', hours: 2 },
        { type: 'send', template: 'Browse reminder', kind: 'marketing' },
      ],
      goals: [{ type: 'event', event: 'cart_add' }, { type: 'purchase' }, { type: 'unsubscribe' }],
      reentry: { mode: 'after', days: 14 },
    },
  },
];

const page = (body: string) =>
  `<mjml><mj-body background-color="#f4f5f8">{{> header}}<mj-section background-color="#ffffff" padding="24px"><mj-column>${body}</mj-column></mj-section>{{> footer}}</mj-body></mjml>`;

/** Simple templates the prebuilt flows need beyond the seeded kinds (custom kind, en + zh-Hans). */
export const FLOW_TEMPLATES: Array<{ name: string; versions: Record<'en' | 'zh-Hans', { subject: string; mjml: string }> }> = [
  {
    name: 'Abandoned cart',
    versions: {
      en: {
        subject: 'You left something in your cart at {{shop.name}}',
        mjml: page(
          '<mj-text>Hi {{fallback customer.firstName "there"}}, your cart is waiting:</mj-text><mj-text>{{#each cart.items}}<p>{{this.title}} × {{this.quantity}}</p>{{/each}}</mj-text><mj-button href="{{cart.url}}">Back to your cart</mj-button>',
        ),
      },
      'zh-Hans': {
        subject: '您在 {{shop.name}} 的购物车还有商品',
        mjml: page('<mj-text>{{fallback customer.firstName "您好"}}，您的购物车里还有：</mj-text><mj-text>{{#each cart.items}}<p>{{this.title}} × {{this.quantity}}</p>{{/each}}</mj-text><mj-button href="{{cart.url}}">返回购物车</mj-button>'),
      },
    },
  },
  {
    name: 'Browse reminder',
    versions: {
      en: {
        subject: 'Still thinking about {{product.title}}?',
        mjml: page('<mj-text>Hi {{fallback customer.firstName "there"}}, {{product.title}} is still available.</mj-text><mj-button href="{{product.url}}">Take another look</mj-button>'),
      },
      'zh-Hans': {
        subject: '还在考虑 {{product.title}} 吗？',
        mjml: page('<mj-text>{{fallback customer.firstName "您好"}}，{{product.title}} 仍有现货。</mj-text><mj-button href="{{product.url}}">再看一看</mj-button>'),
      },
    },
  },
  {
    name: 'Win-back',
    versions: {
      en: {
        subject: 'We miss you at {{shop.name}}',
        mjml: page('<mj-text>Hi {{fallback customer.firstName "there"}}, it has been a while. See what is new in our catalogue.</mj-text><mj-button href="{{links.shop}}">See what is new</mj-button>'),
      },
      'zh-Hans': {
        subject: '{{shop.name}} 想念您',
        mjml: page('<mj-text>{{fallback customer.firstName "您好"}}，好久不见，来看看我们的新品吧。</mj-text><mj-button href="{{links.shop}}">查看新品</mj-button>'),
      },
    },
  },
  {
    name: 'VIP welcome',
    versions: {
      en: {
        subject: 'Welcome to our VIP buyers, {{fallback customer.firstName "friend"}}',
        mjml: page('<mj-text>Hi {{fallback customer.firstName "there"}}, you are now one of our VIP buyers at {{shop.name}}: priority production slots, a dedicated contact and early access to new lines.</mj-text><mj-button href="{{links.shop}}">See what is new</mj-button>'),
      },
      'zh-Hans': {
        subject: '{{fallback customer.firstName "您好"}}，欢迎成为 VIP 客户',
        mjml: page('<mj-text>{{fallback customer.firstName "您好"}}，您已成为 {{shop.name}} 的 VIP 客户：优先排产、专属对接人、新品抢先看。</mj-text><mj-button href="{{links.shop}}">查看新品</mj-button>'),
      },
    },
  },
  {
    name: 'Reorder reminder',
    versions: {
      en: {
        subject: 'Time to restock, {{fallback customer.firstName "friend"}}?',
        mjml: page('<mj-text>Hi {{fallback customer.firstName "there"}}, it has been a while since your last order at {{shop.name}}. Reorder in a few clicks, or reply to this email for a quote.</mj-text><mj-button href="{{links.shop}}">Reorder</mj-button>'),
      },
      'zh-Hans': {
        subject: '{{fallback customer.firstName "您好"}}，需要补货了吗？',
        mjml: page('<mj-text>{{fallback customer.firstName "您好"}}，距离您上次在 {{shop.name}} 下单已有一段时间。点击即可再次下单，或直接回复本邮件询价。</mj-text><mj-button href="{{links.shop}}">再次下单</mj-button>'),
      },
    },
  },
  {
    name: 'Birthday',
    versions: {
      en: {
        subject: 'Happy birthday, {{fallback customer.firstName "friend"}}!',
        mjml: page('<mj-text>Happy birthday, {{fallback customer.firstName "friend"}}! Everyone at {{shop.name}} wishes you a wonderful year.</mj-text><mj-button href="{{links.shop}}">Visit us</mj-button>'),
      },
      'zh-Hans': {
        subject: '{{fallback customer.firstName "您好"}}，生日快乐！',
        mjml: page('<mj-text>{{fallback customer.firstName "您好"}}，生日快乐！{{shop.name}} 全体同仁祝您新的一岁万事顺意。</mj-text><mj-button href="{{links.shop}}">来看看我们</mj-button>'),
      },
    },
  },
];
