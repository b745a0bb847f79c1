// The PowerShell value model shared by the interpreter and the cmdlets.
//
// Plain JS values stand for most .NET values: string, number (Int32/Double), boolean, null ($null),
// arrays (object[]), Uint8Array (byte[]). The classes below cover what plain JS cannot express
// and what Windows PowerShell 5.1 treats specially (ConvertTo-Json writes enums as numbers and
// DateTime as "\/Date(ms)\/"; the default formatter shows enum names and locale dates).

/** An instance of a .NET enum, e.g. Microsoft.Rtc.Management.Deployment.CertType's WebServicesExternal. */
export class PSEnum {
  constructor(
    readonly typeName: string,
    readonly name: string,
    readonly value: number,
  ) {}
  toString(): string {
    return this.name;
  }
}

/** A System.DateTime. Kind is kept because ToUniversalTime()/ToString('o') depend on it. */
export class PSDateTime {
  constructor(
    readonly date: Date,
    readonly kind: "Utc" | "Local" | "Unspecified" = "Local",
  ) {}
  toString(): string {
    return formatDateTimeEnUs(this.date);
  }
}

/**
 * A PSObject / PSCustomObject: ordered properties with case-insensitive names, and the .NET type
 * names that Get-Member and the formatter would show (most derived first).
 */
export class PSObject {
  private readonly props = new Map<string, { name: string; value: unknown }>();

  constructor(
    readonly typeNames: string[] = ["System.Management.Automation.PSCustomObject"],
    properties: Record<string, unknown> = {},
  ) {
    for (const [name, value] of Object.entries(properties)) this.set(name, value);
  }

  get(name: string): unknown {
    return this.props.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.props.has(name.toLowerCase());
  }

  /** Sets a property, keeping the original spelling and position when it already exists. */
  set(name: string, value: unknown): void {
    const key = name.toLowerCase();
    const existing = this.props.get(key);
    this.props.set(key, { name: existing?.name ?? name, value });
  }

  /** Property names in declaration order, with their original spelling. */
  propertyNames(): string[] {
    return [...this.props.values()].map((p) => p.name);
  }

  entries(): [string, unknown][] {
    return [...this.props.values()].map((p) => [p.name, p.value]);
  }
}

/** A PowerShell hashtable (@{}): case-insensitive keys, insertion order kept for display. */
export class PSHashtable {
  private readonly items = new Map<string, { key: string; value: unknown }>();

  get(key: string): unknown {
    return this.items.get(String(key).toLowerCase())?.value;
  }
  has(key: string): boolean {
    return this.items.has(String(key).toLowerCase());
  }
  set(key: string, value: unknown): void {
    const k = String(key).toLowerCase();
    this.items.set(k, { key: this.items.get(k)?.key ?? String(key), value });
  }
  delete(key: string): void {
    this.items.delete(String(key).toLowerCase());
  }
  entries(): [string, unknown][] {
    return [...this.items.values()].map((i) => [i.key, i.value]);
  }
  get count(): number {
    return this.items.size;
  }
}

/** A System.Security.SecureString: the plaintext never reaches output, JSON or logs. */
export class PSSecureString {
  constructor(private readonly secret: string) {}
  /** Only cmdlets that need the password (PFX import, CA account) call this. */
  reveal(): string {
    return this.secret;
  }
  toString(): string {
    return "System.Security.SecureString";
  }
}

/** "7/20/2014 2:05:09 PM": how en-US Windows PowerShell prints a DateTime. */
export function formatDateTimeEnUs(date: Date): string {
  const h = date.getUTCHours();
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ` +
    `${hour12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`
  );
}
