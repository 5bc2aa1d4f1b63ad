/**
 * Parts of the record of processing activities that are read across the federation: federation partners in both
 * directions, agencies that share one Wire instance, transfers to third countries, and the secrets that end up in
 * the Terraform state of an agency's stacks.
 */
import type { Federation, Tenant } from '../../config/model';
import type { MatrixServerConfig, StateBackendConfig, TenantConfig } from '../../config/schema';
import { StackNames } from '../../config/naming';
import type { SynthesizedStack } from '../k8s-objects';
import { dataSources, field, items, resources, valueAt } from '../synthesized-view';

export type Direction = 'beidseitig' | 'ausgehend' | 'eingehend' | 'offen';

export interface FederationPartnerEntry {
  readonly service: string;
  /** Federation domain (Wire) or Matrix server name. */
  readonly partner: string;
  /** Who runs the partner: an agency or operator of this federation, or the declared operator of a backend. */
  readonly operator: string | null;
  readonly direction: Direction;
  readonly note?: string;
}

const SEARCH_DE: Readonly<Record<string, string>> = {
  no_search: 'keine Suche nach Nutzenden',
  exact_handle_search: 'Suche nur nach exakter Benutzerkennung',
  full_search: 'volle Suche nach Namen und Kennungen',
};

type MatrixServerEntry = {
  readonly tenant: Tenant;
  readonly serverName: string;
  readonly service: string;
  readonly federation: MatrixServerConfig['federation'] | undefined;
};

const SERVERS = new WeakMap<Federation, readonly MatrixServerEntry[]>();

/**
 * The Matrix servers of the federation: server name, service, agency and (when in this config) its federation. Built
 * once per federation: every agency's report reads it.
 */
function matrixServers(federation: Federation): readonly MatrixServerEntry[] {
  const known = SERVERS.get(federation);
  if (known) return known;
  const servers = federation.tenants.flatMap((t): MatrixServerEntry[] => [
    ...(t.bundesMessenger
      ? [
          {
            tenant: t,
            serverName: t.bundesMessenger.serverName,
            service: t.bundesMessenger.mode === 'saas' ? 'BundesMessenger (SaaS)' : 'BundesMessenger',
            federation: t.bundesMessenger.mode === 'self-hosted' ? t.bundesMessenger.federation : undefined,
          },
        ]
      : []),
    ...(t.bwMessenger
      ? [
          {
            tenant: t,
            serverName: t.bwMessenger.serverName,
            service: 'BwMessenger',
            federation: t.bwMessenger.federation,
          },
        ]
      : []),
  ]);
  SERVERS.set(federation, servers);
  return servers;
}

const allows = (f: MatrixServerConfig['federation'] | undefined, serverName: string): boolean | undefined =>
  f === undefined ? undefined : f.mode === 'open' || (f.mode === 'allowList' && f.servers.includes(serverName));

/**
 * Federation partners of an agency, in both directions: Wire links (always both ways), the servers its Matrix
 * servers allow, and the Matrix servers of other agencies that allow it ("föderiert mit uns").
 */
export function federationPartners(federation: Federation, t: Tenant): FederationPartnerEntry[] {
  const out: FederationPartnerEntry[] = [];
  for (const p of t.wirePillars) {
    for (const partner of p.partners) {
      out.push({
        service: `Wire Bund Säule ${p.pillar} (${p.id})`,
        partner: partner.domain,
        operator: partner.operator ?? null,
        direction: 'beidseitig',
        note: `Föderationsverbindung; ${SEARCH_DE[partner.searchPolicy] ?? partner.searchPolicy}`,
      });
    }
  }
  const servers = matrixServers(federation);
  for (const mine of servers.filter((s) => s.tenant.id === t.id)) {
    const others = servers.filter((s) => s.serverName !== mine.serverName);
    const listed = mine.federation?.mode === 'allowList' ? mine.federation.servers : [];
    for (const name of listed) {
      const other = others.find((s) => s.serverName === name);
      const back = other ? allows(other.federation, mine.serverName) : undefined;
      out.push({
        service: mine.service,
        partner: name,
        operator: other?.tenant.name ?? null,
        direction: back ? 'beidseitig' : 'ausgehend',
        ...(back === true
          ? { note: 'beide Seiten geben sich frei' }
          : back === false
            ? { note: 'die Gegenseite lässt uns nicht zu: ohne Wirkung' }
            : back === undefined
              ? {
                  note: other
                    ? 'Freigabe der Gegenseite beim SaaS-Anbieter, nicht Teil dieser Konfiguration'
                    : 'Server außerhalb dieser Föderation; Freigabe der Gegenseite unbekannt',
                }
              : {}),
      });
    }
    if (mine.federation?.mode === 'open') {
      out.push({
        service: mine.service,
        partner: 'alle Matrix-Server',
        operator: null,
        direction: 'offen',
        note: 'offene Föderation: jeder Matrix-Server kann mit uns kommunizieren',
      });
    }
    for (const other of others) {
      if (listed.includes(other.serverName) || other.federation?.mode !== 'allowList') continue;
      if (!other.federation.servers.includes(mine.serverName)) continue;
      const ownSide = allows(mine.federation, other.serverName);
      out.push({
        service: mine.service,
        partner: other.serverName,
        operator: other.tenant.name,
        direction: ownSide ? 'beidseitig' : 'eingehend',
        note:
          ownSide === undefined
            ? 'unsere Freigabe ist beim SaaS-Anbieter eingestellt, nicht Teil dieser Konfiguration'
            : ownSide
              ? 'beide Seiten geben sich frei'
              : 'wir lassen den Server nicht zu: ohne Wirkung',
      });
    }
  }
  return out;
}

/** Other agencies on the same Wire instance (one backend, one directory of users). */
export function sharedInstances(federation: Federation, t: Tenant): Array<{ service: string; agencies: string[] }> {
  return t.wirePillars.flatMap((p) => {
    const agencies = federation.tenants
      .filter((o) => o.id !== t.id && o.wire?.pillars.includes(p.id))
      .map((o) => o.name);
    return agencies.length > 0 ? [{ service: `Wire Bund Säule ${p.pillar} (${p.id})`, agencies }] : [];
  });
}

export interface ThirdCountryTransfer {
  readonly service: string;
  readonly recipient: string;
  readonly description: string;
}

/** Transfers to third countries the config makes possible (push through Apple and Google, open federation). */
export function thirdCountryTransfers(t: TenantConfig): ThirdCountryTransfer[] {
  const out: ThirdCountryTransfer[] = [];
  const servers = [
    ...(t.bundesMessenger?.mode === 'self-hosted' ? [['BundesMessenger', t.bundesMessenger] as const] : []),
    ...(t.bwMessenger ? [['BwMessenger', t.bwMessenger] as const] : []),
  ];
  for (const [service, s] of servers) {
    if (s.push) {
      out.push({
        service,
        recipient: `Apple (APNs) und Google (FCM), Sitz in den USA, über das Push-Gateway ${new URL(s.push.gateway).host}`,
        description: s.privacy.pushNotificationContent
          ? 'Push-Benachrichtigungen mit Nachrichteninhalt'
          : 'Push-Benachrichtigungen ohne Nachrichteninhalt (Kennungen von Raum und Ereignis, Gerätetoken)',
      });
    }
    if (s.federation.mode === 'open') {
      out.push({
        service,
        recipient: 'beliebige Matrix-Server (offene Föderation)',
        description: 'Nachrichten und Raumzustand gehen an die Server aller Teilnehmenden, auch außerhalb der EU',
      });
    }
  }
  return out;
}

export interface StateSecret {
  readonly stack: string;
  readonly secret: string;
  readonly namespace: string;
  /** Keys of the Secret that Helm receives as sensitive values. */
  readonly keys: readonly string[];
}

/** The names of the stacks that serve an agency: its own stacks (any cluster, SaaS) and those of its Wire pillars. */
export function agencyStackNames(federation: Federation, t: Tenant): Set<string> {
  const names = new Set<string>([StackNames.saasTenant(t.id)]);
  for (const c of federation.clusters) names.add(StackNames.tenant(c.id, t.id));
  for (const p of t.wirePillars) names.add(StackNames.wirePillar(p.cluster.id, p.id));
  return names;
}

/** The stacks whose state holds data of the agency's services: its own stacks and those of its Wire pillars. */
function stacksOfTenant(federation: Federation, t: Tenant, stacks: readonly SynthesizedStack[]): string[] {
  const names = agencyStackNames(federation, t);
  return stacks.map((s) => s.name).filter((n) => names.has(n));
}

/** The Kubernetes Secrets that Terraform reads into the state of the agency's stacks, with the keys Helm gets. */
export function stateSecrets(federation: Federation, t: Tenant, stacks: readonly SynthesizedStack[]): StateSecret[] {
  const wanted = new Set(stacksOfTenant(federation, t, stacks));
  const out: StateSecret[] = [];
  for (const s of stacks.filter((x) => wanted.has(x.name))) {
    const values: string[] = resources(s, 'helm_release').flatMap((r) =>
      items(field(r.body, 'set_sensitive')).map((x) => String(field(x, 'value') ?? '')),
    );
    for (const { name: id, body } of dataSources(s, 'kubernetes_secret_v1')) {
      const keys = new Set<string>();
      const prefix = `data.kubernetes_secret_v1.${id}.data["`;
      for (const v of values) {
        for (let i = v.indexOf(prefix); i >= 0; i = v.indexOf(prefix, i + prefix.length)) {
          const end = v.indexOf('"]', i + prefix.length);
          if (end > 0) keys.add(v.slice(i + prefix.length, end));
        }
      }
      const secret = String(valueAt(body, 'metadata.name') ?? id);
      const namespace = String(valueAt(body, 'metadata.namespace') ?? '');
      const same = out.findIndex((o) => o.stack === s.name && o.secret === secret && o.namespace === namespace);
      if (same >= 0) out[same] = { ...out[same], keys: [...new Set([...out[same].keys, ...keys])].sort() };
      else out.push({ stack: s.name, secret, namespace, keys: [...keys].sort() });
    }
  }
  return out;
}

/** Where the state is kept, in German. */
export function stateLocation(backend: StateBackendConfig): string {
  switch (backend.type) {
    case 'local':
      return 'lokale Dateien terraform.<Stack>.tfstate neben dem Ausgabeverzeichnis';
    case 'pg':
      return `PostgreSQL-Datenbank, ein Schema je Stack (Präfix ${backend.schemaPrefix}); Verbindung über PG_CONN_STR`;
    case 's3':
      return `Bucket ${backend.bucket} auf ${backend.endpoint}, serverseitige Verschlüsselung ${backend.encrypt ? 'eingeschaltet' : 'ausgeschaltet'}`;
  }
}
