import type { BuildOptions } from 'esbuild';
export declare const TRACKER_BUDGET: { gzipBytes: number; diskBytes: number };
export declare const ADDON_BUDGETS: Record<string, number>;
export declare const trackerBuildOptions: BuildOptions;
export declare function addonBuildOptions(name: string): BuildOptions;
