/** Domain rules of the products: which may run in the NdB, who may operate the BwMessenger. */
import type { ZoneKind } from '../schema';

/** The messenger products of a federation. */
export type Product = 'wire' | 'bundesmessenger' | 'bwmessenger';

/** The Matrix products (Synapse-based homeservers from BWI's chart). */
export type MatrixProduct = Extract<Product, 'bundesmessenger' | 'bwmessenger'>;

/** How reports and errors name a product. */
export const PRODUCT_LABELS: Readonly<Record<Product, string>> = {
  wire: 'Wire Bund',
  bundesmessenger: 'BundesMessenger',
  bwmessenger: 'BwMessenger',
};

/** The products approved for VS-NfD (with suitable devices): only Wire Bund (Säule 1). */
export const VSNFD_APPROVED_PRODUCTS: readonly Product[] = ['wire'];

/**
 * Whether a product may run in a zone: in the NdB only products approved for VS-NfD ({@link VSNFD_APPROVED_PRODUCTS}),
 * so no BundesMessenger or BwMessenger server runs in the NdB; elsewhere every product.
 */
export function productApprovedIn(product: Product, zone: { readonly kind: ZoneKind }): boolean {
  return zone.kind !== 'ndb' || VSNFD_APPROVED_PRODUCTS.includes(product);
}

/** The BwMessenger runs only on clusters operated by the Bundeswehr's IT service provider (BWI). */
export function mayOperateBwMessenger(operator: { readonly kind: string }): boolean {
  return operator.kind === 'bundeswehr-it-service-provider';
}
