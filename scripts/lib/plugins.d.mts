export interface PackageFolder {
  /** the folder name under plugins/ or packages/ */
  name: string;
  dir: string;
  pkg: { name: string; version: string; strapi?: { kind?: string; name?: string }; [key: string]: unknown };
}
export const root: string;
export function pluginFolders(): PackageFolder[];
export function sharedPackages(): PackageFolder[];
export function isPackaged(folder: PackageFolder): boolean;
