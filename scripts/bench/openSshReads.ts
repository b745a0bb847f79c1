// The yardsticks nobody here wrote: OpenSSH's `ssh` reading Get-CsCertificate from every server,
// all at once (the floor: what any tool must at least spend) and one after another (the loop an
// admin would script). The remote command is one a real Windows server with cmd.exe as OpenSSH's
// default shell runs as typed: powershell.exe with a short -Command, far below cmd's 8,191 limit.

import { spawn } from "node:child_process";
import type { EmulatedServerEndpoint } from "../support/emulatorProcess";

export const OPENSSH_READ_COMMAND =
  'powershell.exe -NoProfile -NonInteractive -Command "Import-Module Lync; Get-CsCertificate"';

export interface OpenSshFleet {
  readonly servers: readonly EmulatedServerEndpoint[];
  readonly user: string;
  readonly identityFile: string;
  readonly knownHostsFile: string;
}

/** Reads every server; `parallel` starts them all at once, otherwise one after another. Seconds taken. */
export async function openSshReads(fleet: OpenSshFleet, parallel: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  const failures: string[] = [];
  const readOne = async (server: EmulatedServerEndpoint) => {
    const result = await ssh(fleet, server);
    // A read that printed no certificate is no read: the floor must not be measured on failures.
    if (result.code !== 0 || !/Thumbprint/i.test(result.stdout)) {
      failures.push(`${server.fqdn}: ssh exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
    }
  };
  if (parallel) await Promise.all(fleet.servers.map(readOne));
  else for (const server of fleet.servers) await readOne(server);
  if (failures.length > 0) {
    throw new Error(`OpenSSH reads failed on ${failures.length} server(s):\n${failures.slice(0, 5).join("\n")}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function ssh(
  fleet: OpenSshFleet,
  server: EmulatedServerEndpoint,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = [
    "-p",
    String(server.port),
    "-i",
    fleet.identityFile,
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${fleet.knownHostsFile}`,
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "ControlMaster=no",
    "-o",
    "ControlPath=none",
    "-o",
    "LogLevel=ERROR",
    `${fleet.user}@${server.host}`,
    OPENSSH_READ_COMMAND,
  ];
  return new Promise((resolve) => {
    const child = spawn("ssh", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", (error) => resolve({ code: 127, stdout, stderr: `${stderr}${error.message}` }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
