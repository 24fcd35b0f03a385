/**
 * A long Simplified Chinese newsletter for bench:render: the shape a lighting exporter sends
 * its distributors each month (masthead, editorial, feature articles, a product grid from the
 * recipient's recommendations, trade-fair dates, FAQ, footer). Its HTML output passes 64K
 * characters, all of them two-byte strings in V8, which is where joining and splitting the
 * rendered parts cost ~0.15-1 ms per recipient.
 */
import type { TemplateVersion } from '../../plugins/lifecycle-email/server/src/render/engine';

const ARTICLES: Array<{ title: string; body: string[] }> = [
  {
    title: '2026 年秋季新品：商用 LED 面板灯全面升级',
    body: [
      '本季我们推出了第三代商用 LED 面板灯。新款采用一体化压铸铝框架和高透光率导光板，整灯光效提升至每瓦一百四十流明，比上一代节能约百分之十八。驱动电源通过了欧盟 CE、英国 UKCA 以及北美 UL 认证，可直接用于办公楼、学校、医院和大型商超项目。',
      '针对欧洲市场对眩光控制的严格要求，我们把统一眩光值控制在十九以下，并提供三千、四千和五千开尔文三种色温可选。所有型号支持零到十伏和 DALI 调光，方便与楼宇控制系统集成。样品现已可以发货，欢迎联系您的客户经理预约。',
    ],
  },
  {
    title: '海运与交期：第四季度排产提醒',
    body: [
      '进入第四季度后，宁波港和上海港的出口舱位普遍紧张，欧洲航线的运价较三季度上涨约百分之十二。为保证圣诞节前到货，建议您在十月底之前确认订单，我们将优先安排生产并锁定舱位。',
      '我们的标准交期为确认订单后二十五天，定制包装和定制丝印需要额外五到七天。对于整柜订单，我们可以提供到港拼箱和门到门服务，也可以按照您的要求安排第三方验货。',
    ],
  },
  {
    title: '认证更新：新版能效标签与 ERP 指令',
    body: [
      '自二零二六年九月起，欧盟新版能效标签要求在包装上印刷二维码，并链接到 EPREL 数据库中的产品信息。我们已为全部在售型号完成注册，您可以在产品资料页下载对应的标签文件和技术文档。',
      '同时，新版生态设计法规对待机功耗和频闪提出了更严格的限值。我们的实验室已经对所有驱动电源重新测试，测试报告可随货提供。如果您的客户需要额外的检测，我们也可以配合送检。',
    ],
  },
  {
    title: '客户案例：华沙物流园照明改造',
    body: [
      '今年夏天，我们的波兰合作伙伴为华沙一座占地六万平方米的物流园完成了照明改造。项目采用两千三百套高天棚灯和感应控制系统，年用电量下降约百分之六十二，投资回收期不到两年。',
      '项目从方案设计、照度计算到现场安装只用了八周时间。我们的工程团队全程提供远程支持，并根据仓库货架的布局调整了配光曲线，保证通道照度均匀，同时减少了对叉车司机的眩光干扰。',
    ],
  },
  {
    title: '展会预告：欢迎莅临我们的展位',
    body: [
      '十月我们将参加香港国际秋季灯饰展，展位号为三号馆 C 区十八号；十一月将参加迪拜中东国际照明展。现场将展出全系列新品，并有工程师为您讲解项目方案。',
      '如果您计划到访，请提前告知您的行程，我们可以安排接送和工厂参观。宁波工厂距离杭州东站约两小时车程，参观后可以在公司食堂用餐，体验地道的宁波菜。',
    ],
  },
  {
    title: '常见问题解答',
    body: [
      '问：最小起订量是多少？答：标准型号的最小起订量为每款两百套，混装整柜不受单款数量限制。定制型号的起订量需根据具体要求另行确认。',
      '问：质保期多长？答：全部商用灯具提供五年质保，质保期内出现质量问题我们免费更换，并承担返修的运费。请保留产品标签上的批次号，以便我们追溯生产记录。',
    ],
  },
];

const article = (a: { title: string; body: string[] }, i: number) => `
    <mj-section background-color="#ffffff" padding="8px 24px">
      <mj-column>
        <mj-image src="https://cdn.bright.example/newsletter/2026-10/article-${i + 1}.jpg" alt="${a.title}" border-radius="6px" />
        <mj-text font-size="20px" font-weight="bold" color="#1a2b3c"><h2 style="margin:0">${a.title}</h2></mj-text>
${a.body.map((p) => `        <mj-text font-size="15px" line-height="26px" color="#333333">${p}</mj-text>`).join('\n')}
        <mj-button href="{{links.shop}}?utm_source=newsletter&amp;utm_campaign=2026-10&amp;utm_content=article-${i + 1}" background-color="#e8590c">阅读全文</mj-button>
      </mj-column>
    </mj-section>`;

export const NEWSLETTER_ZH_HANS: TemplateVersion = {
  id: 'bench-newsletter-zh-hans',
  version: 1,
  subject: '{{customer.firstName}}，十月新品与交期提醒 · Ningbo Bright Lighting 月刊',
  preheader: '第三代商用面板灯上市，第四季度排产请尽早确认',
  mjml: `<mjml lang="zh-Hans">
  <mj-head>
    <mj-title>Ningbo Bright Lighting 月刊 · 2026 年 10 月</mj-title>
    <mj-attributes><mj-all font-family="PingFang SC, Microsoft YaHei, Helvetica, Arial, sans-serif" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f5f7">
    <mj-section padding="12px 24px"><mj-column>
      <mj-text align="right" font-size="12px" color="#888888"><a href="{{links.viewInBrowser}}">在浏览器中查看</a></mj-text>
    </mj-column></mj-section>
    <mj-section background-color="#1a2b3c" padding="24px"><mj-column>
      <mj-image width="160px" src="https://cdn.bright.example/logo-white.png" alt="Ningbo Bright Lighting" />
      <mj-text align="center" color="#ffffff" font-size="24px"><h1 style="margin:0">{{customer.firstName}}，您好！</h1></mj-text>
      <mj-text align="center" color="#d0d8e0" font-size="15px">这是 {{shop.name}} 二零二六年十月的月刊。截至目前，您已在我们这里下单 {{customer.orderCount}} 次，感谢您一直以来的信任与支持。</mj-text>
    </mj-column></mj-section>
${[...ARTICLES, ...ARTICLES.map((a) => ({ title: `${a.title}（续）`, body: [...a.body].reverse() }))].map(article).join('\n')}
    <mj-section background-color="#ffffff" padding="8px 24px"><mj-column>
      <mj-text font-size="20px" font-weight="bold"><h2 style="margin:0">为您推荐</h2></mj-text>
    </mj-column></mj-section>
    <mj-raw>{{#each products}}</mj-raw>
    <mj-section background-color="#ffffff" padding="4px 24px">
      <mj-column width="35%"><mj-image src="{{image}}" alt="{{title}}" /></mj-column>
      <mj-column width="65%">
        <mj-text font-size="16px" font-weight="bold">{{title}}</mj-text>
        <mj-text font-size="14px" color="#555555">{{summary}}</mj-text>
        <mj-text font-size="14px">出厂价 {{money price currency locale}} 起，最小起订量 {{moq}} 套</mj-text>
        <mj-button href="{{url}}" background-color="#1a2b3c" align="left">查看详情并询价</mj-button>
      </mj-column>
    </mj-section>
    <mj-raw>{{/each}}</mj-raw>
    <mj-section padding="16px 24px"><mj-column>
      <mj-text font-size="12px" color="#888888" line-height="20px">{{shop.name}} · {{shop.address}}<br />您收到这封邮件，是因为您订阅了我们的月刊。<a href="{{links.preferences}}">邮件偏好</a> · <a href="{{links.unsubscribe}}">退订</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`,
};

const PRODUCTS = [
  { title: '第三代商用 LED 面板灯 600×600 40W', summary: '一体化压铸铝框架，UGR<19，支持 DALI 调光，五年质保。', price: 9.8, moq: 200 },
  { title: '高天棚工矿灯 150W', summary: '适用于仓库和厂房，IP65 防护，可选感应控制，光效每瓦一百六十流明。', price: 32.5, moq: 100 },
  { title: '应急驱动电源 3 小时', summary: '通过 CE 和 UKCA 认证，断电后自动切换，带自检功能。', price: 6.2, moq: 500 },
  { title: '线形灯 1.2 米 36W', summary: '可无缝拼接，适合办公室和商超，提供三种色温。', price: 11.4, moq: 200 },
  { title: '防水三防灯 1.5 米 50W', summary: 'IP66 防护，适用于停车场和冷库，耐低温零下四十度。', price: 14.9, moq: 300 },
  { title: '轨道射灯 30W', summary: '显色指数九十以上，适合服装店和展厅，光束角可调。', price: 8.6, moq: 200 },
];

/** One recipient's data: the greeting and the recommended products differ per recipient. */
export const newsletterRecipient = (i: number) => ({
  locale: 'zh-CN',
  customer: { firstName: `李娜${i}`, orderCount: (i % 9) + 1 },
  shop: { name: 'Ningbo Bright Lighting', address: '浙江省宁波市鄞州区出口路 88 号' },
  products: PRODUCTS.map((p, k) => ({ ...p, currency: 'USD', image: `https://cdn.bright.example/p/${k}.jpg`, url: `https://shop.example.com/p/${k}?r=${i}` })),
  links: {
    shop: 'https://shop.example.com/',
    unsubscribe: `https://moat.example.com/u/tok${i}`,
    preferences: `https://moat.example.com/p/tok${i}`,
    viewInBrowser: `https://moat.example.com/v/msg${i}`,
  },
});
