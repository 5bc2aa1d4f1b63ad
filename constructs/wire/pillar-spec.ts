import type { PillarNumber } from '../../config/domain';
import type { WireProfile } from '../../config/wire-profile';
import type { SizeProfile } from './sizing';

export type WireDatastores =
  | {
      readonly mode: 'external';
      readonly cassandra: readonly string[];
      readonly elasticsearch: readonly string[];
      readonly minio: readonly string[];
      readonly rabbitmq: readonly string[];
      readonly postgresql: { readonly rw: readonly string[]; readonly ro: readonly string[] };
      readonly redis: { readonly host: string };
      readonly queues: { readonly sqsEndpoint: string; readonly snsEndpoint: string };
    }
  | { readonly mode: 'demo' };

export interface FederationPeer {
  readonly domain: string;
  readonly searchPolicy: 'no_search' | 'exact_handle_search' | 'full_search';
}

export interface CallingSpec {
  readonly nodes: ReadonlyArray<{ readonly name: string; readonly advertisedIp: string }>;
  readonly mediaPorts: { readonly min: number; readonly max: number };
  readonly turnPort: number;
}

export interface PkiIssuer {
  readonly type: 'internal-ca' | 'acme';
  readonly issuerName: string;
  readonly issuerKind: 'ClusterIssuer' | 'Issuer';
}

/** Mail relay, sender and support contact of a pillar (wire-server refuses to start without them). */
export interface MailSpec {
  readonly smtp: { readonly host: string; readonly port: number; readonly connType: 'plain' | 'ssl' | 'tls' };
  readonly sender: string;
  readonly support: { readonly company: string; readonly email: string };
}

/** What a pillar's Helm values are generated from. */
export interface WirePillarSpec {
  readonly id: string;
  readonly pillar: PillarNumber;
  readonly stage: 'pilot' | 'production';
  readonly domain: string;
  readonly federationDomain: string;
  readonly size: SizeProfile;
  readonly datastores: WireDatastores;
  /** Pre-created Secret in the pillar namespace. */
  readonly secretName: string;
  readonly calling: CallingSpec;
  readonly federation: readonly FederationPeer[];
  readonly pki: PkiIssuer;
  readonly mail: MailSpec;
  /** The team features galley enforces (the pillar's preset with the config's overrides). */
  readonly profile: WireProfile;
}

/** Host names of a pillar, derived from its base domain. */
export function pillarHosts(domain: string) {
  return {
    nginzHttps: `nginz-https.${domain}`,
    nginzSsl: `nginz-ssl.${domain}`,
    webapp: `webapp.${domain}`,
    teams: `teams.${domain}`,
    account: `account.${domain}`,
    assets: `assets.${domain}`,
    federator: `federator.${domain}`,
    sftd: `sftd.${domain}`,
  };
}
