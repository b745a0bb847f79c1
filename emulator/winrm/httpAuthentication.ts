// HTTP authentication as the WinRM service (HTTP.sys) does it with its default Auth settings plus Basic:
// a 401 offers `Negotiate` and `Kerberos` (and `Basic realm="WSMAN"` where Basic is allowed); Negotiate
// carries raw NTLM tokens and is connection-oriented (the three legs on one keep-alive connection, which
// then stays authenticated); Basic takes local accounts only and is checked on every request.
// Kerberos and SPNEGO-wrapped tokens need a domain controller: they are answered like a failed logon.

import { createHash, timingSafeEqual } from "node:crypto";
import type { Login } from "../remoteProcess";
import type { EmulatorUser } from "../sshFrontDoor";
import {
  createChallenge,
  ntlmMessageType,
  readAuthenticate,
  verifyNtlmV2,
  type NtlmChallenge,
  type NtlmServerNames,
} from "./ntlmServer";

export interface AuthenticationPolicy {
  readonly users: readonly EmulatorUser[];
  readonly names: NtlmServerNames;
  /** Service Auth/Basic, offered only where the channel is encrypted (the HTTPS listener). */
  readonly basic: boolean;
  readonly now: () => Date;
}

/** The outcome of one request's Authorization header. */
export type Authentication =
  | { readonly kind: "authenticated"; readonly login: Login; readonly user: EmulatorUser }
  /** Answer 401 with these WWW-Authenticate values (a challenge leg, or a refusal with fresh offers). */
  | { readonly kind: "challenge"; readonly wwwAuthenticate: readonly string[] };

/** One TCP connection's authentication state. */
export class ConnectionAuthentication {
  private pendingChallenge: NtlmChallenge | undefined;
  private ntlmLogin: { login: Login; user: EmulatorUser } | undefined;

  constructor(private readonly policy: AuthenticationPolicy) {}

  /** What Windows answers for a request with this Authorization header on this connection. */
  authenticate(authorization: string | undefined): Authentication {
    const [scheme = "", token = ""] = (authorization ?? "").trim().split(/\s+/, 2);
    if (scheme.toLowerCase() === "negotiate") return this.negotiate(Buffer.from(token, "base64"));
    if (scheme.toLowerCase() === "basic" && this.policy.basic) return this.basic(token);
    // HTTP.sys keeps a connection's NTLM logon for the requests that follow on it.
    if (!authorization && this.ntlmLogin) return { kind: "authenticated", ...this.ntlmLogin };
    return this.refuse();
  }

  private negotiate(token: Buffer): Authentication {
    const type = ntlmMessageType(token);
    if (type === 1) {
      this.ntlmLogin = undefined;
      this.pendingChallenge = createChallenge(token, this.policy.names, this.policy.now());
      return { kind: "challenge", wwwAuthenticate: [`Negotiate ${this.pendingChallenge.message.toString("base64")}`] };
    }
    const challenge = this.pendingChallenge;
    this.pendingChallenge = undefined;
    if (type !== 3 || !challenge) return this.refuse();
    const claim = readAuthenticate(token, challenge);
    if (!claim) return this.refuse();
    const account = this.account(claim.user, claim.domain);
    if (!account?.user.password || !verifyNtlmV2(claim, challenge, account.user.password)) return this.refuse();
    this.ntlmLogin = { login: { name: account.name, kind: "winrm-ntlm" }, user: account.user };
    return { kind: "authenticated", ...this.ntlmLogin };
  }

  private basic(token: string): Authentication {
    const decoded = Buffer.from(token, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return this.refuse();
    const [userPart, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    // Basic takes local accounts only: "lyncadmin", "FE01\lyncadmin" or ".\lyncadmin", never a domain's.
    const slash = userPart.indexOf("\\");
    const domain = slash < 0 ? this.policy.names.netbiosComputer : userPart.slice(0, slash);
    if (userPart.includes("@") || !this.isLocal(domain)) return this.refuse();
    const account = this.account(userPart.slice(slash + 1), domain);
    if (!account?.user.password || !sameSecret(account.user.password, password)) return this.refuse();
    return { kind: "authenticated", login: { name: account.name, kind: "winrm-basic" }, user: account.user };
  }

  /**
   * The emulator's user behind a name and domain, and the name the session runs as: a domain account
   * ("lyncadmin", shown as CONTOSO\lyncadmin) or the server's local account of the same name and password.
   */
  private account(user: string, domain: string): { name: string; user: EmulatorUser } | undefined {
    const found = this.policy.users.find((u) => u.name.toLowerCase() === user.toLowerCase());
    if (!found) return undefined;
    const names = this.policy.names;
    if (this.isLocal(domain)) return { name: `${names.netbiosComputer}\\${found.name}`, user: found };
    const known = ["", names.netbiosDomain, names.dnsDomain].map((d) => d.toLowerCase());
    return known.includes(domain.toLowerCase()) ? { name: found.name, user: found } : undefined;
  }

  private isLocal(domain: string): boolean {
    return domain === "." || domain.toLowerCase() === this.policy.names.netbiosComputer.toLowerCase();
  }

  private refuse(): Authentication {
    this.pendingChallenge = undefined;
    return { kind: "challenge", wwwAuthenticate: offeredSchemes(this.policy.basic) };
  }
}

/** The WWW-Authenticate values of a first 401. */
export function offeredSchemes(basic: boolean): string[] {
  return ["Negotiate", "Kerberos", ...(basic ? ['Basic realm="WSMAN"'] : [])];
}

// Hashes first, so the comparison takes the same time whatever the lengths.
function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}
