import type { UserConfig } from "vitest/config";
/** Shared vitest preset for library packages (see index.js). */
export declare const libraryConfig: UserConfig;
export default libraryConfig;
