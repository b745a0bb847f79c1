// The README's Reference section, rendered from schema.json, so the two say the same words.

interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  enum?: string[];
  description?: string;
  default?: unknown;
  secret?: boolean;
}

interface SchemaObject {
  description?: string;
  properties?: Record<string, SchemaProperty>;
  inputProperties?: Record<string, SchemaProperty>;
  required?: string[];
  requiredInputs?: string[];
}

interface Schema {
  resources: Record<string, SchemaObject>;
  types: Record<string, SchemaObject>;
}

function typeName(property: SchemaProperty): string {
  if (property.$ref) return property.$ref.split(":").pop()!;
  if (property.type === "array" && property.items) return `${typeName(property.items)}[]`;
  if (property.type === "object" && property.additionalProperties)
    return `map of ${typeName(property.additionalProperties)}`;
  if (property.enum) return property.enum.map((value) => JSON.stringify(value)).join(" or ");
  return property.type ?? "any";
}

function propertyList(properties: Record<string, SchemaProperty>, required: readonly string[]): string[] {
  return Object.entries(properties).map(([name, property]) => {
    const facts = [typeName(property), required.includes(name) ? "required" : "optional"];
    if (property.default !== undefined) facts.push(`default ${JSON.stringify(property.default)}`);
    if (property.secret) facts.push("secret");
    const description = (property.description ?? "").replace(/\s*\n\s*/g, " ").trim();
    return `- \`${name}\` (${facts.join(", ")}): ${description}`;
  });
}

/** Markdown for every resource and type in the schema, in schema order. */
export function renderSchemaReference(schema: Schema): string {
  const lines: string[] = [];
  for (const [token, resource] of Object.entries(schema.resources)) {
    const name = token.split(":").pop()!;
    lines.push(`### ${name}`, "", `Type token \`${token}\`. ${resource.description ?? ""}`.trim(), "");
    lines.push("Inputs:", "", ...propertyList(resource.inputProperties ?? {}, resource.requiredInputs ?? []), "");
    // Outputs that repeat an input unchanged are not listed again.
    const inputs = resource.inputProperties ?? {};
    const outputsOnly = Object.fromEntries(
      Object.entries(resource.properties ?? {}).filter(
        ([key, property]) => JSON.stringify(inputs[key]) !== JSON.stringify(property),
      ),
    );
    lines.push("Outputs (besides the inputs):", "", ...propertyList(outputsOnly, resource.required ?? []), "");
  }
  for (const [token, type] of Object.entries(schema.types)) {
    lines.push(`### ${token.split(":").pop()}`, "");
    if (type.description) lines.push(type.description, "");
    lines.push(...propertyList(type.properties ?? {}, type.required ?? []), "");
  }
  return lines.join("\n").trimEnd();
}
