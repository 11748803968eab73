import assert from "node:assert/strict";
import { loadConfig, STUDY_CONFIG } from "../lib/config.ts";

Deno.test("loadConfig keeps the study's values when nothing is set", () => {
  assert.deepEqual(loadConfig({}), { ...STUDY_CONFIG });
  assert.deepEqual(loadConfig({ MLP_EPOCHS: "" }).epochs, 10);
  assert.equal(STUDY_CONFIG.batchSize, 256);
  assert.equal(STUDY_CONFIG.validationSplit, 0.2);
  assert.equal(STUDY_CONFIG.noiseStd, 0.1);
});

Deno.test("loadConfig reads every documented variable", () => {
  const config = loadConfig({
    MLP_EPOCHS: "2",
    MLP_BATCH_SIZE: "64",
    MLP_TRAIN_LIMIT: "6000",
    MLP_TEST_LIMIT: "2000",
    MLP_SEED: "0",
    MLP_BACKEND: "cpu",
    MLP_DATASET: "fashion-mnist",
  });
  assert.deepEqual(
    [config.epochs, config.batchSize, config.trainLimit, config.testLimit, config.seed],
    [2, 64, 6000, 2000, 0],
  );
  assert.equal(config.backend, "cpu");
  assert.equal(config.dataset, "fashion-mnist");
});

Deno.test("loadConfig refuses invalid values, naming the variable", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ MLP_EPOCHS: "0" }, /MLP_EPOCHS: expected a positive integer, got "0"/],
    [{ MLP_BATCH_SIZE: "1.5" }, /MLP_BATCH_SIZE: expected a positive integer, got "1.5"/],
    [{ MLP_TRAIN_LIMIT: "lots" }, /MLP_TRAIN_LIMIT: .*, got "lots"/],
    [{ MLP_TEST_LIMIT: "-3" }, /MLP_TEST_LIMIT: .*, got "-3"/],
    [{ MLP_SEED: "x" }, /MLP_SEED: expected an integer ≥ 0, got "x"/],
    [{ MLP_BACKEND: "gpu" }, /MLP_BACKEND: expected one of blas, wasm, cpu, got "gpu"/],
    [{ MLP_DATASET: "cifar" }, /MLP_DATASET: expected one of mnist, fashion-mnist, got "cifar"/],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig(env), message);
});

Deno.test("loadConfig reads the model's settings and refuses bad ones, naming the variable", () => {
  const config = loadConfig({
    MLP_HIDDEN: " 512, 128 ",
    MLP_DROPOUT: "0",
    MLP_LEARNING_RATE: "0.01",
    MLP_NOISE_STD: "0.3",
    MLP_OPTIMIZER: "sgd",
  });
  assert.deepEqual(
    [config.hiddenUnits, config.dropout, config.learningRate, config.noiseStd, config.optimizer],
    [[512, 128], 0, 0.01, 0.3, "sgd"],
  );
  assert.equal(loadConfig({}).optimizer, "adam");
  assert.throws(() => loadConfig({ MLP_OPTIMIZER: "rmsprop" }), {
    message: 'MLP_OPTIMIZER: expected one of adam, sgd, got "rmsprop"',
  });
  assert.throws(() => loadConfig({ MLP_HIDDEN: "128,,64" }), {
    message: 'MLP_HIDDEN: expected a positive integer, got ""',
  });
  assert.throws(() => loadConfig({ MLP_DROPOUT: "1" }), {
    message: "MLP_DROPOUT: expected a number in [0, 1), got 1",
  });
  assert.throws(() => loadConfig({ MLP_LEARNING_RATE: "0" }), {
    message: "MLP_LEARNING_RATE: expected a finite number > 0, got 0",
  });
  assert.throws(() => loadConfig({ MLP_NOISE_STD: "lots" }), {
    message: 'MLP_NOISE_STD: expected a finite number ≥ 0, got "lots"',
  });
});
