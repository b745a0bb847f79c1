// Code a script makes at run time ([scriptblock]::Create, Invoke-Expression): kept out of the
// interpreter, which calls this.

import { parsePowerShell, type SyntaxNode } from "./parser";
import { ScriptBlock } from "./runtimeValues";

export type CompiledScriptBlock =
  | { readonly ok: true; readonly block: ScriptBlock; readonly lines: readonly string[]; readonly nodes: SyntaxNode[] }
  | { readonly ok: false; readonly message: string };

/** Parses text into a script block shaped like a `{ … }` literal, so invocation, binding and splatting treat both alike. */
export async function compileScriptBlock(text: string): Promise<CompiledScriptBlock> {
  const parsed = await parsePowerShell(text);
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0];
    return { ok: false, message: `At line:${first.line} char:${first.column}\r\n${first.message}` };
  }
  const nodes: SyntaxNode[] = [];
  const collect = (n: SyntaxNode) => {
    nodes.push(n);
    n.children.forEach(collect);
  };
  collect(parsed.root);
  const body: SyntaxNode = { ...parsed.root, type: "script_block" };
  const wrapper: SyntaxNode = { ...parsed.root, type: "script_block_expression", children: [body] };
  // Every node keeps its own source's lines for "At line:L char:C".
  return { ok: true, block: new ScriptBlock(wrapper, text), lines: parsed.source.split(/\r?\n/), nodes };
}
