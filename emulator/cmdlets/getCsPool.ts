import type { Pool } from "../lyncHost";
import { dotnetObject, type CommandDefinition } from "../powershell/command";
import { lyncHostOf } from "./cmdletSupport";
import { serviceIdentities } from "./getCsService";

const NAME = "Get-CsPool";

/**
 * Get-CsPool [[-Identity] <XdsGlobalRelativeIdentity>]
 *
 * One object per pool of the published topology: Identity and Fqdn (the pool FQDN), Site ("Site:Redmond"),
 * Services ("EdgeServer:edgepool.contoso.com", ...) and Computers (the member servers' FQDNs). On an Edge
 * Server the topology is read from the local replica of the Central Management store [guess: the help
 * does not say; Edge Servers hold the replica that Request-CsCertificate reads too].
 */
export const getCsPool: CommandDefinition = {
  name: NAME,
  parameterSets: [
    { name: "Identity", isDefault: true, parameters: [{ name: "Identity", type: "string", position: 0 }] },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const identity = context.parameters.Identity;
    for (const pool of host.topology.pools) {
      if (typeof identity === "string" && identity.trim().toLowerCase() !== pool.fqdn.toLowerCase()) continue;
      context.output(poolObject(pool));
    }
  },
};

function poolObject(pool: Pool) {
  // [guess] The .NET type name; scripts read only the properties.
  return dotnetObject("Microsoft.Rtc.Management.Xds.DisplayPool", {
    Identity: pool.fqdn,
    Services: serviceIdentities(pool),
    Computers: [...pool.servers],
    Fqdn: pool.fqdn,
    Site: `Site:${pool.site}`,
  });
}
