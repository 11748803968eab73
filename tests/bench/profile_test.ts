/**
 * The bench's profile of a blas epoch: each phase's wrapped functions are the ones a training run
 * calls, as many times as the run does its work, so that no phase goes blind when the step changes.
 */
import assert from "node:assert/strict";
import { findBlasLibrary } from "@mnist-mlp/tfjs-backend-blas";
import { blasTestFor } from "../../packages/tfjs-backend-blas/tests/compare.ts";
import type { BlasBackend } from "../../packages/tfjs-backend-blas/mod.ts";
import { initBackend } from "../../lib/backend/init.ts";
import { loadBlasOptions } from "../../lib/config.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { firstSamples } from "../../lib/data/splits.ts";
import { disposeModel } from "../../lib/model/mlp.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { tf } from "../../lib/tf.ts";
import { train } from "../../lib/training/train.ts";
import { instrument, PHASES } from "../../bench/profile.ts";
import { PhaseClock } from "../../bench/phase_clock.ts";
import { benchModel } from "../../bench/run_backend.ts";

const blasTest = blasTestFor(
  findBlasLibrary(loadBlasOptions()),
  "no BLAS library found (install libopenblas0-pthread or set MLP_BLAS_LIB)",
);

blasTest(
  "the profile counts every matrix product, mask, Adam step and gather of a run",
  async () => {
    await initBackend("blas");
    const clock = new PhaseClock();
    instrument(clock, tf.backend() as BlasBackend);
    const { x, y } = toTensors(firstSamples((await loadMnist()).train, 1_000));
    const model = benchModel();
    const start = performance.now();
    // 800 training images (4 steps, the last of 32 rows) and 200 validation images (1 batch).
    await train(model, x, y, { epochs: 1, batchSize: 256, validationSplit: 0.2, seed: 1 });
    const elapsed = performance.now() - start;
    disposeModel(model);
    tf.dispose([x, y]);
    const totals = clock.totals();
    const calls = (phase: string) => totals.get(phase)?.calls ?? 0;
    assert.equal(calls(PHASES.stepSgemm), 4 * 8);
    assert.equal(calls(PHASES.passes), 4);
    assert.equal(calls(PHASES.masks), 4 * 2);
    assert.equal(calls(PHASES.adam), 4);
    // x and y per step and per validation batch (tfjs-layers' evaluate gathers them by index).
    assert.equal(calls(PHASES.gathering), 2 * 4 + 2);
    // The two splits, and the validation batch's indices.
    assert.equal(calls(PHASES.slicing), 2 * 2 + 1);
    assert.equal(calls(PHASES.validation), 1);
    assert.equal(calls(PHASES.validationSgemm), 3);
    const measured = [...totals.values()].reduce((sum, t) => sum + t.ms, 0);
    assert.ok(measured > 0 && measured <= elapsed, `${measured} ms of phases in ${elapsed} ms`);
  },
);
