// What every transport must do with a script: bind its parameters as data, return stdout, the error
// stream as a console shows it, warnings and the exit code. Each transport's test runs it.

import assert from "node:assert/strict";
import { quotePowerShell } from "pulumi-lync-certificates/dist/quotePowerShell";
import type { RemotePowerShell } from "pulumi-lync-certificates/dist/sshTransport";

export async function assertScriptRoundTrip(session: RemotePowerShell): Promise<void> {
  // Unquoted, ‘ would end the literal: PowerShell treats it as a single quote.
  const ok = await session.run({
    script: `param([string]$Value)\nWrite-Output ${quotePowerShell("it's ‘quoted’")}\nWrite-Output $Value`,
    parameters: { Value: "bound ‘as data’ é" },
  });
  assert.deepEqual(
    { ...ok, stdout: ok.stdout.trim().split(/\r?\n/) },
    { stdout: ["it's ‘quoted’", "bound ‘as data’ é"], stderr: "", warnings: "", exitCode: 0 },
  );
  const failed = await session.run({ script: "Import-Module NoSuchModule" });
  assert.equal(failed.exitCode, 1);
  assert.match(failed.stderr, /NoSuchModule/);
  assert.doesNotMatch(failed.stderr, /CLIXML|<Objs|_x000D_/, "the error reads as a console shows it");
  const exited = await session.run({ script: "Write-Warning 'careful'; exit 3" });
  assert.equal(exited.exitCode, 3);
  assert.match(exited.warnings, /careful/);
}
