// A pool-wide certificate rollout: assign on every server, then restart the Lync services one
// server at a time. Lync picks up a new Default certificate only after a service restart, and
// restarting every server of a pool at once takes the pool down; chaining the restarts keeps all
// but one server serving throughout.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CertificateAssignment, type CertificateAssignmentArgs } from "pulumi-lync-certificates";

export interface PoolServer {
  /** The server's FQDN, e.g. fe01.contoso.com; names its resources. */
  readonly fqdn: string;
  /** How to reach it over SSH (the shape of @pulumi/command's remote.ConnectionArgs). */
  readonly connection: command.types.input.remote.ConnectionArgs;
}

export interface PoolCertificateRolloutArgs {
  /** The pool's servers, in the order they are restarted. */
  readonly servers: readonly PoolServer[];
  /** The certificates one server should hold; called once per server (its FQDN is usually a SAN). */
  readonly certificates: (server: PoolServer) => CertificateAssignmentArgs["certificates"];
  /** @default - no SIP domains, no Autodiscover names added */
  readonly sipDomains?: CertificateAssignmentArgs["sipDomains"];
  /** @default "Lync" (SkypeForBusiness on Skype for Business Server 2015/2019) */
  readonly managementModule?: "Lync" | "SkypeForBusiness";
}

/** The PowerShell a restart runs; Stop-CsWindowsService waits until the services have stopped. */
export function restartScript(managementModule = "Lync"): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module ${managementModule}`,
    "Stop-CsWindowsService",
    "Start-CsWindowsService",
  ].join("\n");
}

/** The exec command for a Windows OpenSSH server: -EncodedCommand spares the script cmd.exe's quoting. */
export function powershellCommandLine(script: string): string {
  return `powershell.exe -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(script, "utf16le").toString("base64")}`;
}

export class PoolCertificateRollout extends pulumi.ComponentResource {
  /** One CertificateAssignment per server, in the order of args.servers. */
  public readonly assignments: CertificateAssignment[];
  /** One restart per server; each depends on the previous one. */
  public readonly restarts: command.remote.Command[];
  /** The new thumbprints per server FQDN. */
  public readonly thumbprints: pulumi.Output<Record<string, string[]>>;

  constructor(name: string, args: PoolCertificateRolloutArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lync:examples:PoolCertificateRollout", name, {}, opts);
    this.assignments = [];
    this.restarts = [];
    let previous: command.remote.Command | undefined;
    for (const server of args.servers) {
      const assignment = new CertificateAssignment(
        `${name}-${server.fqdn}`,
        {
          connection: server.connection,
          certificates: args.certificates(server),
          sipDomains: args.sipDomains,
          managementModule: args.managementModule,
        },
        { parent: this },
      );
      const restart: command.remote.Command = new command.remote.Command(
        `${name}-${server.fqdn}-restart`,
        {
          connection: server.connection,
          create: powershellCommandLine(restartScript(args.managementModule ?? "Lync")),
          // A new thumbprint replaces the command, which runs the restart again; an unchanged
          // assignment restarts nothing.
          triggers: [thumbprintsOf(assignment)],
        },
        { parent: this, dependsOn: previous ? [assignment, previous] : [assignment] },
      );
      this.assignments.push(assignment);
      this.restarts.push(restart);
      previous = restart;
    }
    this.thumbprints = pulumi
      .all(this.assignments.map(thumbprintsOf))
      .apply((lists) => Object.fromEntries(args.servers.map((s, i) => [s.fqdn, lists[i]])));
    this.registerOutputs({ thumbprints: this.thumbprints });
  }
}

function thumbprintsOf(assignment: CertificateAssignment): pulumi.Output<string[]> {
  return assignment.certificates.apply((entries) => entries.flatMap((c) => (c.thumbprint ? [c.thumbprint] : [])));
}
