// A fresh emulator per test, and helpers to look at what its servers hold.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "lync-server-emulator/dist/index";
import type { Topology } from "lync-server-emulator/dist/lyncHost";
import { closeAllSessions } from "pulumi-lync-certificates/dist/connectServer";
import type { Transport } from "../../../scripts/support/transports";
import type { ConnectionInputs } from "pulumi-lync-certificates/dist/providerInputs";
import { connectPowerShell } from "pulumi-lync-certificates/dist/sshTransport";

export const USER = "lyncadmin";
export const PASSWORD = "Pa$$w0rd-'quoted'";
export const FE01 = "fe01.contoso.com";

export interface EmulatorFixture {
  emulator: RunningEmulator;
  stateDir: string;
}

/** @param topology @default the sample topology */
export async function startFixture(topology?: Topology): Promise<EmulatorFixture> {
  const stateDir = mkdtempSync(join(tmpdir(), "provider-emulator-"));
  const emulator = await startEmulator({ stateDir, users: [{ name: USER, password: PASSWORD }], topology });
  return { emulator, stateDir };
}

export async function stopFixture(fixture: EmulatorFixture | undefined): Promise<void> {
  await closeAllSessions();
  if (!fixture) return;
  await fixture.emulator.stop();
  rmSync(fixture.stateDir, { recursive: true, force: true });
}

export { TRANSPORTS, type Transport } from "../../../scripts/support/transports";

/** A connection to one server: over SSH, or over WinRM's HTTPS listener pinned by its fingerprint. */
export function connectionTo(fixture: EmulatorFixture, fqdn = FE01, transport: Transport = "ssh"): ConnectionInputs {
  const server = fixture.emulator.servers.find((s) => s.fqdn === fqdn)!;
  const login = { user: USER, password: PASSWORD, dialErrorLimit: 2, perDialTimeout: 5 };
  if (transport === "ssh") return { host: server.host, port: server.port, ...login };
  return {
    transport,
    host: server.host,
    port: server.winrmPort,
    certificateFingerprint: server.winrmCertificateSha256,
    ...login,
  };
}

/** Usage → thumbprint as the server's Lync holds it. */
export function assignments(fixture: EmulatorFixture, fqdn = FE01): Record<string, string> {
  return Object.fromEntries(
    fixture.emulator
      .host(fqdn)
      .listAssignments("local")
      .map((a) => [a.type, a.thumbprint]),
  );
}

/** Set-CsCertificate calls in the audit log: the types of each call. */
export function setCsCertificateCalls(fixture: EmulatorFixture, fqdn = FE01): string[][] {
  return fixture.emulator
    .host(fqdn)
    .emulator.auditLog()
    .filter((e) => e.command === "Set-CsCertificate")
    .map((e) => {
      const type = e.parameters.Type;
      return (Array.isArray(type) ? type : [type]).map(String);
    });
}

/** Runs an administrator's script over SSH (an out-of-band change). */
export async function runAsAdmin(fixture: EmulatorFixture, script: string, fqdn = FE01) {
  const session = await connectPowerShell(connectionTo(fixture, fqdn));
  const output = await session.run({ script });
  if (output.exitCode !== 0) throw new Error(`admin script failed: ${output.stderr}`);
  return output;
}

/** Reads of the live assignments so far (Get-CsCertificate runs): the read script runs it once. */
export function readCount(fixture: EmulatorFixture, fqdn = FE01): number {
  return fixture.emulator
    .host(fqdn)
    .emulator.auditLog()
    .filter((e) => e.command === "Get-CsCertificate").length;
}

/** Remote PowerShell sessions (powershell.exe processes) so far: each imports the management module once. */
export function sessionCount(fixture: EmulatorFixture, fqdn = FE01): number {
  return fixture.emulator
    .host(fqdn)
    .emulator.auditLog()
    .filter((e) => e.command === "Import-Module").length;
}
