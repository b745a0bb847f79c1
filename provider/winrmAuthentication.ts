// The Authorization headers of a WinRM listener: Basic (local accounts) and NTLMv2 carried in the
// Negotiate scheme, which is the one WinRM advertises ("WWW-Authenticate: Negotiate"). The NTLM
// messages and hashes come from @ewsjs/ntlm-client (MD4 included: Node's OpenSSL 3 may lack it).
// Both are sent over TLS only; NTLM authenticates the connection, so the transport keeps it open.

/** How the provider logs in to a WinRM listener. */
export type WinrmAuthentication = "ntlm" | "basic";

interface Type2Message {
  readonly version: 1 | 2;
  readonly targetInfo?: unknown;
}

interface NtlmClient {
  createType1Message(workstation?: string, target?: string): string;
  decodeType2Message(header: string): Type2Message;
  createType3Message(
    type2: Type2Message,
    username: string,
    password: string,
    workstation?: string,
    target?: string,
  ): string;
}

function ntlmClient(): NtlmClient {
  return require("@ewsjs/ntlm-client") as NtlmClient;
}

/** "CONTOSO\lyncadmin" → domain CONTOSO; "lyncadmin@contoso.com" and "lyncadmin" carry no domain. */
export function splitAccount(user: string): { readonly username: string; readonly domain: string } {
  const slash = user.indexOf("\\");
  if (slash < 0) return { username: user, domain: "" };
  return { username: user.slice(slash + 1), domain: user.slice(0, slash) };
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** The first leg of NTLM (NEGOTIATE_MESSAGE), in the Negotiate scheme. */
export function ntlmNegotiate(): string {
  return toNegotiateScheme(ntlmClient().createType1Message(""));
}

/**
 * The third leg (AUTHENTICATE_MESSAGE) answering the server's challenge. Only NTLMv2 is answered:
 * a server that offers NTLMv1 alone (no extended session security, no target information) is refused.
 */
export function ntlmAuthenticate(challenge: string, user: string, password: string): string {
  const client = ntlmClient();
  const type2 = client.decodeType2Message(`NTLM ${challenge}`);
  if (type2.version !== 2 || !type2.targetInfo) {
    throw new Error(
      'the server offered NTLMv1 only; the provider logs in with NTLMv2 (set LmCompatibilityLevel to 3 or more on the server), or use authentication: "basic" for a local account',
    );
  }
  const { username, domain } = splitAccount(user);
  return toNegotiateScheme(client.createType3Message(type2, username, password, "", domain));
}

function toNegotiateScheme(header: string): string {
  return header.replace(/^NTLM /, "Negotiate ");
}

/** The token of a `WWW-Authenticate: Negotiate <token>` (or NTLM) challenge among the headers. */
export function challengeToken(headers: readonly string[]): string | undefined {
  for (const header of headers) {
    const match = /^(?:Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header.trim());
    if (match) return match[1];
  }
  return undefined;
}

/** The schemes a 401 offers, lower-cased: ["negotiate", "basic"]. */
export function offeredSchemes(headers: readonly string[]): string[] {
  return headers
    .flatMap((header) => header.split(/,\s*(?=[A-Za-z]+(?:\s|$))/))
    .map((h) => h.trim().split(/\s+/)[0].toLowerCase());
}
