// Every script the provider runs on a Lync server. Secrets (passwords, PFX bytes) are parameters
// bound at run time (see remoteInvocation.ts), never script text; other values enter as
// single-quoted literals (quotePowerShell), never interpolated. Results leave a script as one JSON
// line after a marker, normalised on the server (Use cast to [string], dates as ISO 8601 UTC, arrays
// wrapped in @(), -Depth 6) so Windows PowerShell 5.1's ConvertTo-Json conventions (enums as
// numbers, dates as "\/Date(ms)\/", depth 2, single objects unwrapped) cannot mislead the parser.

import type { CertificateUsage } from "./certificateUsages";
import { quotePowerShell } from "./quotePowerShell";
import type { RemoteScript } from "./remoteInvocation";

export { quotePowerShell };

/** Marks the line of stdout that carries the read script's JSON. */
export const STATE_MARKER = "PULUMI-LYNC-STATE:";
/** Marks the line of stdout that carries an apply script's JSON. */
export const RESULT_MARKER = "PULUMI-LYNC-RESULT:";

/** Names certificates this provider obtained carry in their friendly name. */
export const FRIENDLY_NAME_MARKER = "pulumi-lync";

export type ManagementModule = "Lync" | "SkypeForBusiness";

/** A parameter value: a string or list of strings (quoted literals), a switch, an integer, or a script variable. */
export type ArgumentValue = string | readonly string[] | true | number | { readonly variable: string };

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
    else if (typeof value === "object" && "variable" in value) parts.push(`-${parameter}`, variable(value.variable));
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

function variable(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name))
    throw new Error(`building a script: ${JSON.stringify(name)} is not a variable name`);
  return `$${name}`;
}

/** A script whose `param()` block declares every parameter it is given, as strings. */
function withParameters(lines: readonly string[], parameters: Record<string, string> = {}): RemoteScript {
  const declared = Object.keys(parameters).map((name) => `[string]${variable(name)}`);
  return { script: [`param(${declared.join(", ")})`, ...lines].join("\n"), parameters };
}

/** A file name of its own in the login user's $env:TEMP, which only that user (and administrators) can read. */
function temporaryPath(extension: string): string {
  return `($env:TEMP + '\\pulumi-lync-' + [guid]::NewGuid().ToString() + ${quotePowerShell(`.${extension}`)})`;
}

/** Both modules' names, for Get-Module -ListAvailable: a server has one of them. */
const MODULE_NAMES = `${quotePowerShell("Lync")},${quotePowerShell("SkypeForBusiness")}`;

/** Import-Module unless the session has the module already; `name` is PowerShell text (a literal or variable). */
function importOnce(name: string): string {
  return `if (-not (Get-Module -Name ${name})) { Import-Module -Name ${name} }`;
}

/** Imports the given module, or (undefined) the one the server has. */
function preamble(module: ManagementModule | undefined): string[] {
  return [
    "$ErrorActionPreference = 'Stop'",
    // A session process runs several scripts: the module is loaded by the first (seconds on a real server).
    module
      ? importOnce(quotePowerShell(module))
      : `$lyncModule = @(Get-Module -ListAvailable -Name ${MODULE_NAMES})[0].Name; ${importOnce("$lyncModule")}`,
    ...HELPER_FUNCTIONS,
  ];
}

const HELPER_FUNCTIONS = [
  "function ConvertTo-IsoDate($value) { if ($null -eq $value) { return $null }; return ([datetime]$value).ToUniversalTime().ToString('o') }",
  "function ConvertTo-Base64($bytes) { if ($null -eq $bytes) { return $null }; return [Convert]::ToBase64String($bytes) }",
];

// Get-CsCertificate lists one object per usage; AlternativeNames is read in full (the default
// table view truncates it). PreviousThumbprint is Lync's "previous certificate" of the type, and
// EffectiveDate when a staged certificate takes over from it (-Roll).
const ASSIGNMENTS_EXPRESSION = `@(Get-CsCertificate | ForEach-Object {
  [pscustomobject]@{
    Use = [string]$_.Use
    Thumbprint = [string]$_.Thumbprint
    PreviousThumbprint = [string]$_.PreviousThumbprint
    EffectiveDate = (ConvertTo-IsoDate $_.EffectiveDate)
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
  /** The module to import; undefined: the one the server has. */
  readonly module: ManagementModule | undefined;
  /** Store entries to include besides the assigned ones and those marked with FRIENDLY_NAME_MARKER. */
  readonly thumbprints?: readonly string[];
  /** Also read the server's Edge pool and SIP domains from the topology (the entries have Edge usages). */
  readonly edge?: boolean;
}

// An Edge Server is in a workgroup and has no Central Management store of its own, but a local replica of
// it, which Request-CsCertificate reads too; Get-CsPool, Get-CsService and Get-CsSipDomain are assumed to
// answer from it [guess]. The server finds its pool by its computer name: $server is often unknown there
// (no USERDNSDOMAIN outside a domain).
const EDGE_EXPRESSION = `$edge = $null
$me = @(@($server, $env:COMPUTERNAME) | Where-Object { $_ } | ForEach-Object { ([string]$_).Split('.')[0].ToLower() })
$edgePools = @(Get-CsPool | Where-Object { @($_.Computers | Where-Object { $me -contains ([string]$_).Split('.')[0].ToLower() }).Count -gt 0 })
$edgeServices = @()
if ($edgePools.Count -gt 0) { $edgeServices = @(Get-CsService -EdgeServer -PoolFqdn $edgePools[0].Fqdn) }
if ($edgeServices.Count -gt 0) {
  $s = $edgeServices[0]
  $edge = [pscustomobject]@{
    PoolFqdn = [string]$s.PoolFqdn
    AccessEdgeExternalFqdn = [string]$s.AccessEdgeExternalFqdn
    DataEdgeExternalFqdn = [string]$s.DataEdgeExternalFqdn
    AVEdgeExternalFqdn = [string]$s.AVEdgeExternalFqdn
    XmppFederation = ($null -ne $s.XmppListeningPort)
    SipDomains = @(Get-CsSipDomain | ForEach-Object { [string]$_.Name })
  }
}`;

/**
 * The read script: the management module it finds (given, or the one the server has), assignments,
 * the store entries that matter, the REQUEST store, the server's clock, and when asked its Edge pool's
 * names. A module the server lacks ends it early with only `ModuleMissing` and the modules it has.
 */
export function readScript(options: ReadScriptOptions): RemoteScript {
  const wanted = (options.thumbprints ?? []).map(quotePowerShell);
  const module = options.module ? quotePowerShell(options.module) : "$modules[0]";
  return withParameters([
    "$ErrorActionPreference = 'Stop'",
    `$modules = @(Get-Module -ListAvailable -Name ${MODULE_NAMES} | ForEach-Object { [string]$_.Name })`,
    `$module = ${module}`,
    `if ($modules -notcontains $module) { Write-Output (${quotePowerShell(STATE_MARKER)} + ([pscustomobject]@{ ModuleMissing = $true; Module = $module; Modules = $modules } | ConvertTo-Json -Compress)); exit 0 }`,
    "Import-Module -Name $module",
    ...HELPER_FUNCTIONS,
    "$now = [DateTime]::UtcNow.ToString('o')",
    // The FQDN as Windows knows it; absent on hosts whose resolver cannot say.
    "$server = $null",
    "try { $server = [string]([System.Net.Dns]::GetHostEntry('').HostName) } catch { $server = $null }",
    "if (-not $server -and $env:COMPUTERNAME -and $env:USERDNSDOMAIN) { $server = ($env:COMPUTERNAME + '.' + $env:USERDNSDOMAIN).ToLower() }",
    `$assignments = ${ASSIGNMENTS_EXPRESSION}`,
    `$wanted = @(${wanted.join(", ")}) + @($assignments | ForEach-Object { $_.Thumbprint; $_.PreviousThumbprint })`,
    `$marker = ${quotePowerShell(`*${FRIENDLY_NAME_MARKER}*`)}`,
    `$store = ${storeExpression("Cert:\\LocalMachine\\My", "($wanted -contains $_.Thumbprint) -or ($_.FriendlyName -like $marker)")}`,
    `$requests = ${storeExpression("Cert:\\LocalMachine\\REQUEST", "$_.FriendlyName -like $marker")}`,
    options.edge ? EDGE_EXPRESSION : "$edge = $null",
    "$state = [pscustomobject]@{ Server = $server; Module = $module; Now = $now; Assignments = $assignments; Store = $store; Requests = $requests; Edge = $edge }",
    `Write-Output (${quotePowerShell(STATE_MARKER)} + ($state | ConvertTo-Json -Depth 6 -Compress))`,
  ]);
}

export interface CertificateRequest {
  /** The entry index: comes back in the result to match answers to entries. */
  readonly index: number;
  readonly types: readonly CertificateUsage[];
  /** Unique per request: the outcome is found in the stores by this name. */
  readonly friendlyName: string;
  readonly keySize: number;
  /** Every name the certificate must carry; Request-CsCertificate adds what it computes itself. */
  readonly domainNames: readonly string[];
  readonly template?: string;
  /** Online request to this CA (`host\CA name`); absent for an offline request. */
  readonly ca?: string;
  readonly caAccount?: string;
  readonly caPassword?: string;
  /** Ask for a key that can be exported: the OAuthTokenIssuer certificate is replicated with its key. */
  readonly privateKeyExportable?: boolean;
}

/**
 * Requests certificates, each in its own try/catch so one CA answer does not hide the others. What
 * Request-CsCertificate returns is not relied on (Microsoft documents no result): the outcome is
 * read from the stores by the request's unique friendly name — issued into Cert:\LocalMachine\My,
 * or waiting in Cert:\LocalMachine\REQUEST (pending at the CA, or an offline request whose CSR
 * comes back here and is removed from the server's disk).
 */
export function requestScript(
  module: ManagementModule | undefined,
  requests: readonly CertificateRequest[],
): RemoteScript {
  const parameters: Record<string, string> = {};
  const lines = [...preamble(module), "$results = @()"];
  for (const request of requests) {
    const passwordParameter = `CaPassword${request.index}`;
    if (request.caPassword !== undefined) parameters[passwordParameter] = request.caPassword;
    const call = commandLine("Request-CsCertificate", [
      ["New", true],
      ["Type", request.types],
      ["CA", request.ca],
      ["CaAccount", request.caAccount],
      ["CaPassword", request.caPassword !== undefined ? { variable: passwordParameter } : undefined],
      ["Output", request.ca === undefined ? { variable: "csrPath" } : undefined],
      // -DomainName takes ONE comma-separated string (Lync splits and trims it).
      ["DomainName", request.domainNames.length > 0 ? request.domainNames.join(",") : undefined],
      ["FriendlyName", request.friendlyName],
      ["KeySize", request.keySize],
      ["Template", request.template],
      ["PrivateKeyExportable", request.privateKeyExportable ? { variable: "true" } : undefined],
    ]);
    const name = quotePowerShell(request.friendlyName);
    lines.push(
      `$csrPath = ${temporaryPath("csr")}
$failure = $null
$csr = $null
try {
  $null = ${call}
  if (Test-Path -Path $csrPath) { $csr = [System.IO.File]::ReadAllText($csrPath) }
} catch {
  $failure = [string]$_.Exception.Message
} finally {
  if (Test-Path -Path $csrPath) { Remove-Item -Path $csrPath }
}
$issued = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object { $_.FriendlyName -eq ${name} })
$waiting = @(Get-ChildItem -Path 'Cert:\\LocalMachine\\REQUEST' | Where-Object { $_.FriendlyName -eq ${name} })
$status = 'None'
$raw = $null
if ($issued.Count -gt 0) { $status = 'Issued'; $raw = ConvertTo-Base64 $issued[0].RawData }
elseif ($waiting.Count -gt 0) { $status = 'Waiting' }
$results += [pscustomobject]@{ Index = ${request.index}; Status = $status; RawData = $raw; Csr = $csr; Error = $failure }`,
    );
  }
  lines.push(
    // Pending online requests carry the CA's request ID, which the administrator needs to approve them.
    "$pending = @()",
    `if (@($results | Where-Object { $_.Status -eq 'Waiting' }).Count -gt 0) {
  try { $pending = @(Request-CsCertificate -List | ForEach-Object { [pscustomobject]@{ RequestId = [string]$_.RequestId; CertificateUses = (@($_.CertificateUses | ForEach-Object { [string]$_ }) -join ',') } }) } catch { $pending = @() }
}`,
    `Write-Output (${quotePowerShell(RESULT_MARKER)} + ([pscustomobject]@{ Now = [DateTime]::UtcNow.ToString('o'); Results = @($results); Pending = @($pending) } | ConvertTo-Json -Depth 6 -Compress))`,
  );
  return withParameters(lines, parameters);
}

export interface CertificateImport {
  /** The file's bytes in base64 (a PFX, or the .cer answer to an offline request). */
  readonly base64: string;
  readonly extension: "pfx" | "cer";
  readonly password?: string;
  /** Import-CsCertificate -Identity global -Type <types>: imports and assigns at the global scope (OAuthTokenIssuer). */
  readonly global?: { readonly types: readonly CertificateUsage[]; readonly effectiveDate?: Date };
}

export interface Assignment {
  /** Several types only for a combined entry: planChanges builds one step per entry's certificate. */
  readonly types: readonly CertificateUsage[];
  readonly thumbprint: string;
  /** Stage the certificate (-Roll): it takes over at this time on the server's clock. */
  readonly effectiveDate?: Date;
  /** -Identity global: the Central Management store's assignment (OAuthTokenIssuer). */
  readonly global?: boolean;
}

/** -Roll -EffectiveDate <ISO 8601>, which every culture parses alike; nothing without a date. */
function rollParameters(effectiveDate: Date | undefined): [string, ArgumentValue | undefined][] {
  return [
    ["Roll", effectiveDate ? true : undefined],
    ["EffectiveDate", effectiveDate?.toISOString().replace(/\.\d{3}Z$/, "Z")],
  ];
}

/**
 * Imports certificates, assigns usages, then reads the assignments back in the same session. A
 * failure stops the changes but not the read-back, so the caller always learns what the server
 * holds and can roll back. Imported files live in the login user's $env:TEMP under a name of their
 * own, and are removed in `finally` whatever happens.
 */
export function assignScript(
  module: ManagementModule | undefined,
  imports: readonly CertificateImport[],
  assignments: readonly Assignment[],
): RemoteScript {
  const parameters: Record<string, string> = {};
  const body: string[] = [];
  imports.forEach((file, i) => {
    parameters[`File${i}`] = file.base64;
    if (file.password !== undefined) parameters[`FilePassword${i}`] = file.password;
    body.push(
      `$path = ${temporaryPath(file.extension)}`,
      "$paths += $path",
      `[System.IO.File]::WriteAllBytes($path, [Convert]::FromBase64String($File${i}))`,
      commandLine("Import-CsCertificate", [
        ["Identity", file.global ? "global" : undefined],
        ["Type", file.global?.types],
        ["Path", { variable: "path" }],
        ["Password", file.password !== undefined ? { variable: `FilePassword${i}` } : undefined],
        ...rollParameters(file.global?.effectiveDate),
      ]),
    );
  });
  for (const assignment of assignments) {
    body.push(
      commandLine("Set-CsCertificate", [
        ["Identity", assignment.global ? "global" : undefined],
        ["Type", assignment.types],
        ["Thumbprint", assignment.thumbprint],
        ...rollParameters(assignment.effectiveDate),
      ]),
    );
  }
  return withParameters(
    [
      ...preamble(module),
      "$failure = $null",
      "$paths = @()",
      "try {",
      ...body.map((line) => `  ${line}`),
      "} catch {",
      "  $failure = [string]$_.Exception.Message",
      "} finally {",
      "  foreach ($p in $paths) { if (Test-Path -Path $p) { Remove-Item -Path $p } }",
      "}",
      `$assignments = ${ASSIGNMENTS_EXPRESSION}`,
      `Write-Output (${quotePowerShell(RESULT_MARKER)} + ([pscustomobject]@{ Failure = $failure; Errors = @(); Assignments = $assignments } | ConvertTo-Json -Depth 6 -Compress))`,
    ],
    parameters,
  );
}

export interface Restore {
  readonly type: CertificateUsage;
  /** The thumbprint to put back; undefined means the usage had no certificate and is unassigned. */
  readonly thumbprint?: string;
  /** Drop only the usage's previous certificate (Remove-CsCertificate -Previous), once a roll is over. */
  readonly previous?: boolean;
}

/** Puts each usage back on its own (never several types at once: they may differ), then reads back. */
export function restoreScript(module: ManagementModule | undefined, restores: readonly Restore[]): RemoteScript {
  const lines = [...preamble(module), "$errors = @()"];
  for (const restore of restores) {
    const call = restore.thumbprint
      ? commandLine("Set-CsCertificate", [
          ["Type", [restore.type]],
          ["Thumbprint", restore.thumbprint],
        ])
      : commandLine("Remove-CsCertificate", [
          ["Type", [restore.type]],
          ["Previous", restore.previous ? true : undefined],
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
  return withParameters(lines);
}

/** deletionPolicy "unassign": Remove-CsCertificate per usage; the certificates stay in the store. */
export function unassignScript(module: ManagementModule | undefined, types: readonly CertificateUsage[]): RemoteScript {
  return restoreScript(
    module,
    types.map((type) => ({ type })),
  );
}
