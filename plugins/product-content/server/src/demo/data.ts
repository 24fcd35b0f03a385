/**
 * Demo content seeded on first start (MOAT_DEMO, on by default outside production): three
 * products an exporter might sell, with FAQs and selling points in several languages.
 * The German and Chinese sets are deliberately incomplete so locale fallback is visible.
 */
type Translations<T> = { en: T } & Partial<Record<'zh-Hans' | 'de' | 'es' | 'fr' | 'ja', T>>;

export interface DemoProduct {
  key: string;
  faqs: Array<Translations<{ question: string; answer: string }>>;
  sellingPoints: Array<{ icon: string } & { text: Translations<{ title: string; body: string }> }>;
}

export const DEMO_LOCALES = [
  { code: 'zh-Hans', name: 'Chinese (Simplified) (zh-Hans)' },
  { code: 'de', name: 'German (de)' },
  { code: 'es', name: 'Spanish (es)' },
  { code: 'fr', name: 'French (fr)' },
  { code: 'ja', name: 'Japanese (ja)' },
];

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    key: 'demo-led-panel-600',
    faqs: [
      {
        en: { question: 'What is the minimum order quantity (MOQ)?', answer: 'The MOQ is **100 pieces** per model. Mixed models are welcome from 300 pieces in total.' },
        'zh-Hans': { question: '最小起订量（MOQ）是多少？', answer: '每个型号的最小起订量为 **100 件**，混合型号总数 300 件起。' },
        de: { question: 'Wie hoch ist die Mindestbestellmenge (MOQ)?', answer: 'Die MOQ beträgt **100 Stück** pro Modell. Gemischte Modelle ab insgesamt 300 Stück.' },
        es: { question: '¿Cuál es la cantidad mínima de pedido (MOQ)?', answer: 'El MOQ es de **100 piezas** por modelo.' },
        fr: { question: 'Quelle est la quantité minimale de commande (MOQ) ?', answer: 'La MOQ est de **100 pièces** par modèle.' },
        ja: { question: '最小発注数量（MOQ）はいくつですか？', answer: '1モデルあたり **100個** です。' },
      },
      {
        en: { question: 'Which certifications do the panels have?', answer: 'CE, RoHS and UL. Certificates are sent with every quotation:\n\n- CE (EN 62031)\n- RoHS 2011/65/EU\n- UL 1598' },
        'zh-Hans': { question: '面板有哪些认证？', answer: 'CE、RoHS 和 UL。每份报价都会附上证书。' },
        de: { question: 'Welche Zertifikate haben die Panels?', answer: 'CE, RoHS und UL. Die Zertifikate liegen jedem Angebot bei.' },
      },
      {
        en: { question: 'What are the lead time and shipping options?', answer: 'Production takes 15–20 days. We ship by sea (FOB Ningbo), air, or DDP door to door in the EU and US.' },
        'zh-Hans': { question: '交货期和运输方式是什么？', answer: '生产周期 15–20 天。支持海运（宁波 FOB）、空运或欧美 DDP 门到门。' },
      },
    ],
    sellingPoints: [
      { icon: 'bolt', text: { en: { title: '130 lm/W efficiency', body: 'Cuts lighting energy use by up to 40% against fluorescent troffers.' }, 'zh-Hans': { title: '130 lm/W 高光效', body: '相比荧光灯格栅灯节能高达 40%。' }, de: { title: '130 lm/W Effizienz', body: 'Bis zu 40 % weniger Energie als Leuchtstoff-Rasterleuchten.' } } },
      { icon: 'shield', text: { en: { title: '5-year warranty', body: 'Free replacement parts shipped with your next order.' }, 'zh-Hans': { title: '5 年质保', body: '免费更换配件，随下一批订单发货。' } } },
    ],
  },
  {
    key: 'demo-ceramic-mug',
    faqs: [
      {
        en: { question: 'Is the mug dishwasher and microwave safe?', answer: 'Yes. The glaze is lead-free and tested for 1,000 dishwasher cycles.' },
        'zh-Hans': { question: '杯子可以用洗碗机和微波炉吗？', answer: '可以。釉面无铅，通过 1000 次洗碗机测试。' },
        de: { question: 'Ist der Becher spülmaschinen- und mikrowellenfest?', answer: 'Ja. Die Glasur ist bleifrei und für 1.000 Spülgänge getestet.' },
      },
      {
        en: { question: 'Can I order a custom logo?', answer: 'Yes, from 500 pieces. Send your artwork with an inquiry and we reply within one business day.' },
        'zh-Hans': { question: '可以定制 Logo 吗？', answer: '可以，500 件起订。请通过询盘发送您的设计稿，我们将在一个工作日内回复。' },
      },
    ],
    sellingPoints: [
      { icon: 'leaf', text: { en: { title: 'Lead-free glaze', body: 'Food-safe to FDA and LFGB standards.' }, de: { title: 'Bleifreie Glasur', body: 'Lebensmittelecht nach FDA und LFGB.' } } },
    ],
  },
  {
    key: 'demo-solar-inverter-5kw',
    faqs: [
      {
        en: { question: 'Does the inverter work off-grid?', answer: 'Yes. It runs on-grid, off-grid or hybrid with a 48 V battery bank.' },
        es: { question: '¿El inversor funciona sin red?', answer: 'Sí. Funciona conectado a red, aislado o híbrido con baterías de 48 V.' },
        fr: { question: "L'onduleur fonctionne-t-il hors réseau ?", answer: 'Oui. Il fonctionne raccordé au réseau, hors réseau ou en hybride avec des batteries 48 V.' },
      },
    ],
    sellingPoints: [],
  },
];
