// Reads the args interfaces of a provider file with the TypeScript compiler API: property names,
// optionality, a schema-style type, and the doc comment's text (tags removed). An interface's
// `extends` is followed, in the same file or through a relative import, and its properties follow
// the interface's own.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

export interface PropertyDoc {
  readonly name: string;
  readonly optional: boolean;
  readonly type: SchemaType;
  readonly description: string;
  /** The @default tag's text, if any. */
  readonly default?: string;
}

export type SchemaType =
  | { readonly type: "string" | "number" | "boolean"; readonly enum?: readonly string[] }
  | { readonly type: "array"; readonly items: SchemaType }
  | { readonly type: "object"; readonly additionalProperties: SchemaType }
  | { readonly $ref: string };

/** Interface name → the schema type token its references map to. */
const TYPE_TOKENS: Readonly<Record<string, string>> = {
  ConnectionArgs: "lync:index:Connection",
  ProxyConnectionArgs: "lync:index:ProxyConnection",
  CertificateArgs: "lync:index:Certificate",
  SipDomainArgs: "lync:index:SipDomain",
  CertificateOutput: "lync:index:CertificateOutput",
  RollArgs: "lync:index:Roll",
};

export function readArgsDocs(path: string): Map<string, PropertyDoc[]> {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
  const result = new Map<string, PropertyDoc[]>();
  const bases = new Map<string, string[]>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const properties: PropertyDoc[] = [];
    bases.set(
      node.name.text,
      (node.heritageClauses ?? []).flatMap((c) => c.types.map((t) => t.expression.getText(source))),
    );
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      const doc = docs[docs.length - 1];
      const text =
        typeof doc?.comment === "string" ? doc.comment : (doc?.comment?.map((c) => c.getText()).join("") ?? "");
      const defaultTag = doc?.tags?.find((t) => t.tagName.text === "default");
      const defaultText = defaultTag
        ? typeof defaultTag.comment === "string"
          ? defaultTag.comment
          : defaultTag.comment?.map((c) => c.getText()).join("")
        : undefined;
      properties.push({
        name: member.name.getText(source),
        optional: member.questionToken !== undefined,
        type: schemaType(member.type, source),
        description: text.trim(),
        default: defaultText?.trim(),
      });
    }
    result.set(node.name.text, properties);
  });
  for (const [name, baseNames] of bases) {
    const own = result.get(name)!;
    for (const base of baseNames) {
      const inherited = result.get(base) ?? importedInterface(source, path, base);
      own.push(...inherited.filter((p) => !own.some((o) => o.name === p.name)));
    }
  }
  return result;
}

/** The properties of an interface imported from a relative module ("./x" → x.ts beside path). */
function importedInterface(source: ts.SourceFile, path: string, name: string): PropertyDoc[] {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings) || !bindings.elements.some((e) => e.name.text === name)) continue;
    const module = statement.moduleSpecifier.text;
    if (!module.startsWith(".")) break;
    const found = readArgsDocs(join(dirname(path), `${module}.ts`)).get(name);
    if (found) return found;
  }
  throw new Error(`readArgsDocs: cannot find interface ${name} extended in ${path}`);
}

function schemaType(node: ts.TypeNode, source: ts.SourceFile): SchemaType {
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(source);
    if (name === "pulumi.Input" && node.typeArguments?.length === 1) return schemaType(node.typeArguments[0], source);
    if (name === "Record" && node.typeArguments?.length === 2) {
      return { type: "object", additionalProperties: schemaType(node.typeArguments[1], source) };
    }
    if (TYPE_TOKENS[name]) return { $ref: `#/types/${TYPE_TOKENS[name]}` };
    throw new Error(`readArgsDocs: no schema type for ${name}`);
  }
  if (ts.isArrayTypeNode(node)) return { type: "array", items: schemaType(node.elementType, source) };
  if (ts.isUnionTypeNode(node) && node.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
    return {
      type: "string",
      enum: node.types.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text),
    };
  }
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: "string" };
    case ts.SyntaxKind.NumberKeyword:
      return { type: "number" };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: "boolean" };
  }
  throw new Error(`readArgsDocs: no schema type for ${node.getText(source)}`);
}
