// Built-in commands on the server's disk: Get-Content, Set-Content, Test-Path and Remove-Item.

import type { CommandDefinition } from "./command";
import { enumerate, toNumber, toPSString } from "./runtimeValues";
import { command, pathNotFound } from "./builtinSupport";
import type { Runtime } from "./builtinCommands";

/** Get-Content, Set-Content, Test-Path and Remove-Item. */
export function fileCommands(runtime: Runtime): CommandDefinition[] {
  return [getContentCommand(runtime), setContentCommand(runtime), testPathCommand(runtime), removeItemCommand(runtime)];
}

function decodeText(data: Uint8Array, encoding?: string): string {
  const b = Buffer.from(data);
  if (b[0] === 0xff && b[1] === 0xfe) return b.subarray(2).toString("utf16le");
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString("utf8");
  if ((encoding ?? "").toLowerCase() === "unicode") return b.toString("utf16le");
  return b.toString("utf8");
}

function encodeText(text: string, encoding: string): Uint8Array {
  switch (encoding) {
    case "unicode":
      return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    case "utf8":
      return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    default:
      return new Uint8Array(Buffer.from(text, "utf8"));
  }
}

function getContentCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Get-Content",
    [
      { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
      { name: "Raw", type: "switch" },
      { name: "Encoding", type: "string" },
      { name: "TotalCount", type: "int", aliases: ["First", "Head"] },
    ],
    (context) => {
      for (const path of context.parameters.Path as string[]) {
        const data = runtime.fileSystem.read(path);
        if (!data) {
          context.writeError(pathNotFound("Get-Content", path));
          continue;
        }
        const text = decodeText(data, context.parameters.Encoding as string | undefined);
        if (context.parameters.Raw) context.output(text);
        else {
          const lines = text.split(/\r?\n/);
          if (lines[lines.length - 1] === "") lines.pop();
          const count = context.parameters.TotalCount as number | undefined;
          for (const line of count !== undefined ? lines.slice(0, count) : lines) context.output(line);
        }
      }
    },
  );
}

function setContentCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Set-Content",
    [
      { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
      { name: "Value", type: "object[]", position: 1 },
      { name: "Encoding", type: "string" },
      { name: "NoNewline", type: "switch" },
      { name: "Force", type: "switch" },
    ],
    (context) => {
      const p = context.parameters;
      const values = "Value" in p ? enumerate(p.Value) : context.input;
      const encoding = ((p.Encoding as string | undefined) ?? "").toLowerCase();
      const text = p.NoNewline ? values.map(toPSString).join("") : values.map((v) => toPSString(v) + "\r\n").join("");
      const bytes =
        encoding === "byte" ? new Uint8Array(values.map((v) => toNumber(v) ?? 0)) : encodeText(text, encoding);
      for (const path of p.Path as string[]) runtime.fileSystem.write(path, bytes);
    },
  );
}

function testPathCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Test-Path",
    [
      { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
      { name: "PathType", type: "string" },
    ],
    (context) => {
      for (const path of context.parameters.Path as string[]) context.output(runtime.fileSystem.exists(path));
    },
  );
}

function removeItemCommand(runtime: Runtime): CommandDefinition {
  return command(
    "Remove-Item",
    [
      { name: "Path", type: "string[]", position: 0, mandatory: true, aliases: ["LiteralPath", "PSPath"] },
      { name: "Force", type: "switch" },
      { name: "Recurse", type: "switch" },
    ],
    (context) => {
      for (const path of context.parameters.Path as string[]) {
        if (!runtime.fileSystem.remove(path)) context.writeError(pathNotFound("Remove-Item", path));
      }
    },
  );
}
