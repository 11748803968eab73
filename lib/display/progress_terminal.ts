/**
 * A Keras-like progress line in the terminal, drawn with the cli-progress package.
 *
 * @module
 */
// @deno-types="npm:@types/cli-progress@3.11.6"
import cliProgress from "cli-progress";
import type { BatchProgress, History } from "../training/train.ts";

const f4 = (x: number) => x.toFixed(4);

/** Draws `step x/y [=====...] - elapsed - loss - accuracy` for each epoch on stdout. */
export class TerminalProgress {
  #bar = new cliProgress.SingleBar({
    format: "{value}/{total} [{bar}] - {duration}s - loss: {loss} - accuracy: {acc}",
    barCompleteChar: "=",
    barIncompleteChar: ".",
    barsize: 30,
    hideCursor: false,
  });

  /** Prints the epoch header and starts a bar of `steps` steps. */
  startEpoch(epoch: number, epochs: number, steps: number) {
    console.log(`Epoch ${epoch}/${epochs}`);
    this.#bar.start(steps, 0, { loss: "-", acc: "-" });
  }

  /** Moves the bar to the batch's step with its running loss and accuracy. */
  update(batch: BatchProgress) {
    this.#bar.update(batch.step, { loss: f4(batch.loss), acc: f4(batch.acc) });
  }

  /** Ends the epoch's bar and prints its summary line. */
  endEpoch(history: History, savedTo?: string) {
    this.#bar.stop();
    const i = history.loss.length - 1;
    const parts = [
      `${history.seconds[i].toFixed(1)}s`,
      `loss: ${f4(history.loss[i])}`,
      `accuracy: ${f4(history.acc[i])}`,
    ];
    if (history.val_acc.length > i) {
      parts.push(`val_loss: ${f4(history.val_loss[i])}`, `val_accuracy: ${f4(history.val_acc[i])}`);
    }
    if (savedTo) parts.push(`saved to ${savedTo}`);
    console.log(parts.join(" - "));
  }

  /** Stops the bar if one is running. */
  stop() {
    this.#bar.stop();
  }
}
