// Every example type-checks as the user would get it: the Pulumi CLI compiles it only when it runs,
// so a type error in an example would otherwise surface as a failed `pulumi up`.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/support/emulatorProcess";

describe("the examples", function () {
  this.timeout(120_000);
  const examples = fs
    .readdirSync(path.join(REPO_ROOT, "examples"))
    .filter((name) => fs.existsSync(path.join(REPO_ROOT, "examples", name, "tsconfig.json")));

  it("are all found", () => assert.ok(examples.length >= 5, examples.join(", ")));

  for (const example of examples) {
    it(`type-checks examples/${example}`, () => {
      const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
      try {
        execFileSync(
          process.execPath,
          [tsc, "--noEmit", "--noCheck", "false", "-p", path.join(REPO_ROOT, "examples", example)],
          {
            encoding: "utf8",
          },
        );
      } catch (error) {
        assert.fail(`examples/${example} does not type-check:\n${(error as { stdout?: string }).stdout ?? error}`);
      }
    });
  }
});
