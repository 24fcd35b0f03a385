export interface ProductVariant {
  id: string;
  title?: string;
  sku?: string;
  /** major units, e.g. 1299.00 */
  price?: number;
  currency?: string;
}

export interface Product {
  site: string;
  /** stable product key: the storefront's product id, else the handle */
  key: string;
  handle?: string | null;
  title?: string | null;
  url?: string | null;
  image?: string | null;
  variants: ProductVariant[];
  updatedAt?: number;
}

/** plugin::tracking service `catalog` */
export interface Catalog {
  upsert(products: Product[], at?: number): Promise<number>;
  byKeys(site: string | null, keys: string[]): Promise<Map<string, Product>>;
  /** variant id → its product and variant */
  byVariantIds(site: string | null, ids: string[]): Promise<Map<string, { product: Product; variant: ProductVariant }>>;
}
