/** Checks better-sqlite3's addon, esbuild and @swc/core on this Node; throws on a failure. */
export declare function checkNativeModules(): string[];
