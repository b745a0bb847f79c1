import { PowerShellError } from "../powershell/command";

/**
 * A terminating error as the Lync management cmdlets raise it: "Command execution failed: ..." and a
 * FullyQualifiedErrorId naming the cmdlet class, e.g.
 * "CertificateNotFound,Microsoft.Rtc.Management.Deployment.Core.Certificates.SetCertificateCmdlet".
 * The class names follow Lync's Verb+Noun-without-"Cs" pattern [guess]; the error ids are ours.
 */
export function cmdletError(
  cmdlet: string,
  message: string,
  errorId: string,
  category: string = "InvalidOperation",
  options?: { cause?: unknown; targetObject?: unknown; prefix?: boolean },
): PowerShellError {
  const text = options?.prefix === false ? message : `Command execution failed: ${message}`;
  return new PowerShellError(
    text,
    `${errorId},${cmdletClassName(cmdlet)}`,
    category,
    options?.targetObject,
    options?.cause === undefined ? undefined : { cause: options.cause },
  );
}

function cmdletClassName(cmdlet: string): string {
  const [verb, noun = ""] = cmdlet.split("-");
  if (cmdlet.includes("Emulator")) return `LyncEmulator.${verb}${noun}Command`;
  // The certificate cmdlets live in their own namespace (the CA client raises the same ids).
  if (noun === "CsCertificate") return `Microsoft.Rtc.Management.Deployment.Core.Certificates.${verb}CertificateCmdlet`;
  return `Microsoft.Rtc.Management.Deployment.${verb}${noun.replace(/^Cs/, "")}Cmdlet`;
}
