/**
 * The files a user may hand the library, mutated, seeded: the IDX parser, loadMnist and
 * loadFashionMnist with `{ dir }`, the demo's checkpoint reader and the results file. Every case
 * gives exactly what its bytes say (checked against the format) or is refused with an Error that
 * names the file, within a time box. `MLP_FUZZ_CASES` sets the cases per loader (default 2,000).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { inspectCheckpoint } from "../../demo/checkpoint.ts";
import { parseIdx } from "../../lib/data/idx.ts";
import { IDX_FILES, loadFashionMnist, loadMnist } from "../../lib/data/mnist.ts";
import { readResults } from "../../lib/evaluation/results.ts";
import { createRandom } from "../../lib/preprocessing/random.ts";
import {
  assertRefusedByName,
  FUZZ_CASES,
  type Json,
  mutateBytes,
  mutateJson,
  timeBox,
} from "../fixtures/fuzz.ts";
import { gzip, idxBytes, patternImages } from "../fixtures/idx.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

/** The four files of a small valid data set (5 train, 3 test images of 28×28), by name. */
const FILES: Record<string, Uint8Array> = {
  [IDX_FILES.trainImages]: idxBytes(0x803, [5, 28, 28], patternImages(5)),
  [IDX_FILES.trainLabels]: idxBytes(0x801, [5], new Uint8Array([5, 0, 4, 1, 9])),
  [IDX_FILES.testImages]: idxBytes(0x803, [3, 28, 28], patternImages(3)),
  [IDX_FILES.testLabels]: idxBytes(0x801, [3], new Uint8Array([7, 2, 1])),
};
/** Offsets of the 32-bit header fields: the magic number and the sizes. */
const HEADER_FIELDS = [0, 4, 8, 12];

function report(what: string, cases: number, accepted: number, started: number) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${what} fuzz: ${cases} cases, ${accepted} accepted as the format says, ` +
      `${cases - accepted} refused by name, ${seconds} s`,
  );
}

Deno.test(`parseIdx: ${FUZZ_CASES} mutated files, raw and gzip`, () => {
  const random = createRandom(1);
  const started = performance.now();
  let accepted = 0;
  const sources = Object.entries(FILES);
  for (let i = 0; i < FUZZ_CASES; i++) {
    const [base, bytes] = sources[i % sources.length];
    const [mutated, change] = mutateBytes(bytes, random, HEADER_FIELDS);
    const gz = i % 3 === 0;
    const name = `${base}${gz ? ".gz" : ""}`;
    const what = `case ${i} (${name}): ${change}`;
    try {
      const { kind, dims, data } = parseIdx(gz ? gzip(mutated) : mutated, name);
      // Accepted: the bytes are exactly an IDX file of these dimensions and this payload.
      assert.deepEqual(idxBytes(kind === "labels" ? 0x801 : 0x803, dims, data), mutated, what);
      accepted++;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assertRefusedByName(error, name, what);
    }
  }
  report("parseIdx", FUZZ_CASES, accepted, started);
});

for (
  const [loaderName, load] of [["loadMnist", loadMnist], [
    "loadFashionMnist",
    loadFashionMnist,
  ]] as const
) {
  Deno.test(`${loaderName}({ dir }): ${FUZZ_CASES} folders with one mutated file`, async () => {
    await using tmp = await tempDir("loader-fuzz-");
    const random = createRandom(loaderName.length);
    const started = performance.now();
    let accepted = 0;
    const names = Object.keys(FILES);
    for (let i = 0; i < FUZZ_CASES; i++) {
      const dir = join(tmp.path, `case-${i}`);
      await Deno.mkdir(dir);
      const target = names[i % names.length];
      const [mutated, change] = mutateBytes(FILES[target], random, HEADER_FIELDS);
      const written = { ...FILES, [target]: mutated };
      for (const [name, bytes] of Object.entries(written)) {
        await Deno.writeFile(join(dir, name), bytes);
      }
      const what = `case ${i} (${target}): ${change}`;
      try {
        const data = await timeBox(load({ dir }), what);
        // Accepted: every array is what its file says.
        const read = (name: string) => parseIdx(written[name], name).data;
        assert.deepEqual(data.train.images, read(IDX_FILES.trainImages), what);
        assert.deepEqual(data.train.labels, read(IDX_FILES.trainLabels), what);
        assert.deepEqual(data.test.images, read(IDX_FILES.testImages), what);
        assert.deepEqual(data.test.labels, read(IDX_FILES.testLabels), what);
        assert.ok(data.train.labels.every((l) => l <= 9), what);
        accepted++;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assertRefusedByName(error, dir, what);
      }
      await Deno.remove(dir, { recursive: true });
    }
    report(loaderName, FUZZ_CASES, accepted, started);
  });
}

Deno.test(`inspectCheckpoint (demo): ${FUZZ_CASES} mutated model.json files`, async () => {
  await using tmp = await tempDir("demo-fuzz-");
  const dir = tmp.path;
  await Deno.writeFile(join(dir, "weights-0011223344556677.bin"), new Uint8Array(16));
  const modelJson: Json = {
    modelTopology: { class_name: "Sequential", config: { layers: [] } },
    weightsManifest: [{ paths: ["weights-0011223344556677.bin"], weights: [] }],
    userDefinedMetadata: { dataset: "mnist" },
  };
  const random = createRandom(3);
  const started = performance.now();
  let ready = 0;
  for (let i = 0; i < FUZZ_CASES; i++) {
    const [json, change] = mutateJson(modelJson, random);
    const text = i % 4 === 0
      ? new TextDecoder().decode(
        mutateBytes(new TextEncoder().encode(JSON.stringify(json)), random)[0],
      )
      : JSON.stringify(json);
    await Deno.writeTextFile(join(dir, "model.json"), text);
    const what = `case ${i}: ${change}`;
    const state = await timeBox(inspectCheckpoint(dir), what);
    if (state.ready) {
      // Ready: every weights file it names is one the manifest names, and it exists.
      for (const name of state.weightFiles) {
        assert.ok((await Deno.stat(join(dir, name))).isFile, what);
      }
      ready++;
    } else {
      assert.ok(
        state.problem.includes(dir),
        `${what}: the problem does not name ${dir}: ${state.problem}`,
      );
    }
  }
  report("inspectCheckpoint", FUZZ_CASES, ready, started);
});

Deno.test(`readResults: ${FUZZ_CASES} mutated results files`, async () => {
  await using tmp = await tempDir("results-fuzz-");
  const path = join(tmp.path, "results.json");
  const results: Json = {
    "clean.test_accuracy": 0.9816,
    "clean.test_errors": 184,
    "seeds.count": 5,
  };
  const random = createRandom(4);
  const started = performance.now();
  let accepted = 0;
  for (let i = 0; i < FUZZ_CASES; i++) {
    const [json, change] = mutateJson(results, random);
    const bytes = i % 2 === 0
      ? mutateBytes(new TextEncoder().encode(JSON.stringify(json)), random)[0]
      : new TextEncoder().encode(JSON.stringify(json));
    await Deno.writeFile(path, bytes);
    const what = `case ${i}: ${change}`;
    try {
      const read = await timeBox(readResults(path), what);
      // Accepted: exactly the file's JSON, an object of numbers.
      assert.deepEqual(read, JSON.parse(new TextDecoder().decode(bytes)), what);
      assert.ok(Object.values(read).every((v) => typeof v === "number"), what);
      accepted++;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assertRefusedByName(error, path, what);
    }
  }
  report("readResults", FUZZ_CASES, accepted, started);
});
