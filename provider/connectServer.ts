// The one place that chooses how a server is reached: over SSH (the default) or WinRM
// (connection.transport "winrm"). The rest of the provider sees only a RemotePowerShell.

import type { ConnectionInputs } from "./providerInputs";
import type { RemotePowerShell, TransportOptions } from "./sshTransport";

export async function connectServer(
  connection: ConnectionInputs,
  options: TransportOptions = {},
): Promise<RemotePowerShell> {
  if (connection.transport === "winrm") {
    const { connectWinrmPowerShell } = require("./winrmTransport") as typeof import("./winrmTransport");
    return connectWinrmPowerShell(connection, options);
  }
  const { connectPowerShell } = require("./sshTransport") as typeof import("./sshTransport");
  return connectPowerShell(connection, options);
}

/** Closes every SSH connection and deletes every WinRM shell (tests, and the end of a short-lived process). */
export async function closeAllSessions(): Promise<void> {
  const { closeAllConnections } = require("./sshTransport") as typeof import("./sshTransport");
  const { closeAllShells } = require("./winrmTransport") as typeof import("./winrmTransport");
  await Promise.all([closeAllConnections(), closeAllShells()]);
}
