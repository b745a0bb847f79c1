// Asks V8 to favour memory in the one provider process a deployment's servers share. Its garbage is
// short-lived: a small young generation took a 100-server peak from 197 MB to 135 MB in `npm run
// bench`. Its work waits on servers, not on JavaScript: without the optimizing compilers (TurboFan,
// Maglev), which compile on background threads into memory malloc keeps, a 200-server preview
// peaked 13-15 MB lower with no slower preview and the same CPU time (measured, not guessed).

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const PROVIDER_PROCESS_V8_FLAGS =
  "--optimize-for-size --min-semi-space-size=1 --semi-space-growth-factor=1 --no-opt --no-maglev";

let tuned = false;

/** Applies the flags in the engine's dynamic-provider process only, never in a program or a test runner. */
export function tuneProviderProcess(argv: readonly string[] = process.argv): boolean {
  if (tuned || !argv.some((arg) => /[\\/]dynamic-provider([\\/]|$)/.test(arg))) return false;
  tuned = true;
  setFlagsFromString(PROVIDER_PROCESS_V8_FLAGS);
  // The young generation already grew while @pulumi/pulumi started; one full collection now lets
  // V8 size it by the new flags (it shrinks only when it collects).
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return true;
}
