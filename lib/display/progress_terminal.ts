/**
 * A Keras-like progress line in the terminal, drawn with the cli-progress package.
 *
 * @module
 */
// @deno-types="npm:@types/cli-progress@3.11.6"
import cliProgress from "cli-progress";
import type { TrainCallbacks } from "../training/types.ts";

const f4 = (x: number) => x.toFixed(4);

/**
 * Training callbacks that draw `step x/y [=====...] - elapsed - loss - accuracy` for each epoch
 * on stdout, then the epoch's summary line.
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend/init.ts";
 * import { loadDataset } from "../data/dataset.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { toTensors } from "../preprocessing/tensors.ts";
 * import { train } from "../training/train.ts";
 *
 * await initBackend();
 * const { x, y } = toTensors((await loadDataset({ dataset: "mnist", trainLimit: 1000 })).train);
 * await train(buildMlp(), x, y, { epochs: 1, ...terminalProgress() }); // prints "Epoch 1/1", …
 * ```
 */
export function terminalProgress(): TrainCallbacks {
  const bar = new cliProgress.SingleBar({
    format: "{value}/{total} [{bar}] - {duration}s - loss: {loss} - accuracy: {acc}",
    barCompleteChar: "=",
    barIncompleteChar: ".",
    barsize: 30,
    hideCursor: false,
  });
  return {
    onEpochBegin({ epoch, epochs, steps }) {
      console.log(`Epoch ${epoch}/${epochs}`);
      bar.start(steps, 0, { loss: "-", acc: "-" });
    },
    onBatchEnd(batch) {
      bar.update(batch.step, { loss: f4(batch.loss), acc: f4(batch.acc) });
    },
    onEpochEnd({ history, savedTo }) {
      bar.stop();
      const i = history.loss.length - 1;
      const parts = [
        `${history.seconds[i].toFixed(1)}s`,
        `loss: ${f4(history.loss[i])}`,
        `accuracy: ${f4(history.acc[i])}`,
      ];
      if (history.val_acc.length > i) {
        parts.push(
          `val_loss: ${f4(history.val_loss[i])}`,
          `val_accuracy: ${f4(history.val_acc[i])}`,
        );
      }
      if (savedTo) parts.push(`saved to ${savedTo}`);
      console.log(parts.join(" - "));
    },
    onTrainEnd() {
      bar.stop();
    },
  };
}
