import type { MessageLinks } from '../compliance/links';
import type { RenderedEmail } from '../render/compile';
import type { RenderEngine, TemplateVersion } from '../render/engine';
import type { MessageRow } from './types';

/**
 * A message's content: its template with the row's data and this message's signed links
 * (`links.unsubscribe`, `links.preferences`, `links.viewInBrowser` in the template).
 * @throws UnresolvedVariableError, MjmlValidationError
 */
export async function renderMessage(engine: RenderEngine, template: TemplateVersion, m: MessageRow, links: MessageLinks): Promise<RenderedEmail> {
  const given = (m.data.links ?? {}) as Record<string, unknown>;
  const prepared = await engine.prepare(template);
  return prepared.render({ ...m.data, links: { ...given, unsubscribe: links.unsubscribe, preferences: links.preferences, viewInBrowser: links.viewInBrowser } });
}
