import assert from "node:assert/strict";
import { join } from "node:path";
import {
  median,
  readResults,
  recordResults,
  resultRows,
  resultsText,
  STUDY_METRICS,
} from "../../lib/evaluation/results.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

Deno.test("recordResults merges into the file and readResults reads it back", async () => {
  await using tmp = await tempDir("results-test-");
  const path = join(tmp.path, "sub", "results.json");
  assert.deepEqual(await readResults(path), {});
  await recordResults(path, { "clean.test_accuracy": 0.98 });
  const all = await recordResults(path, { "clean.test_errors": 200 });
  assert.deepEqual(all, { "clean.test_accuracy": 0.98, "clean.test_errors": 200 });
  assert.deepEqual(await readResults(path), all);
  await assert.rejects(recordResults(path, { x: NaN }), /result x = NaN: expected a finite number/);
  // Written through a temporary file and a rename (writeFileAtomic): nothing else is left.
  assert.deepEqual([...Deno.readDirSync(join(path, ".."))].map((e) => e.name), ["results.json"]);
});

Deno.test("readResults refuses corrupt files, naming them", async () => {
  await using tmp = await tempDir("results-test-");
  const path = join(tmp.path, "results.json");
  await Deno.writeTextFile(path, "{");
  await assert.rejects(readResults(path), /results\.json: corrupt JSON/);
  await Deno.writeTextFile(path, '{"a": "b"}');
  await assert.rejects(readResults(path), /results\.json: expected an object of numbers/);
});

Deno.test("resultRows and resultsText put this project's numbers beside the study's", () => {
  const rows = resultRows({ "clean.test_accuracy": 0.98123, "clean.test_errors": 188 });
  assert.equal(rows.length, STUDY_METRICS.length);
  assert.deepEqual(rows[0], ["Clean model, clean test set", "97.96%", "98.12%"]);
  assert.deepEqual(rows[1], ["Clean model, test errors", "204", "188"]);
  assert.equal(rows[2][2], "—");
  const text = resultsText({ "clean.test_accuracy": 0.98123 });
  assert.match(text, /^Metric\s+Original \(Keras\)\s+This project\n-+/);
  assert.match(text, /Clean model, clean test set\s+97\.96%\s+98\.12%/);
});

Deno.test("median takes the middle value, or the mean of the middle two", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([3, 1, 2, 10]), 2.5);
  assert.throws(() => median([]), /median of no values/);
});
