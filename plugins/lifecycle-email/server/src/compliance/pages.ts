/**
 * The hosted unsubscribe / preferences page, in the recipient's language (the message's
 * locale). Plain server-rendered HTML with a form: it works in every mail client's browser,
 * without JavaScript.
 */
export type PageLocale = 'en' | 'zh-Hans' | 'de' | 'fr' | 'es';

interface Strings {
  title: string;
  subscribed: string;
  unsubscribed: string;
  unsubscribe: string;
  resubscribe: string;
  service: string;
  invalid: string;
  expired: string;
}

const STRINGS: Record<PageLocale, Strings> = {
  en: {
    title: 'Email preferences',
    subscribed: '{email} receives our news and offers.',
    unsubscribed: '{email} is unsubscribed: no more news or offers will be sent to it.',
    unsubscribe: 'Unsubscribe from news and offers',
    resubscribe: 'Subscribe again',
    service: 'Messages about your orders and inquiries will still arrive.',
    invalid: 'This link is not valid. Please use the link from the email you received.',
    expired: 'This link has expired. Please use the link in a more recent email.',
  },
  'zh-Hans': {
    title: '邮件偏好设置',
    subscribed: '{email} 正在接收我们的资讯和优惠。',
    unsubscribed: '{email} 已退订：我们将不再向该地址发送资讯和优惠。',
    unsubscribe: '退订资讯和优惠',
    resubscribe: '重新订阅',
    service: '有关您的订单和询盘的邮件仍会照常发送。',
    invalid: '此链接无效，请使用您收到的邮件中的链接。',
    expired: '此链接已过期，请使用较新邮件中的链接。',
  },
  de: {
    title: 'E-Mail-Einstellungen',
    subscribed: '{email} erhält unsere Neuigkeiten und Angebote.',
    unsubscribed: '{email} ist abgemeldet: Es werden keine Neuigkeiten oder Angebote mehr gesendet.',
    unsubscribe: 'Von Neuigkeiten und Angeboten abmelden',
    resubscribe: 'Wieder anmelden',
    service: 'Nachrichten zu Ihren Bestellungen und Anfragen erhalten Sie weiterhin.',
    invalid: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus der erhaltenen E-Mail.',
    expired: 'Dieser Link ist abgelaufen. Bitte verwenden Sie den Link aus einer neueren E-Mail.',
  },
  fr: {
    title: 'Préférences e-mail',
    subscribed: '{email} reçoit nos actualités et offres.',
    unsubscribed: '{email} est désabonné : plus aucune actualité ni offre ne lui sera envoyée.',
    unsubscribe: 'Se désabonner des actualités et offres',
    resubscribe: 'Se réabonner',
    service: 'Les messages concernant vos commandes et demandes continueront d’arriver.',
    invalid: 'Ce lien n’est pas valide. Utilisez le lien de l’e-mail reçu.',
    expired: 'Ce lien a expiré. Utilisez le lien d’un e-mail plus récent.',
  },
  es: {
    title: 'Preferencias de correo',
    subscribed: '{email} recibe nuestras novedades y ofertas.',
    unsubscribed: '{email} se ha dado de baja: no se le enviarán más novedades ni ofertas.',
    unsubscribe: 'Darse de baja de novedades y ofertas',
    resubscribe: 'Volver a suscribirse',
    service: 'Los mensajes sobre sus pedidos y consultas seguirán llegando.',
    invalid: 'Este enlace no es válido. Utilice el enlace del correo recibido.',
    expired: 'Este enlace ha caducado. Utilice el enlace de un correo más reciente.',
  },
};

/** The page language for a message locale: "zh", "zh-CN", "zh-Hans-CN" → zh-Hans; "de-AT" → de; else en. */
export function pageLocale(locale: string | null | undefined): PageLocale {
  const l = (locale ?? '').toLowerCase();
  if (l.startsWith('zh')) return 'zh-Hans';
  const base = l.split(/[-_]/)[0];
  return base === 'de' || base === 'fr' || base === 'es' ? base : 'en';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(locale: PageLocale, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(STRINGS[locale].title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}button{font:inherit;padding:.6rem 1rem;cursor:pointer}</style></head><body><h1>${escapeHtml(STRINGS[locale].title)}</h1>${body}</body></html>`;
}

export function preferencesPage(locale: PageLocale, email: string, subscribed: boolean, action: string): string {
  const t = STRINGS[locale];
  const line = (subscribed ? t.subscribed : t.unsubscribed).replace('{email}', escapeHtml(email));
  const button = subscribed ? `<input type="hidden" name="choice" value="unsubscribe"><button type="submit">${escapeHtml(t.unsubscribe)}</button>` : `<input type="hidden" name="choice" value="resubscribe"><button type="submit">${escapeHtml(t.resubscribe)}</button>`;
  return page(locale, `<p data-state="${subscribed ? 'subscribed' : 'unsubscribed'}">${line}</p><p>${escapeHtml(t.service)}</p><form method="post" action="${escapeHtml(action)}">${button}</form>`);
}

export function errorPage(locale: PageLocale, problem: 'invalid' | 'expired'): string {
  return page(locale, `<p data-error="${problem}">${escapeHtml(STRINGS[locale][problem])}</p>`);
}
