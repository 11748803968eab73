/**
 * The house's one way down: lib/'s folders import only the floors below them, and no file of the
 * project imports itself back through others (no circle, type imports included).
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { ROOT } from "./fixtures/root.ts";

/** The folders whose TypeScript files are walked. */
const FOLDERS = ["lib", "packages", "demo", "scripts", "bench"];

async function* typescriptFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && !entry.name.startsWith(".") && entry.name !== "node_modules") {
      yield* typescriptFiles(path);
    } else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

/** The relative .ts files a source imports (static, dynamic, type-only); not its doc examples. */
export function relativeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const line of source.split("\n")) {
    const code = line.trimStart();
    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) continue;
    for (
      const match of line.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+\.ts)["']/g)
    ) {
      specifiers.push(match[1]);
    }
  }
  return specifiers;
}

/** Every walked file → the walked files it imports, as paths relative to the repository. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const folder of FOLDERS) {
    for await (const path of typescriptFiles(join(ROOT, folder))) {
      const from = relative(ROOT, path);
      const source = await Deno.readTextFile(path);
      graph.set(from, relativeImports(source).map((s) => relative(ROOT, join(dirname(path), s))));
    }
  }
  return graph;
}

/** The first circle found, as a path of files that ends where it starts; undefined: none. */
function findCircle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file];
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const circle = visit(next);
      if (circle) return circle;
    }
    path.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of graph.keys()) {
    const circle = visit(file);
    if (circle) return circle;
  }
  return undefined;
}

/** The floors of lib/, bottom to top, as lib/mod.ts's module doc lists them. */
async function libFloors(): Promise<string[]> {
  const doc = await Deno.readTextFile(join(ROOT, "lib/mod.ts"));
  const listed = doc.match(/floors, bottom to top: ([^.]+)\./s)?.[1];
  assert.ok(listed, "lib/mod.ts's module doc lists no floors");
  return listed.replace(/\n \*/g, " ").split("→").map((f) => f.trim().replace(/^`|\/?`$/g, ""));
}

/** A lib/ file's floor: its folder, "(root)" for lib's own files, "(front door)" for lib/mod.ts. */
function floorOf(file: string): string {
  const parts = relative("lib", file).split("/");
  if (parts.length === 1) return parts[0] === "mod.ts" ? "(front door)" : "(root)";
  return parts[0];
}

Deno.test("relativeImports finds static, type and dynamic imports, not doc examples", () => {
  const source = [
    'import { a } from "./a.ts";',
    'import type { B } from "../b/b.ts";',
    'export * from "./c.ts";',
    'const d = await import("./d.ts");',
    ' * import { e } from "./e.ts";',
    'import "npm:f";',
  ].join("\n");
  assert.deepEqual(relativeImports(source), ["./a.ts", "../b/b.ts", "./c.ts", "./d.ts"]);
});

Deno.test("no file imports itself back through others", async () => {
  const graph = await importGraph();
  assert.ok(graph.size > 100, `${graph.size} files walked`);
  assert.equal(findCircle(graph)?.join(" → "), undefined);
  // The check finds a circle where there is one.
  const made = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]]]);
  assert.deepEqual(findCircle(made), ["a.ts", "b.ts", "c.ts", "a.ts"]);
});

Deno.test("lib/'s folders import only the floors below them, as lib/mod.ts lists them", async () => {
  const floors = ["(root)", ...await libFloors(), "(front door)"];
  const graph = await importGraph();
  const upward: string[] = [];
  for (const [file, imports] of graph) {
    if (!file.startsWith("lib/")) continue;
    const from = floors.indexOf(floorOf(file));
    assert.ok(from >= 0, `${file}: folder ${floorOf(file)} is not among lib/mod.ts's floors`);
    for (const target of imports.filter((t) => t.startsWith("lib/"))) {
      if (floors.indexOf(floorOf(target)) > from) upward.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(upward, [], "imports up the floors");
});
