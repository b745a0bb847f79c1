// Runs scripts in-process against fake commands and an in-memory disk, as the emulator would.

import type { CommandDefinition } from "lync-server-emulator/dist/powershell/command";
import { PowerShellError, dotnetObject } from "lync-server-emulator/dist/powershell/command";
import { runScript } from "lync-server-emulator/dist/powershell/interpreter";
import type { RunScriptOptions, ScriptResult, VirtualFileSystem } from "lync-server-emulator/dist/powershell/session";
import { PSDateTime, PSEnum } from "lync-server-emulator/dist/powershell/values";

/** A case-insensitive Windows-path disk held in memory. */
export class MemoryFileSystem implements VirtualFileSystem {
  readonly files = new Map<string, Uint8Array>();
  read(path: string): Uint8Array | undefined {
    return this.files.get(path.toLowerCase());
  }
  write(path: string, data: Uint8Array): void {
    this.files.set(path.toLowerCase(), data);
  }
  remove(path: string): boolean {
    return this.files.delete(path.toLowerCase());
  }
  exists(path: string): boolean {
    return this.files.has(path.toLowerCase());
  }
}

const CERT_TYPES = ["Default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer"];
const NOW = new Date(Date.UTC(2026, 10, 26, 8, 19, 5));

/** Fake Lync-style commands: enough parameter sets to exercise the binder. */
function fakeCommands(
  calls: { name: string; parameters: Record<string, unknown>; set: string }[] = [],
): CommandDefinition[] {
  const record =
    (name: string) => (context: { parameters: Readonly<Record<string, unknown>>; parameterSetName: string }) => {
      calls.push({ name, parameters: { ...context.parameters }, set: context.parameterSetName });
    };
  const typeParam = {
    name: "Type",
    type: "string[]" as const,
    enumValues: CERT_TYPES,
    enumTypeName: "Microsoft.Rtc.Management.Deployment.CertType",
  };
  return [
    {
      name: "Get-FakeCertificate",
      module: "Lync",
      parameterSets: [
        {
          name: "Identity",
          isDefault: true,
          parameters: [typeParam, { name: "Identity", type: "string", position: 0 }],
        },
      ],
      invoke(context) {
        record("Get-FakeCertificate")(context);
        const types = (context.parameters.Type as string[] | undefined) ?? ["Default", "WebServicesInternal"];
        for (const t of types) {
          context.output(
            dotnetObject("Microsoft.Rtc.Management.Deployment.Core.CertificateReference", {
              Issuer: "CN=contoso-DC-CA",
              NotAfter: new PSDateTime(new Date(Date.UTC(2027, 6, 20, 14, 5, 9)), "Local"),
              NotBefore: new PSDateTime(new Date(Date.UTC(2025, 6, 20, 14, 5, 9)), "Local"),
              SerialNumber: "1A2B",
              Subject: "CN=pool.contoso.com",
              AlternativeNames: [
                "sip.contoso.com",
                "pool.contoso.com",
                "fe01.contoso.com",
                "meet.contoso.com",
                "dialin.contoso.com",
              ],
              Thumbprint: "ABCDEF0123456789ABCDEF0123456789ABCDEF01",
              Use: new PSEnum("Microsoft.Rtc.Management.Deployment.CertType", t, CERT_TYPES.indexOf(t)),
            }),
          );
        }
      },
    },
    {
      name: "Set-FakeCertificate",
      module: "Lync",
      parameterSets: [
        {
          name: "Thumbprint",
          isDefault: true,
          parameters: [
            typeParam,
            { name: "Thumbprint", type: "string", mandatory: true },
            { name: "EffectiveDate", type: "datetime", aliases: ["EffectiveTime"] },
            { name: "Roll", type: "switch" },
            { name: "Force", type: "switch" },
            { name: "Identity", type: "string" },
          ],
        },
        {
          name: "Reference",
          parameters: [
            typeParam,
            { name: "Reference", type: "object", mandatory: true, valueFromPipeline: true },
            { name: "Force", type: "switch" },
            { name: "Identity", type: "string" },
          ],
        },
        {
          name: "Path",
          parameters: [
            { ...typeParam, mandatory: true },
            { name: "Path", type: "string", mandatory: true },
            { name: "Password", type: "securestring" },
            { name: "Identity", type: "string", mandatory: true },
          ],
        },
      ],
      invoke(context) {
        record("Set-FakeCertificate")(context);
        if (context.parameters.Roll && !context.parameters.EffectiveDate) {
          throw new PowerShellError(
            "Command execution failed: -Roll requires -EffectiveDate.",
            "RollWithoutEffectiveDate,Fake.SetCertificateCmdlet",
            "InvalidArgument",
          );
        }
      },
    },
    {
      name: "Test-FakeError",
      module: "Microsoft.PowerShell.Utility",
      parameterSets: [
        {
          name: "Default",
          parameters: [
            { name: "Message", type: "string", position: 0 },
            { name: "Terminate", type: "switch" },
          ],
        },
      ],
      invoke(context) {
        const e = new PowerShellError(
          String(context.parameters.Message ?? "fake failure"),
          "FakeFailure,Fake.TestErrorCommand",
          "InvalidOperation",
          "target1",
        );
        e.exceptionTypeName = "InvalidOperationException";
        if (context.parameters.Terminate) throw e;
        context.writeError(e);
        context.output("after error");
      },
    },
    {
      name: "Get-Thing",
      parameterSets: [
        {
          name: "Default",
          parameters: [
            { name: "Name", type: "string", position: 0 },
            { name: "Count", type: "int" },
            { name: "Enabled", type: "bool" },
            { name: "When", type: "datetime" },
            { name: "Secret", type: "securestring" },
            { name: "Computer", type: "string" },
            { name: "ComputerFqdn", type: "string" },
            { name: "Certificate", type: "string" },
          ],
        },
      ],
      invoke(context) {
        record("Get-Thing")(context);
        context.output(`${String(context.parameters.Name ?? "")}|${context.parameterSetName}`);
      },
    },
  ];
}

export interface RunOptions extends Partial<RunScriptOptions> {
  calls?: { name: string; parameters: Record<string, unknown>; set: string }[];
}

export function run(script: string, options: RunOptions = {}): Promise<ScriptResult> {
  return runScript(script, {
    fileSystem: options.fileSystem ?? new MemoryFileSystem(),
    commands: options.commands ?? fakeCommands(options.calls),
    host: {},
    now: () => NOW,
    ...options,
  });
}
