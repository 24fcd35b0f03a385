/**
 * The template version a customer gets: their language if the template has it (exactly, else
 * the same base language, "zh-CN" → "zh-Hans"), else the default locale, else any version.
 */
export function pickLocale(language: string | null, available: string[], defaultLocale: string | null): string | null {
  if (available.length === 0) return defaultLocale;
  const fallback = defaultLocale && available.includes(defaultLocale) ? defaultLocale : available[0];
  if (!language) return fallback;
  const lang = language.toLowerCase();
  const exact = available.find((l) => l.toLowerCase() === lang);
  if (exact) return exact;
  const base = lang.split(/[-_]/)[0];
  return available.find((l) => l.toLowerCase().split('-')[0] === base) ?? fallback;
}
