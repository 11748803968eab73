/**
 * `bench.ts --profile BACKEND`: the time of each kernel over a few training steps, as a table.
 *
 * @module
 */
import { loadMnist } from "../lib/data/mnist.ts";
import { firstSamples } from "../lib/data/splits.ts";
import { toTensors } from "../lib/preprocessing/tensors.ts";
import { tf } from "../lib/tf.ts";
import { PROFILE_STEPS, SETTINGS } from "./options.ts";
import { benchModel, useBackend } from "./run_backend.ts";

/** Prints the total time per kernel over `PROFILE_STEPS` training steps on `backend`. */
export async function runProfile(backend: string): Promise<void> {
  await useBackend(backend);
  const dataset = await loadMnist();
  const { x, y } = toTensors(firstSamples(dataset.train, SETTINGS.batchSize));
  const model = benchModel();
  for (let i = 0; i < PROFILE_STEPS; i++) await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < PROFILE_STEPS; i++) await model.trainOnBatch(x, y);
  const stepMs = (performance.now() - start) / PROFILE_STEPS;
  const info = await tf.profile(async () => {
    for (let i = 0; i < PROFILE_STEPS; i++) await model.trainOnBatch(x, y);
  });
  const totals = new Map<string, { ms: number; calls: number; elements: number }>();
  for (const kernel of info.kernels) {
    const entry = totals.get(kernel.name) ?? { ms: 0, calls: 0, elements: 0 };
    entry.ms += kernel.kernelTimeMs as number;
    entry.calls++;
    entry.elements += kernel.outputShapes.reduce((n, shape) => n + tf.util.sizeFromShape(shape), 0);
    totals.set(kernel.name, entry);
  }
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((sum, [, e]) => sum + e.ms, 0) / PROFILE_STEPS;
  console.log(
    `${backend}: ${stepMs.toFixed(2)} ms per training step (batch ${SETTINGS.batchSize}), ` +
      `${kernelMs.toFixed(2)} ms of it in kernels under tf.profile (which reads every output ` +
      `back, so blas cannot recycle arrays while profiling; the in-place Adam update and the ` +
      `dropout masks run outside kernels)\n`,
  );
  console.log("| kernel | ms/step | calls/step | ns/output element |");
  console.log("|---|--:|--:|--:|");
  for (const [name, e] of rows) {
    const nsPerElement = e.elements ? (e.ms * 1e6 / e.elements).toFixed(2) : "–";
    console.log(
      `| ${name} | ${(e.ms / PROFILE_STEPS).toFixed(3)} | ${e.calls / PROFILE_STEPS} | ` +
        `${nsPerElement} |`,
    );
  }
  tf.dispose([x, y]);
}
