// The commands a runspace knows, by name and alias, and the modules they come from: which modules are in
// the session, which a script may import, and which one PowerShell 3+ would auto-load to find a command.

import type { CommandDefinition } from "./command";

const ALIASES: Record<string, string> = {
  "%": "ForEach-Object",
  foreach: "ForEach-Object",
  "?": "Where-Object",
  where: "Where-Object",
  select: "Select-Object",
  sort: "Sort-Object",
  fl: "Format-List",
  ft: "Format-Table",
  echo: "Write-Output",
  write: "Write-Output",
  gci: "Get-ChildItem",
  ls: "Get-ChildItem",
  dir: "Get-ChildItem",
  gi: "Get-Item",
  gc: "Get-Content",
  cat: "Get-Content",
  type: "Get-Content",
  sc: "Set-Content",
  rm: "Remove-Item",
  del: "Remove-Item",
  erase: "Remove-Item",
  ri: "Remove-Item",
  ipmo: "Import-Module",
  gcm: "Get-Command",
};

/** PowerShell's own modules: loaded in every runspace, and importing them again is harmless. */
const CORE_MODULE_NAMES = [
  "Microsoft.PowerShell.Management",
  "Microsoft.PowerShell.Security",
  "Microsoft.PowerShell.Utility",
];
const CORE_MODULES = new Set(CORE_MODULE_NAMES.map((m) => m.toLowerCase()));

export class CommandTable {
  /** By lower-case name; one name may exist in several modules (a product's old and new module). */
  private readonly byName = new Map<string, CommandDefinition[]>();
  /** Imported modules by lower-case name, with the name as first imported. */
  private readonly imported = new Map<string, string>();

  /**
   * @param builtins the interpreter's own commands
   * @param supplied the host's commands; one replaces a built-in of the same name
   * @param modulePath the modules on PSModulePath, in path order (candidates for auto-loading)
   */
  constructor(
    builtins: readonly CommandDefinition[],
    supplied: readonly CommandDefinition[],
    private readonly modulePath: readonly string[],
  ) {
    for (const c of builtins) this.byName.set(c.name.toLowerCase(), [c]);
    const replaced = new Set<string>();
    for (const c of supplied) {
      const key = c.name.toLowerCase();
      if (!replaced.has(key)) this.byName.set(key, []);
      replaced.add(key);
      this.byName.get(key)!.push(c);
    }
  }

  /** A command is visible when it has no module, or its module is loaded at start or imported. */
  isVisible(command: CommandDefinition): boolean {
    const module = command.module?.toLowerCase();
    return (
      module === undefined ||
      command.moduleAlwaysLoaded === true ||
      CORE_MODULES.has(module) ||
      this.imported.has(module)
    );
  }

  /** The visible command a name (or alias) stands for, if any. */
  resolve(name: string): CommandDefinition | undefined {
    return this.candidates(name).find((c) => this.isVisible(c));
  }

  /** One visible command per name, as Get-Command lists them. */
  visibleCommands(): CommandDefinition[] {
    return [...this.byName.values()].flatMap((list) => list.filter((c) => this.isVisible(c)).slice(0, 1));
  }

  /** Marks a module imported; false when no command belongs to it (Import-Module's "not found"). */
  importModule(name: string): boolean {
    const lower = name.toLowerCase();
    const known = CORE_MODULES.has(lower) || [...this.byName.values()].flat().some((c) => this.isIn(c, lower));
    if (known && !this.imported.has(lower)) this.imported.set(lower, this.canonicalName(name));
    return known;
  }

  /**
   * The module PowerShell 3+ would import to find a command: the first module on PSModulePath (in order)
   * that exports it, or undefined (not installed, or the command is no module's).
   */
  moduleToAutoLoad(name: string): string | undefined {
    const candidates = this.candidates(name);
    for (const module of this.modulePath) {
      const match = candidates.find((c) => this.isIn(c, module.toLowerCase()));
      if (match?.module) return match.module;
    }
    return undefined;
  }

  /**
   * Get-Module's answer: the modules in the session (PowerShell's own and those imported), or with
   * `available` those installed (PowerShell's own, those on PSModulePath, and those the host's
   * commands come from: Import-Module finds them by name), in name order.
   */
  modules(available: boolean): string[] {
    const installed = () => [...this.modulePath, ...[...this.byName.values()].flat().flatMap((c) => c.module ?? [])];
    const names = [...CORE_MODULE_NAMES, ...(available ? installed() : this.imported.values())];
    const unique = new Map(names.map((n) => [n.toLowerCase(), n]));
    return [...unique.values()].sort((a, b) => a.localeCompare(b));
  }

  /** A module's name as its commands (or PSModulePath) spell it. */
  private canonicalName(name: string): string {
    const lower = name.toLowerCase();
    const named = [...this.modulePath, ...CORE_MODULE_NAMES].find((m) => m.toLowerCase() === lower);
    return named ?? [...this.byName.values()].flat().find((c) => this.isIn(c, lower))?.module ?? name;
  }

  private candidates(name: string): CommandDefinition[] {
    const target = (ALIASES[name.toLowerCase()] ?? name).toLowerCase();
    return this.byName.get(target) ?? this.byName.get(target.replace(/^.*\\/, "")) ?? [];
  }

  private isIn(command: CommandDefinition, lowerModule: string): boolean {
    return command.module?.toLowerCase() === lowerModule;
  }
}
