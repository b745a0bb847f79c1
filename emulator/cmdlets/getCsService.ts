import type { Pool, Topology } from "../lyncHost";
import { dotnetObject, type CommandDefinition } from "../powershell/command";
import type { PSObject } from "../powershell/values";
import { cmdletError, lyncHostOf } from "./cmdletSupport";

const NAME = "Get-CsService";
const ROLE_SWITCHES = ["EdgeServer", "Registrar", "WebServer", "Director"] as const;
type ServiceRole = (typeof ROLE_SWITCHES)[number];

/**
 * Get-CsService [[-Identity] <XdsGlobalRelativeIdentity>] [-PoolFqdn <String>] [-EdgeServer | -Registrar |
 * -WebServer | -Director]
 *
 * The services of the published topology, one switch per command as the help says. Only the roles the
 * emulator models are listed: a Front End pool runs Registrar and WebServer, a Director pool Director and
 * WebServer, an Edge pool EdgeServer. EdgeServer objects carry the properties Microsoft's help shows
 * (AccessEdgeExternalFqdn, DataEdgeExternalFqdn, AVEdgeExternalFqdn, ports, PoolFqdn...); XmppListeningPort
 * is 5269 when the pool federates over XMPP and $null otherwise [guess]. On an Edge Server the topology
 * comes from the local replica of the Central Management store [guess].
 */
export const getCsService: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "Identity",
      isDefault: true,
      parameters: [
        { name: "Identity", type: "string", position: 0 },
        { name: "PoolFqdn", type: "string" },
        ...ROLE_SWITCHES.map((name) => ({ name, type: "switch" as const })),
      ],
    },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const p = context.parameters;
    const roles = ROLE_SWITCHES.filter((r) => p[r] === true);
    if (roles.length > 1) {
      throw cmdletError(
        NAME,
        `Only one service switch can be used per command; got -${roles.join(", -")}. Pipe Get-CsService to Where-Object to select several roles.`,
        "AmbiguousParameterSet",
        "InvalidArgument",
      );
    }
    const poolFqdn = typeof p.PoolFqdn === "string" ? p.PoolFqdn.trim().toLowerCase() : undefined;
    const identity = typeof p.Identity === "string" ? p.Identity.trim().toLowerCase() : undefined;
    for (const pool of host.topology.pools) {
      if (poolFqdn !== undefined && pool.fqdn.toLowerCase() !== poolFqdn) continue;
      for (const role of rolesOf(pool)) {
        if (roles.length > 0 && roles[0] !== role) continue;
        if (identity !== undefined && `${role}:${pool.fqdn}`.toLowerCase() !== identity) continue;
        context.output(serviceObject(host.topology, pool, role));
      }
    }
  },
};

/** "Role:pool FQDN" for each service the pool runs: Get-CsPool's Services. */
export function serviceIdentities(pool: Pool): string[] {
  return rolesOf(pool).map((role) => `${role}:${pool.fqdn}`);
}

function rolesOf(pool: Pool): ServiceRole[] {
  if (pool.role === "Edge") return ["EdgeServer"];
  return pool.role === "Director" ? ["Director", "WebServer"] : ["Registrar", "WebServer"];
}

function serviceObject(topology: Topology, pool: Pool, role: ServiceRole): PSObject {
  const common = {
    Identity: `${role}:${pool.fqdn}`,
    SiteId: `Site:${pool.site}`,
    PoolFqdn: pool.fqdn,
    Version: 6,
    Role: role,
  };
  if (role !== "EdgeServer" || !pool.edge) {
    return dotnetObject(`Microsoft.Rtc.Management.Xds.Display${role}`, common);
  }
  // [guess] The next hop: the site's first Front End pool, as Topology Builder proposes it.
  const nextHop = topology.pools.find((p) => p.role === "FrontEnd" && p.site === pool.site);
  return dotnetObject("Microsoft.Rtc.Management.Xds.DisplayEdgeServer", {
    Identity: common.Identity,
    Registrar: nextHop ? `Registrar:${nextHop.fqdn}` : null,
    AccessEdgeInternalSipPort: 5061,
    AccessEdgeExternalSipPort: 5061,
    AccessEdgeClientSipPort: 443,
    DataPsomServerPort: 8057,
    DataPsomClientPort: 443,
    MediaRelayAuthEdgePort: 5062,
    MediaCommunicationPortStart: 50000,
    MediaCommunicationPortCount: 10000,
    AccessEdgeExternalFqdn: pool.edge.accessEdgeFqdn,
    DataEdgeExternalFqdn: pool.edge.webConferencingEdgeFqdn,
    AVEdgeExternalFqdn: pool.edge.audioVideoEdgeFqdn,
    InternalInterfaceFqdn: pool.fqdn,
    ExternalMrasFqdn: pool.edge.audioVideoEdgeFqdn,
    XmppListeningPort: pool.edge.xmppFederation === true ? 5269 : null,
    ServiceId: `${pool.site}-EdgeServer-1`,
    SiteId: common.SiteId,
    PoolFqdn: common.PoolFqdn,
    Version: common.Version,
    Role: common.Role,
  });
}
