/**
 * Domain rules of the products: which may run in the NdB, who may operate the BwMessenger and who may use it, where
 * a self-hosted BundesMessenger may run.
 */
import type { ZoneKind } from '../schema';
import { operatedByAgency } from './processors';

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

/**
 * A self-hosted BundesMessenger runs only on a cluster the agency operates itself (the cluster's operator is the
 * agency, {@link operatedByAgency}).
 */
export function mayHostOwnBundesMessenger(
  clusterOperator: { readonly id: string },
  tenant: { readonly id: string },
): boolean {
  return operatedByAgency(clusterOperator, tenant);
}

/** The BwMessenger is for the Bundeswehr only: for tenants of kind `bundeswehr`. */
export function mayUseBwMessenger(tenant: { readonly kind: string }): boolean {
  return tenant.kind === 'bundeswehr';
}

/**
 * The BwMessenger does not run in the internet zone; like every Matrix server it does not run in the NdB either
 * ({@link productApprovedIn}), so its place is a Grundschutz zone.
 */
export function bwMessengerAllowedIn(zone: { readonly kind: ZoneKind }): boolean {
  return zone.kind !== 'internet';
}
