import assert from "node:assert/strict";
import { join } from "node:path";
import {
  syncFolder,
  tempFileTarget,
  writeFileAtomic,
  type WriteStep,
} from "../lib/atomic_write.ts";
import { tempDir } from "./fixtures/temp_dir.ts";

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("writeFileAtomic replaces a file whole, passing its steps in order", async () => {
  await using tmp = await tempDir("atomic-write-test-");
  const dir = tmp.path;
  const path = join(dir, "results.json");
  await writeFileAtomic(path, "old\n");
  const steps: WriteStep[] = [];
  const seen: string[] = [];
  await writeFileAtomic(path, new TextEncoder().encode("new content\n"), {
    onStep: async (step) => {
      steps.push(step);
      seen.push(await Deno.readTextFile(path));
    },
  });
  assert.deepEqual(steps, ["opened", "half", "written", "synced", "renamed", "done"]);
  // Until the rename the old content, from it the new: never a mix.
  assert.deepEqual(seen, ["old\n", "old\n", "old\n", "old\n", "new content\n", "new content\n"]);
  assert.deepEqual(names(dir), ["results.json"]);
});

Deno.test("a failed writeFileAtomic keeps the old file and removes its temporary file", async () => {
  await using tmp = await tempDir("atomic-write-test-");
  const dir = tmp.path;
  const path = join(dir, "a.txt");
  await writeFileAtomic(path, "old");
  let temporary = "";
  await assert.rejects(
    writeFileAtomic(path, "new", {
      onStep: (step) => {
        if (step !== "synced") return;
        temporary = names(dir).find((n) => n !== "a.txt")!;
        throw new Error("disk full");
      },
    }),
    /disk full/,
  );
  assert.equal(tempFileTarget(temporary), "a.txt");
  assert.equal(await Deno.readTextFile(path), "old");
  assert.deepEqual(names(dir), ["a.txt"]);
});

Deno.test("tempFileTarget tells temporary files from others; syncFolder syncs a folder", async () => {
  assert.equal(tempFileTarget(".model.json.4711-k3x9q2.tmp"), "model.json");
  assert.equal(
    tempFileTarget(".weights-0123456789abcdef.bin.1-a.tmp"),
    "weights-0123456789abcdef.bin",
  );
  for (const name of ["model.json", ".model.json.tmp", "model.json.1-a.tmp", ".x.1-A.tmp"]) {
    assert.equal(tempFileTarget(name), undefined, name);
  }
  await using tmp = await tempDir("atomic-write-test-");
  await syncFolder(tmp.path);
  await assert.rejects(syncFolder("/nonexistent/folder"), Deno.errors.NotFound);
});
