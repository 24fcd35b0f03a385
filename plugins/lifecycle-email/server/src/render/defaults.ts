import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateVersion } from './engine';

export const TEMPLATE_KINDS = ['welcome', 'shipping', 'milestone', 'loyalty', 'follow-up'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number] | 'custom';

export interface DefaultTemplate extends TemplateVersion {
  kind: TemplateKind;
  locale: string;
  sample: Record<string, unknown>;
}

/**
 * Reads the default templates shipped in templates/ (see templates/README.md): one entry per
 * kind and locale, with the shared partials and the sample data for that locale.
 */
export function loadDefaultTemplates(dir: string): DefaultTemplate[] {
  const partials: Record<string, string> = {};
  for (const file of readdirSync(join(dir, 'partials'))) {
    if (file.endsWith('.mjml')) partials[file.replace(/\.mjml$/, '')] = readFileSync(join(dir, 'partials', file), 'utf8');
  }
  const out: DefaultTemplate[] = [];
  for (const kind of TEMPLATE_KINDS) {
    const folder = join(dir, kind);
    if (!existsSync(folder)) throw new Error(`templates/${kind} is missing`);
    const meta = JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')) as { subject: Record<string, string> };
    const samples = JSON.parse(readFileSync(join(folder, 'sample.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.mjml')).sort()) {
      const locale = file.replace(/\.mjml$/, '');
      out.push({
        id: `default:${kind}:${locale}`,
        version: 1,
        kind,
        locale,
        subject: meta.subject[locale] ?? meta.subject.en,
        mjml: readFileSync(join(folder, file), 'utf8'),
        partials,
        sample: samples[locale] ?? samples.en,
      });
    }
  }
  return out;
}
