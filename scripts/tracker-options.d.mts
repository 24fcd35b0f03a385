import type { BuildOptions } from 'esbuild';
export declare const TRACKER_BUDGET: { gzipBytes: number; diskBytes: number };
export declare const trackerBuildOptions: BuildOptions;
