/**
 * Generates large, valid federations for benchmarks and scope tests: the zones and pillars of the default
 * federation plus N agencies, mixed: Wire Bund (Säule 3, some also Säule 1, some with LDAP), BundesMessenger SaaS
 * (some with a .well-known delegation), and BundesMessenger self-hosted on the agency's own cluster.
 */
import { parse, stringify } from 'yaml';
import { DEFAULT_CONFIG_FILE } from '../config/load';
import * as fs from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export function generateFederation(agencies: number): Json {
  const cfg = parse(fs.readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  cfg.federation.name = `Benchmark-Föderation mit ${agencies} Behörden`;
  // self-hosting agencies get their own clusters in one large Grundschutz agency network
  cfg.zones.push({
    id: 'gs-behoerden',
    name: 'Behördennetze (IT-Grundschutz)',
    kind: 'grundschutz',
    cidrs: ['100.64.0.0/10'],
    ingressClass: 'nginx-behoerden',
    loadBalancerClass: 'lb.behoerden.example/internal',
  });
  for (let i = 0; i < agencies; i++) {
    const id = `b${String(i).padStart(4, '0')}`;
    const domain = `${id}.behoerde.example`;
    const dataProtection: Json = {
      legalBasis: ['public-task', 'employment-relationship'],
      agreements: [],
      serviceAgreement: { reference: `DV-${id}`, date: '2025-01-01', allowsPresence: false },
    };
    const tenant: Json = {
      id,
      name: `Behörde ${i}`,
      kind: i % 7 === 0 ? 'land-authority' : 'federal-authority',
      domain,
      dataProtection,
    };
    const kind = i % 10;
    if (kind < 4) {
      const pillars = kind === 0 ? ['wire-s1', 'wire-s3'] : ['wire-s3'];
      tenant.wire = { pillars };
      if (kind === 0) dataProtection.vsNfdApprovedDevices = true;
      if (kind % 2 === 0) {
        tenant.wire.ldap = {
          host: `ldap.${domain}`,
          baseDn: 'DC=behoerde',
          bindDn: 'CN=svc-scim',
          existingSecret: 'ldap-credentials',
        };
      }
      dataProtection.agreements.push({ processor: 'itzbund', reference: `AVV-ITZBund-${id}`, date: '2025-01-01' });
    } else if (kind < 7) {
      tenant.bundesMessenger = {
        mode: 'saas',
        serverName: domain,
        homeserverUrl: `https://${id}.bundesmessenger.t-systems.example`,
        ...(kind === 4 ? { wellKnown: { cluster: 'itzbund-gs-1' } } : {}),
      };
      dataProtection.agreements.push({ processor: 't-systems', reference: `AVV-TSI-${id}`, date: '2025-01-01' });
      // the .well-known delegation runs on ITZBund's cluster: ITZBund processes for the agency too
      if (kind === 4)
        dataProtection.agreements.push({ processor: 'itzbund', reference: `AVV-ITZBund-WK-${id}`, date: '2025-01-01' });
    } else {
      const cluster = `${id}-bum`;
      const o2 = Math.floor(i / 250);
      const o3 = i % 250;
      cfg.clusters.push({
        id: cluster,
        zone: 'gs-behoerden',
        operator: id,
        connection: { type: 'kubeconfig', path: `~/.kube/${cluster}.yaml` },
        ingressController: { namespace: 'ingress' },
      });
      tenant.bundesMessenger = {
        mode: 'self-hosted',
        cluster,
        serverName: domain,
        publicServerName: `matrix.${domain}`,
        adminApiServerName: `matrix-admin.${domain}`,
        privacyPolicyUrl: `https://www.${domain}/datenschutz`,
        imprintUrl: `https://www.${domain}/impressum`,
        postgresql: { host: `100.${64 + o2}.${o3}.10`, existingSecret: 'synapse-postgresql' },
        federation: { mode: 'none' },
        virusScanning: { enabled: true, acknowledgeKeyDisclosure: true, clamavMirror: `https://clamav.${domain}` },
      };
    }
    cfg.tenants.push(tenant);
  }
  return cfg;
}

export function generateFederationYaml(agencies: number): string {
  return stringify(generateFederation(agencies), { lineWidth: 0 });
}
