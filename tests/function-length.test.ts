// Issue 15: no function over 100 lines in app/, components/ and lib/ — a long function is split by
// meaning (sub-components, hooks, helpers named for what they do). Every function, arrow and method
// is measured from its first to its last line with the TypeScript parser (no type-checking: fast).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const MAX_LINES = 100;
// Generated code is not ours to split; a test file's describe() callback groups cases, it is not a
// function anyone reads as one.
const SKIP = new Set(["lib/generated"]);
const SOURCE = /(?<!\.test|\.d)\.tsx?$/;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(rel) ? [] : sources(rel);
    return SOURCE.test(e.name) ? [rel] : [];
  });
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (ts.isExportAssignment(parent)) return "default export";
  if (ts.isCallExpression(parent)) return `${parent.expression.getText()}(…) callback`;
  return "(anonymous)";
}

/** "lines file:line name" for every function of `file` longer than MAX_LINES. */
export function longFunctions(file: string, text: string): string[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (isFunction(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > MAX_LINES) found.push(`${lines} ${file}:${first + 1} ${nameOf(node)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test(`no function over ${MAX_LINES} lines in app/, components/, lib/`, () => {
  const found = ["app", "components", "lib"]
    .flatMap(sources)
    .map((f) => [f, readFileSync(path.join(ROOT, f), "utf8")] as const)
    // A file of at most MAX_LINES lines cannot hold a longer function: not worth parsing.
    .filter(([, text]) => text.split("\n").length > MAX_LINES)
    .flatMap(([f, text]) => longFunctions(f, text));
  expect(found).toEqual([]);
});

test("the measure counts a function's lines, first to last", () => {
  const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  x(${i});`).join("\n");
  expect(longFunctions("a.ts", `function ok() {\n${body(100)}\n}`)).toEqual([]);
  expect(longFunctions("a.tsx", `const Long = () => {\n${body(101)}\n};`)).toEqual(["101 a.tsx:1 Long"]);
});
