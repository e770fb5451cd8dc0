// virsh's per-command option parsing (tools/vsh.c): `--name value`, `--name=value`, booleans,
// positional data filling the command's data options in order, and vsh's error texts.
import { VirshUsageError } from "./errors";

export type OptType = "bool" | "string" | "int" | "data" | "argv";

export interface OptDef {
  name: string;
  type: OptType;
  required?: boolean;
  /** Non-bool options virsh also fills from bare words, in definition order. */
  positional?: boolean;
}

export class ParsedArgs {
  constructor(
    private readonly cmd: string,
    private readonly values: Map<string, string | true | string[]>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  str(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === "string" ? v : undefined;
  }

  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  }

  /** vshCommandOptULongLong/Int: decimal only, with virsh's complaint otherwise. */
  uint(name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = /^\+?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n > max) {
      throw new VirshUsageError(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
    }
    return n;
  }

  /** Like uint but accepting a sign (vshCommandOptInt). */
  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = /^[+-]?\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || Math.abs(n) > 2147483647) {
      throw new VirshUsageError(`Numeric value '${v}' for <${name}> option is malformed or out of range`);
    }
    return n;
  }

  get command(): string {
    return this.cmd;
  }
}

export function parseOptions(cmd: string, defs: OptDef[], tokens: string[]): ParsedArgs {
  const values = new Map<string, string | true | string[]>();
  const byName = new Map(defs.map((d) => [d.name, d]));
  const positional = defs.filter((d) => d.type === "data" || d.type === "argv" || d.positional);
  let dataOnly = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as string;
    if (!dataOnly && tok === "--") {
      dataOnly = true;
      continue;
    }
    if (!dataOnly && tok.startsWith("--") && tok.length > 2) {
      const eq = tok.indexOf("=");
      const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
      const def = byName.get(name);
      if (!def) throw new VirshUsageError(`command '${cmd}' doesn't support option --${name}`);
      if (values.has(def.name) && def.type !== "argv") throw new VirshUsageError(`option --${name} already seen`);
      if (def.type === "bool") {
        if (eq >= 0) throw new VirshUsageError(`invalid '=' after option --${name}`);
        values.set(def.name, true);
        continue;
      }
      let value: string | undefined = eq >= 0 ? tok.slice(eq + 1) : tokens[i + 1];
      if (eq < 0) i++;
      if (value === undefined) {
        throw new VirshUsageError(`expected syntax: --${name} <${def.type === "int" ? "number" : "string"}>`);
      }
      if (def.type === "argv") {
        const prev = values.get(def.name);
        values.set(def.name, [...(Array.isArray(prev) ? prev : []), value]);
      } else {
        values.set(def.name, value);
      }
      value = undefined;
      continue;
    }
    const def = positional.find((d) => d.type === "argv" || !values.has(d.name));
    if (!def) throw new VirshUsageError(`unexpected data '${tok}'`);
    if (def.type === "argv") {
      const prev = values.get(def.name);
      values.set(def.name, [...(Array.isArray(prev) ? prev : []), tok]);
    } else {
      values.set(def.name, tok);
    }
  }
  for (const d of defs) {
    if (d.required && !values.has(d.name)) {
      throw new VirshUsageError(
        d.type === "data" || d.type === "argv"
          ? `command '${cmd}' requires <${d.name}> option`
          : `command '${cmd}' requires --${d.name} option`,
      );
    }
  }
  return new ParsedArgs(cmd, values);
}

/** VSH_EXCLUSIVE_OPTIONS */
export function exclusive(a: ParsedArgs, x: string, y: string): void {
  if (a.has(x) && a.has(y)) throw new VirshUsageError(`Options --${x} and --${y} are mutually exclusive`);
}

/** VSH_REQUIRE_OPTION: `opt` needs `needed`. */
export function requires(a: ParsedArgs, opt: string, needed: string): void {
  if (a.has(opt) && !a.has(needed)) throw new VirshUsageError(`Option --${needed} is required by option --${opt}`);
}

/** Option table shorthands. */
export const dom = (): OptDef => ({ name: "domain", type: "data", required: true });
export const flag = (name: string): OptDef => ({ name, type: "bool" });
export const str = (name: string, extra: Partial<OptDef> = {}): OptDef => ({ name, type: "string", ...extra });
export const int = (name: string, extra: Partial<OptDef> = {}): OptDef => ({ name, type: "int", ...extra });
