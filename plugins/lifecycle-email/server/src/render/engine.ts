import { type Compiled, compileTemplate, personalize, type RenderedEmail } from './compile';
import { checkTemplate, DEFAULT_LIMITS, type TemplateLimits, type TemplateParts } from './limits';
import { LruCache } from './lru';

export { applyPreheader } from './limits';
export type { RenderedEmail } from './compile';

export interface TemplateVersion extends TemplateParts {
  /** stable template id (document id + locale) */
  id: string;
  /** changes on every save; the cache key */
  version: string | number;
  subject: string;
  preheader?: string;
  mjml: string;
  /** optional hand-written text part; otherwise derived from the HTML */
  text?: string;
  /**
   * shared MJML fragments (header, footer) included with {{> name}}; they are expanded
   * before MJML runs, so the caller must fold their versions into `version`
   */
  partials?: Record<string, string>;
}

export interface PreparedTemplate {
  /** @throws UnresolvedVariableError when the data lacks a variable the template uses */
  render(data: Record<string, unknown>): RenderedEmail;
}

export interface RenderEngineOptions {
  limits?: Partial<TemplateLimits>;
  /** compiled template versions kept (least recently used go first) */
  maxCached?: number;
}

/**
 * The in-process engine for sending: compile once per template version, personalize fast.
 * Sending renders saved templates, which passed the limits and the worker compile at save;
 * the limits are checked again here (cheaply) so no path compiles an unbounded template on
 * the event loop, and the cache is an LRU so many template versions cannot grow it forever.
 * Previews and save validation compile in worker threads instead (see pool.ts).
 */
export class RenderEngine {
  private readonly cache: LruCache<string, Promise<Compiled>>;
  private readonly limits: TemplateLimits;
  /** how many times MJML ran (tests prove it runs once per version) */
  mjmlCompiles = 0;

  constructor(options: RenderEngineOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.cache = new LruCache(options.maxCached ?? 500);
  }

  /** entries in the compiled-template cache, and its cap */
  get cacheStats(): { size: number; max: number } {
    return { size: this.cache.size, max: this.cache.max };
  }

  private compile(t: TemplateVersion): Promise<Compiled> {
    const key = `${t.id}@${t.version}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      // a new version replaces the old ones of the same template
      for (const k of [...this.cache.keys()]) if (k.startsWith(`${t.id}@`)) this.cache.delete(k);
      compiled = this.compileUncached(t);
      this.cache.set(key, compiled);
      compiled.catch(() => this.cache.delete(key));
    }
    return compiled;
  }

  private async compileUncached(t: TemplateVersion): Promise<Compiled> {
    const input = checkTemplate(t, this.limits);
    this.mjmlCompiles += 1;
    return compileTemplate(input);
  }

  /** Validates and compiles a version; throws MjmlValidationError with line numbers. */
  async validate(t: TemplateVersion): Promise<void> {
    await this.compile(t);
  }

  /**
   * The compiled form of a version, for personalizing many recipients in a loop: `render`
   * is synchronous and costs microseconds (senders prepare once per batch).
   * @throws MjmlValidationError when the template is invalid, TemplateRejectedError when it
   * exceeds the limits
   */
  async prepare(t: TemplateVersion): Promise<PreparedTemplate> {
    const c = await this.compile(t);
    return { render: (data) => personalize(c, data) };
  }

  /**
   * Personalizes one message.
   * @throws MjmlValidationError when the template is invalid
   * @throws UnresolvedVariableError when the data lacks a variable the template uses
   */
  async render(t: TemplateVersion, data: Record<string, unknown>): Promise<RenderedEmail> {
    return (await this.prepare(t)).render(data);
  }
}
