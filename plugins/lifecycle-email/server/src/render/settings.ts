import { DEFAULT_LIMITS, type TemplateLimits } from './limits';

/** The plugin's `render` config: compile limits, the worker pool and cache sizes. */
export interface RenderSettings extends TemplateLimits {
  /** compile worker threads (previews and save validation) */
  workers: number;
  /** compiles waiting for a worker before new ones get a 429 */
  maxQueue: number;
  /** heap limit of one worker, MB */
  workerHeapMb: number;
  /** compiled template versions kept for sending (in-process LRU) */
  sendCacheMax: number;
  /** compiled templates kept by each worker for previews (LRU by content hash) */
  previewCacheMax: number;
  /** templates known valid, by content hash (re-saving unchanged content skips the worker) */
  validationCacheMax: number;
}

export const DEFAULT_RENDER_SETTINGS: RenderSettings = {
  ...DEFAULT_LIMITS,
  workers: 1,
  maxQueue: 16,
  workerHeapMb: 256,
  sendCacheMax: 500,
  previewCacheMax: 32,
  validationCacheMax: 200,
};

/** Every setting must be a positive integer; returns the problems, for the config validator. */
export function renderSettingsProblems(render: Partial<RenderSettings> | undefined): string[] {
  return Object.entries(render ?? {})
    .filter(([key, value]) => key in DEFAULT_RENDER_SETTINGS && !(Number.isInteger(value) && (value as number) > 0))
    .map(([key, value]) => `render.${key} must be a positive integer, got ${JSON.stringify(value)}`);
}
