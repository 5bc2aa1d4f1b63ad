/** What a Matrix homeserver (BundesMessenger self-hosted, BwMessenger) is generated from. */
import type { MatrixProduct } from '../../config/domain';
import type { MatrixPrivacyInput } from '../../config/matrix-privacy';
import type { TenantConfig } from '../../config/schema';

/** The kinds of agency (config `tenants[].kind`). */
export type TenantKind = TenantConfig['kind'];

/** The Matrix products, as config/domain names them. */
export type { MatrixProduct };

export type MatrixFederation =
  | { readonly mode: 'none' }
  | { readonly mode: 'allowList'; readonly servers: readonly string[] }
  | { readonly mode: 'open' };

/**
 * The privacy switches, and the privacy profile (retention, user directory, profile lookups, location sharing,
 * server notices, DSGVO export: config/matrix-privacy.ts); a profile setting left out is at its default.
 */
export type MatrixPrivacy = MatrixPrivacyInput;

export type VirusScanning =
  | { readonly enabled: true; readonly acknowledgeKeyDisclosure: true; readonly clamavMirror: string }
  | { readonly enabled: false; readonly reason: string };

export interface MatrixServerSpec {
  readonly product: MatrixProduct;
  readonly tenant: string;
  /** The kind of the agency (`tenants[].kind`): the BwMessenger is for the Bundeswehr only. */
  readonly tenantKind: TenantKind;
  readonly serverName: string;
  readonly publicServerName: string;
  readonly adminApiServerName: string;
  /** Host of the web client. */
  readonly webClientHost: string;
  readonly privacyPolicyUrl: string;
  readonly imprintUrl: string;
  readonly postgresql: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly username: string;
    readonly existingSecret: string;
    readonly existingSecretPasswordKey: string;
  };
  readonly privacy: MatrixPrivacy;
  readonly federation: MatrixFederation;
  readonly virusScanning: VirusScanning;
  readonly push?: { readonly gateway: string };
  /**
   * Certificates for the ingress hosts: from the cluster's cert-manager issuer, or pre-created TLS Secrets.
   * @default pre-created Secrets
   */
  readonly tlsIssuer?: { readonly name: string; readonly kind: 'ClusterIssuer' | 'Issuer' };
  /** Sign-in through the agency's OpenID Connect provider; the client secret comes from a pre-created Secret. */
  readonly identity?: {
    readonly type: 'oidc';
    readonly issuer: string;
    readonly clientId: string;
    readonly existingSecret: string;
    readonly displayName: string;
    readonly localpartClaim: string;
  };
  /** The zone's TURN servers; the shared secret comes from a pre-created Secret. */
  readonly turn?: { readonly uris: readonly string[]; readonly existingSecret: string };
}
