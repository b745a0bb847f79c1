// A dynamic provider as the engine's provider process gets it: serialized by value, then evaluated.

import * as pulumi from "@pulumi/pulumi";

export async function deserializeProvider<T>(provider: T): Promise<T> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider);
  const module = { exports: {} as Record<string, unknown> };
  new Function("module", "exports", "require", "__filename", "__dirname", serialized.text)(
    module,
    module.exports,
    require,
    "",
    process.cwd(),
  );
  return (module.exports[serialized.exportName] as () => T)();
}
