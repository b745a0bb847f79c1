// Every script the provider runs on a Lync server. Values always enter a script as single-quoted
// literals (quotePowerShell) — never interpolated — and results leave it as one JSON line after a
// marker, normalised on the server (Use cast to [string], dates as ISO 8601 UTC, arrays wrapped in
// @(), -Depth 6) so Windows PowerShell 5.1's ConvertTo-Json conventions (enums as numbers, dates as
// "\/Date(ms)\/", depth 2, single objects unwrapped) cannot mislead the parser.

import type { CertificateUsage } from "./certificateUsages";
import { quotePowerShell } from "./quotePowerShell";

export { quotePowerShell };

/** Marks the line of stdout that carries the read script's JSON. */
export const STATE_MARKER = "PULUMI-LYNC-STATE:";
/** Marks the line of stdout that carries an apply script's JSON. */
export const RESULT_MARKER = "PULUMI-LYNC-RESULT:";

/** Names certificates this provider obtained carry in their friendly name. */
export const FRIENDLY_NAME_MARKER = "pulumi-lync";

/** Where scripts put files they hand to Lync's cmdlets: exists on every Windows server. */
export const WORK_DIRECTORY = "C:\\Windows\\Temp";

export type ManagementModule = "Lync" | "SkypeForBusiness";

/** A parameter value: a string or list of strings (quoted literals), a switch, or an integer. */
export type ArgumentValue = string | readonly string[] | true | number;

/** One command invocation: `Name -Param 'value' -List 'a','b' -Switch -Size 2048`. */
export function commandLine(
  name: string,
  parameters: readonly (readonly [string, ArgumentValue | undefined])[],
): string {
  if (!/^[A-Za-z]+-[A-Za-z]+$/.test(name))
    throw new Error(`building a script: ${JSON.stringify(name)} is not a Verb-Noun command name`);
  const parts = [name];
  for (const [parameter, value] of parameters) {
    if (value === undefined) continue;
    if (!/^[A-Za-z]+$/.test(parameter))
      throw new Error(`building a script: ${JSON.stringify(parameter)} is not a parameter name`);
    if (value === true) parts.push(`-${parameter}`);
    else if (typeof value === "number") {
      if (!Number.isSafeInteger(value))
        throw new Error(`building a script: -${parameter} needs an integer, got ${value}`);
      parts.push(`-${parameter}`, String(value));
    } else if (typeof value === "string") parts.push(`-${parameter}`, quotePowerShell(value));
    else {
      if (value.length === 0) throw new Error(`building a script: -${parameter} needs at least one value`);
      parts.push(`-${parameter}`, value.map(quotePowerShell).join(","));
    }
  }
  return parts.join(" ");
}

function preamble(module: ManagementModule): string[] {
  return [
    "$ErrorActionPreference = 'Stop'",
    commandLine("Import-Module", [["Name", module]]),
    "function ConvertTo-IsoDate($value) { if ($null -eq $value) { return $null }; return ([datetime]$value).ToUniversalTime().ToString('o') }",
    "function ConvertTo-Base64($bytes) { if ($null -eq $bytes) { return $null }; return [Convert]::ToBase64String($bytes) }",
  ];
}

// Get-CsCertificate lists one object per usage; AlternativeNames is read in full (the default
// table view truncates it). PreviousThumbprint is Lync's "previous certificate" of the type.
const ASSIGNMENTS_EXPRESSION = `@(Get-CsCertificate | ForEach-Object {
  [pscustomobject]@{
    Use = [string]$_.Use
    Thumbprint = [string]$_.Thumbprint
    PreviousThumbprint = [string]$_.PreviousThumbprint
    Subject = [string]$_.Subject
    Issuer = [string]$_.Issuer
    SerialNumber = [string]$_.SerialNumber
    NotBefore = (ConvertTo-IsoDate $_.NotBefore)
    NotAfter = (ConvertTo-IsoDate $_.NotAfter)
    AlternativeNames = @($_.AlternativeNames | ForEach-Object { [string]$_ })
  }
})`;

function storeExpression(path: string, filter: string): string {
  return `@(Get-ChildItem -Path ${quotePowerShell(path)} | Where-Object { ${filter} } | ForEach-Object {
  [pscustomobject]@{
    Thumbprint = [string]$_.Thumbprint
    FriendlyName = [string]$_.FriendlyName
    HasPrivateKey = [bool]$_.HasPrivateKey
    RawData = (ConvertTo-Base64 $_.RawData)
  }
})`;
}

export interface ReadScriptOptions {
  readonly module: ManagementModule;
  /** Store entries to include besides the assigned ones and those marked with FRIENDLY_NAME_MARKER. */
  readonly thumbprints?: readonly string[];
  /** Files to return in base64 when they exist (the CSRs of offline requests). */
  readonly files?: readonly string[];
}

/** The read script: assignments, the store entries that matter, the REQUEST store, the server's clock. */
export function readScript(options: ReadScriptOptions): string {
  const wanted = (options.thumbprints ?? []).map(quotePowerShell);
  const files = (options.files ?? []).map(quotePowerShell);
  return [
    ...preamble(options.module),
    "$now = [DateTime]::UtcNow.ToString('o')",
    // The FQDN as Windows knows it; absent on hosts whose resolver cannot say.
    "$server = $null",
    "try { $server = [string]([System.Net.Dns]::GetHostEntry('').HostName) } catch { $server = $null }",
    "if (-not $server -and $env:COMPUTERNAME -and $env:USERDNSDOMAIN) { $server = ($env:COMPUTERNAME + '.' + $env:USERDNSDOMAIN).ToLower() }",
    `$assignments = ${ASSIGNMENTS_EXPRESSION}`,
    `$wanted = @(${wanted.join(", ")}) + @($assignments | ForEach-Object { $_.Thumbprint })`,
    `$marker = ${quotePowerShell(`*${FRIENDLY_NAME_MARKER}*`)}`,
    `$store = ${storeExpression("Cert:\\LocalMachine\\My", "($wanted -contains $_.Thumbprint) -or ($_.FriendlyName -like $marker)")}`,
    `$requests = ${storeExpression("Cert:\\LocalMachine\\REQUEST", "$_.FriendlyName -like $marker")}`,
    `$files = @(@(${files.join(", ")}) | Where-Object { Test-Path -Path $_ } | ForEach-Object {
  [pscustomobject]@{ Path = [string]$_; Base64 = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($_)) }
})`,
    "$state = [pscustomobject]@{ Server = $server; Now = $now; Assignments = $assignments; Store = $store; Requests = $requests; Files = $files }",
    `Write-Output (${quotePowerShell(STATE_MARKER)} + ($state | ConvertTo-Json -Depth 6 -Compress))`,
  ].join("\n");
}

export interface CertificateRequest {
  /** The entry index: comes back in the result to match answers to entries. */
  readonly index: number;
  readonly types: readonly CertificateUsage[];
  readonly friendlyName: string;
  readonly keySize: number;
  /** Every name the certificate must carry; Request-CsCertificate adds what it computes itself. */
  readonly domainNames: readonly string[];
  readonly template?: string;
  /** Online request to this CA (`host\CA name`); absent for an offline request. */
  readonly ca?: string;
  readonly caAccount?: string;
  readonly caPassword?: string;
  /** Offline request: where the CSR is written. */
  readonly outputPath?: string;
}

/**
 * Requests certificates, each in its own try/catch so one CA answer does not hide the others.
 * Issued certificates come back with their DER bytes, offline requests with their CSR.
 */
export function requestScript(module: ManagementModule, requests: readonly CertificateRequest[]): string {
  const lines = [...preamble(module), "$results = @()"];
  for (const request of requests) {
    const call = commandLine("Request-CsCertificate", [
      ["New", true],
      ["Type", request.types],
      ["CA", request.ca],
      ["CaAccount", request.caAccount],
      ["CaPassword", request.caPassword],
      ["Output", request.outputPath],
      // -DomainName takes ONE comma-separated string (Lync splits and trims it).
      ["DomainName", request.domainNames.length > 0 ? request.domainNames.join(",") : undefined],
      ["FriendlyName", request.friendlyName],
      ["KeySize", request.keySize],
      ["Template", request.template],
    ]);
    const outputPath = request.outputPath ? quotePowerShell(request.outputPath) : "$null";
    lines.push(
      `try {
  $r = ${call}
  $raw = $null
  $csr = $null
  if ($r.Thumbprint) { $raw = [Convert]::ToBase64String((Get-Item -Path ('Cert:\\LocalMachine\\My\\' + [string]$r.Thumbprint)).RawData) }
  if (${outputPath}) { $csr = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes(${outputPath})) }
  $results += [pscustomobject]@{ Index = ${request.index}; Status = [string]$r.RequestStatus; Thumbprint = [string]$r.Thumbprint; RequestId = [string]$r.RequestId; RawData = $raw; Csr = $csr; Error = $null }
} catch {
  $results += [pscustomobject]@{ Index = ${request.index}; Status = 'Failed'; Thumbprint = $null; RequestId = $null; RawData = $null; Csr = $null; Error = [string]$_.Exception.Message }
}`,
    );
  }
  lines.push(
    `Write-Output (${quotePowerShell(RESULT_MARKER)} + ([pscustomobject]@{ Now = [DateTime]::UtcNow.ToString('o'); Results = @($results) } | ConvertTo-Json -Depth 6 -Compress))`,
  );
  return lines.join("\n");
}

export interface CertificateImport {
  /** File written on the server, handed to Import-CsCertificate, removed afterwards. */
  readonly path: string;
  readonly base64: string;
  readonly password?: string;
}

export interface Assignment {
  /** Several types only for a combined entry: planChanges builds one step per entry's certificate. */
  readonly types: readonly CertificateUsage[];
  readonly thumbprint: string;
}

/**
 * Imports certificates, assigns usages, then reads the assignments back in the same session. A
 * failure stops the changes but not the read-back, so the caller always learns what the server
 * holds and can roll back.
 */
export function assignScript(
  module: ManagementModule,
  imports: readonly CertificateImport[],
  assignments: readonly Assignment[],
): string {
  const body: string[] = [];
  for (const file of imports) {
    body.push(
      `[System.IO.File]::WriteAllBytes(${quotePowerShell(file.path)}, [Convert]::FromBase64String(${quotePowerShell(file.base64)}))`,
      commandLine("Import-CsCertificate", [
        ["Path", file.path],
        ["Password", file.password],
      ]),
    );
  }
  for (const assignment of assignments) {
    body.push(
      commandLine("Set-CsCertificate", [
        ["Type", assignment.types],
        ["Thumbprint", assignment.thumbprint],
      ]),
    );
  }
  const cleanup = imports.map(
    (file) =>
      `  if (Test-Path -Path ${quotePowerShell(file.path)}) { Remove-Item -Path ${quotePowerShell(file.path)} }`,
  );
  return [
    ...preamble(module),
    "$failure = $null",
    "try {",
    ...body.map((line) => `  ${line}`),
    "} catch {",
    "  $failure = [string]$_.Exception.Message",
    "} finally {",
    ...cleanup,
    "}",
    `$assignments = ${ASSIGNMENTS_EXPRESSION}`,
    `Write-Output (${quotePowerShell(RESULT_MARKER)} + ([pscustomobject]@{ Failure = $failure; Errors = @(); Assignments = $assignments } | ConvertTo-Json -Depth 6 -Compress))`,
  ].join("\n");
}

export interface Restore {
  readonly type: CertificateUsage;
  /** The thumbprint to put back; undefined means the usage had no certificate and is unassigned. */
  readonly thumbprint?: string;
}

/** Puts each usage back on its own (never several types at once: they may differ), then reads back. */
export function restoreScript(module: ManagementModule, restores: readonly Restore[]): string {
  const lines = [...preamble(module), "$errors = @()"];
  for (const restore of restores) {
    const call = restore.thumbprint
      ? commandLine("Set-CsCertificate", [
          ["Type", [restore.type]],
          ["Thumbprint", restore.thumbprint],
        ])
      : commandLine("Remove-CsCertificate", [
          ["Type", [restore.type]],
          ["Force", true],
        ]);
    lines.push(
      `try { ${call} } catch { $errors += (${quotePowerShell(`${restore.type}: `)} + [string]$_.Exception.Message) }`,
    );
  }
  lines.push(
    `$assignments = ${ASSIGNMENTS_EXPRESSION}`,
    `Write-Output (${quotePowerShell(RESULT_MARKER)} + ([pscustomobject]@{ Failure = $null; Errors = @($errors); Assignments = $assignments } | ConvertTo-Json -Depth 6 -Compress))`,
  );
  return lines.join("\n");
}

/** deletionPolicy "unassign": Remove-CsCertificate per usage; the certificates stay in the store. */
export function unassignScript(module: ManagementModule, types: readonly CertificateUsage[]): string {
  return restoreScript(
    module,
    types.map((type) => ({ type })),
  );
}

/** `powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64 of UTF-16LE>`: no shell re-parses the script. */
export function encodedCommand(script: string): string {
  return `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(script, "utf16le").toString("base64")}`;
}
