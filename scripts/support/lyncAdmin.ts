// An administrator at a workstation: reads and changes emulated servers over SSH with the same
// cmdlets a real admin types. The end-to-end tests and the demo check outcomes through it, on the
// live servers, never through Pulumi's own view of them.

import type { AuditEntry } from "lync-server-emulator";
import type { RemoteCredentials, RemoteEndpoint } from "./remotePowerShell";
import { runRemotePowerShellOrThrow } from "./remotePowerShell";

/** One row of Get-CsCertificate (one per usage), normalised. */
export interface AssignedCertificate {
  readonly server: string;
  readonly use: string;
  readonly thumbprint: string;
  readonly subject: string;
  readonly issuer: string;
  /** ISO 8601 UTC. */
  readonly notBefore: string;
  /** ISO 8601 UTC. */
  readonly notAfter: string;
  readonly alternativeNames: readonly string[];
}

/** An entry of Get-EmulatorAuditLog, as the emulator records it. */
export type { AuditEntry };

export interface AdminServer extends RemoteEndpoint {
  readonly fqdn: string;
}

// Windows PowerShell 5.1's ConvertTo-Json writes enums as numbers and dates as "\/Date(...)\/" and
// does not wrap a single object in an array: normalise on the server.
const GET_CS_CERTIFICATE = `$ErrorActionPreference = 'Stop'
Import-Module Lync
$rows = @(Get-CsCertificate | ForEach-Object {
  [pscustomobject]@{
    Use = [string]$_.Use
    Thumbprint = [string]$_.Thumbprint
    Subject = [string]$_.Subject
    Issuer = [string]$_.Issuer
    NotBefore = $_.NotBefore.ToUniversalTime().ToString('o')
    NotAfter = $_.NotAfter.ToUniversalTime().ToString('o')
    AlternativeNames = @($_.AlternativeNames | ForEach-Object { [string]$_ })
  }
})
ConvertTo-Json -InputObject $rows -Depth 4 -Compress`;

function psLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export class LyncAdmin {
  constructor(private readonly credentials: RemoteCredentials) {}

  /** Get-CsCertificate on one server, one row per usage. */
  async getCsCertificate(server: AdminServer): Promise<AssignedCertificate[]> {
    const stdout = await runRemotePowerShellOrThrow(server, this.credentials, GET_CS_CERTIFICATE);
    const parsed = parseJson(stdout, `reading Get-CsCertificate on ${server.fqdn}`);
    const rows = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
    return rows.map((row) => ({
      server: server.fqdn,
      use: String(row.Use),
      thumbprint: String(row.Thumbprint),
      subject: String(row.Subject),
      issuer: String(row.Issuer),
      notBefore: String(row.NotBefore),
      notAfter: String(row.NotAfter),
      alternativeNames: Array.isArray(row.AlternativeNames) ? row.AlternativeNames.map(String) : [],
    }));
  }

  /** Get-CsCertificate on each server in turn, every row of every server. */
  async getCsCertificateOnEach(servers: readonly AdminServer[]): Promise<AssignedCertificate[]> {
    const rows: AssignedCertificate[] = [];
    for (const server of servers) rows.push(...(await this.getCsCertificate(server)));
    return rows;
  }

  /** The out-of-band change an admin makes by hand: Set-CsCertificate -Type ... -Thumbprint .... */
  async setCsCertificate(server: AdminServer, types: readonly string[], thumbprint: string): Promise<void> {
    await runRemotePowerShellOrThrow(
      server,
      this.credentials,
      `$ErrorActionPreference = 'Stop'\nImport-Module Lync\nSet-CsCertificate -Type ${types.join(",")} -Thumbprint ${psLiteral(thumbprint)}`,
    );
  }

  /** Moves the server's clock (Set-EmulatorTime -AddDays). */
  async addDays(server: AdminServer, days: number): Promise<void> {
    await runRemotePowerShellOrThrow(
      server,
      this.credentials,
      `$ErrorActionPreference = 'Stop'\nSet-EmulatorTime -AddDays ${Math.trunc(days)}`,
    );
  }

  /** Runs any script and returns its stdout; throws on a non-zero exit. */
  run(server: AdminServer, script: string): Promise<string> {
    return runRemotePowerShellOrThrow(server, this.credentials, script);
  }

  /** The server's audit log (Get-EmulatorAuditLog), oldest first. */
  async auditLog(server: AdminServer): Promise<AuditEntry[]> {
    const stdout = await runRemotePowerShellOrThrow(
      server,
      this.credentials,
      `$ErrorActionPreference = 'Stop'\nGet-EmulatorAuditLog`,
    );
    const parsed = parseJson(stdout, `reading the audit log of ${server.fqdn}`);
    return (Array.isArray(parsed) ? parsed : [parsed]) as AuditEntry[];
  }
}

function parseJson(text: string, doing: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed === "" ? "[]" : trimmed);
  } catch (error) {
    throw new Error(`${doing}: the output is not JSON: ${trimmed.slice(0, 400)}`, { cause: error });
  }
}
