// An in-process emulator for the WinRM tests, and clients of fe01's listeners that close after each test.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  encodePowerShellCommand,
  startEmulator,
  type EmulatorUser,
  type RunningEmulator,
} from "lync-server-emulator/dist/index";
import { WinRmTestClient, type WinRmTestClientOptions } from "../support/winrmTestClient";

export const PASSWORD = "Pa55w.rd";

/** powershell.exe's arguments for a bootstrap that runs whatever script arrives on stdin. */
export const STDIN_POWERSHELL: readonly string[] = [
  "-NoProfile",
  "-NonInteractive",
  "-EncodedCommand",
  encodePowerShellCommand("$s = [Console]::In.ReadToEnd(); & ([ScriptBlock]::Create($s))"),
];

export interface WinRmFixture {
  readonly emulator: RunningEmulator;
  readonly stateDir: string;
  /** A client of fe01's HTTPS listener as lyncadmin over NTLM, unless the options say otherwise. */
  client(options?: Partial<WinRmTestClientOptions>): WinRmTestClient;
  /** A client of fe01's HTTP listener. */
  httpClient(options?: Partial<WinRmTestClientOptions>): WinRmTestClient;
}

/** Registers before/afterEach/after hooks in the calling describe(); the fixture is ready inside tests. */
export function useWinRmFixture(users: readonly EmulatorUser[] = [{ name: "lyncadmin", password: PASSWORD }]): {
  readonly current: WinRmFixture;
} {
  const holder: { current: WinRmFixture } = { current: undefined as unknown as WinRmFixture };
  const clients: WinRmTestClient[] = [];
  before(async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "winrm-"));
    const emulator = await startEmulator({ stateDir, users });
    const fe01 = emulator.servers.find((s) => s.fqdn === "fe01.contoso.com")!;
    const make = (options: WinRmTestClientOptions) => {
      const client = new WinRmTestClient(options);
      clients.push(client);
      return client;
    };
    const base = { user: "lyncadmin", password: PASSWORD, auth: "ntlm" as const };
    holder.current = {
      emulator,
      stateDir,
      client: (options = {}) =>
        make({ ...base, port: fe01.winrmPort, ca: emulator.certificationAuthority().rootCertificatePem, ...options }),
      httpClient: (options = {}) => make({ ...base, port: fe01.winrmHttpPort, ...options }),
    };
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    holder.current.emulator.host("fe01.contoso.com").emulator.setFaults([]);
  });
  after(async () => {
    await holder.current.emulator.stop();
    rmSync(holder.current.stateDir, { recursive: true, force: true });
  });
  return holder;
}
