/**
 * The bench's settings: the study's (STUDY_CONFIG) for tfjs and PyTorch alike, and the BENCH_*
 * variables read with lib/config.ts's rules and messages. Nothing is trained here.
 */
import assert from "node:assert/strict";
import { loadConfig, STUDY_CONFIG } from "../lib/config.ts";
import {
  benchBackends,
  benchEpochs,
  benchPython,
  DEFAULT_BACKENDS,
  DEFAULT_EPOCHS,
  SETTINGS,
  TRAIN_IMAGES,
} from "../bench/options.ts";
import { findTorchPython, torchArgs } from "../bench/pytorch.ts";

Deno.test("the bench trains with the study's settings", () => {
  const { batchSize, validationSplit, hiddenUnits, dropout, learningRate, seed } = STUDY_CONFIG;
  assert.deepEqual(SETTINGS, {
    batchSize,
    validationSplit,
    hiddenUnits,
    dropout,
    learningRate,
    seed,
  });
  assert.equal(TRAIN_IMAGES, 48_000);
});

Deno.test("bench/torch_mlp.py gets every setting as an argument", () => {
  assert.deepEqual(torchArgs(3, 2), [
    ...["--epochs", "3", "--threads", "2", "--seed", String(STUDY_CONFIG.seed)],
    ...["--batch-size", String(STUDY_CONFIG.batchSize)],
    ...["--validation-split", String(STUDY_CONFIG.validationSplit)],
    ...["--hidden-units", ...STUDY_CONFIG.hiddenUnits.map(String)],
    ...["--dropout", String(STUDY_CONFIG.dropout)],
    ...["--learning-rate", String(STUDY_CONFIG.learningRate)],
  ]);
});

Deno.test("BENCH_EPOCHS, BENCH_BACKENDS and BENCH_PYTHON: unset or empty keep the defaults", () => {
  assert.equal(benchEpochs({}), DEFAULT_EPOCHS);
  assert.equal(benchEpochs({ BENCH_EPOCHS: " " }), DEFAULT_EPOCHS);
  assert.equal(benchEpochs({ BENCH_EPOCHS: " 3 " }), 3);
  assert.deepEqual(benchBackends({}), [...DEFAULT_BACKENDS]);
  assert.deepEqual(benchBackends({ BENCH_BACKENDS: "wasm-plain, blas," }), ["wasm-plain", "blas"]);
  assert.equal(benchPython({ BENCH_PYTHON: "" }), undefined);
  assert.equal(benchPython({ BENCH_PYTHON: " /usr/bin/python3 " }), "/usr/bin/python3");
});

/** The message of the Error that `read` throws. */
function messageOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an Error");
}

Deno.test("invalid BENCH_* values fail as lib/config.ts's do, naming the variable", async () => {
  for (const value of ["0", "1.5", "two"]) {
    assert.equal(
      messageOf(() => benchEpochs({ BENCH_EPOCHS: value })),
      messageOf(() => loadConfig({ MLP_EPOCHS: value })).replace("MLP_EPOCHS", "BENCH_EPOCHS"),
    );
  }
  const unknown = messageOf(() => benchBackends({ BENCH_BACKENDS: "blas,gpu" }));
  assert.match(unknown, /^BENCH_BACKENDS\b.*\bblas, wasm, wasm-plain, cpu\b/);
  assert.match(unknown, /"gpu"/);
  assert.match(messageOf(() => benchBackends({ BENCH_BACKENDS: " , " })), /^BENCH_BACKENDS\b/);
  await assert.rejects(
    findTorchPython("/nonexistent/python3"),
    (error: Error) =>
      /^BENCH_PYTHON\b.*a Python interpreter that imports torch/.test(error.message) &&
      error.message.includes('"/nonexistent/python3"'),
  );
});
