// Windows account names in their two forms: "CONTOSO\lyncadmin" (domain-qualified) and "lyncadmin".

import type { Topology } from "./lyncHost";

/** "lyncadmin" → "CONTOSO\lyncadmin" (NetBIOS domain from the primary SIP domain); "X\y" stays. */
export function qualifiedAccountName(login: string, topology: Topology): string {
  if (login.includes("\\")) return login;
  const netbios = topology.sipDomains[0].split(".")[0].toUpperCase();
  return `${netbios}\\${login}`;
}

/** "CONTOSO\lyncadmin" → "lyncadmin": the user name alone, as the profile folder C:\Users\<name> has it. */
export function userNameOf(account: string): string {
  return account.includes("\\") ? account.slice(account.indexOf("\\") + 1) : account;
}
