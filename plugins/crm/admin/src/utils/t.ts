import { useIntl } from 'react-intl';
import en from '../translations/en.json';

const EN = en as Record<string, string>;

/** formatMessage for this plugin's keys: `t('list.title')` reads `crm.list.title` (English as the fallback). */
export const useT = () => {
  const { formatMessage } = useIntl();
  return (key: string, values?: Record<string, string | number>) => formatMessage({ id: `crm.${key}`, defaultMessage: EN[`crm.${key}`] ?? key }, values);
};

/** the buyer's clock now, in their time zone (null when unknown or not a zone the browser knows) */
export const localTime = (timeZone: string | null | undefined, locale: string, now = new Date()): string | null => {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(now);
  } catch {
    return null;
  }
};

export const messageOf = (error: unknown): string =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? (error as Error).message;
