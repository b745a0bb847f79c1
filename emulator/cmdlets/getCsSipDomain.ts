import { dotnetObject, type CommandDefinition } from "../powershell/command";
import { lyncHostOf } from "./cmdletSupport";

const NAME = "Get-CsSipDomain";

/**
 * Get-CsSipDomain [[-Identity] <XdsGlobalRelativeIdentity>] | [-Filter <String>]
 *
 * Microsoft.Rtc.Management.Xds.SipDomain objects: Identity, Name, IsDefault (the default domain is the
 * topology's first, the primary). An -Identity that names no domain returns nothing, as XDS Get cmdlets do.
 */
export const getCsSipDomain: CommandDefinition = {
  name: NAME,
  parameterSets: [
    { name: "Identity", isDefault: true, parameters: [{ name: "Identity", type: "string", position: 0 }] },
    { name: "Filter", parameters: [{ name: "Filter", type: "string" }] },
  ],
  invoke(context) {
    const host = lyncHostOf(context);
    const identity = context.parameters.Identity;
    const filter = context.parameters.Filter;
    const match =
      typeof filter === "string"
        ? wildcard(filter)
        : typeof identity === "string"
          ? (d: string) => d.toLowerCase() === identity.trim().toLowerCase()
          : () => true;
    host.topology.sipDomains.forEach((domain, index) => {
      if (!match(domain)) return;
      context.output(
        dotnetObject("Microsoft.Rtc.Management.Xds.SipDomain", {
          Identity: domain,
          Name: domain,
          IsDefault: index === 0,
        }),
      );
    });
  },
};

/** PowerShell wildcards (* ? [a-z]), case-insensitive, whole string. */
function wildcard(pattern: string): (value: string) => boolean {
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else if (ch === "[" || ch === "]") source += ch;
    else source += ch.replace(/[.*+?^${}()|\\]/g, "\\$&");
  }
  const regex = new RegExp(`^${source}$`, "i");
  return (value) => regex.test(value);
}
