/**
 * The progress displays of lib/display/: progressText and progressHtml, and notebookProgress's
 * accuracy curve redrawn in place.
 */
import assert from "node:assert/strict";
import { pngSize } from "../../lib/pictures/png.ts";
import { progressHtml, progressText } from "../../lib/display/progress_html.ts";
import { notebookProgress } from "../../lib/display/progress_notebook.ts";
import { VEGA_LITE_MIME } from "../../lib/display/chart.ts";
import { parseXml } from "../fixtures/figures.ts";

Deno.test("progressHtml shows the whole run's progress and the running metrics", () => {
  const p = {
    epoch: 3,
    epochs: 10,
    step: 120,
    steps: 188,
    loss: 0.12344,
    acc: 0.965,
    elapsed: 12.34,
  };
  assert.equal(
    progressText(p),
    "Epoch 3/10 · step 120/188 · loss 0.1234 · acc 0.9650 · 12.3 s",
  );
  const root = parseXml(progressHtml({ ...p, valLoss: 0.1, valAcc: 0.97 }), "text/xml");
  const bar = root.getElementsByTagName("progress")[0];
  assert.equal(bar.getAttribute("value"), String(2 * 188 + 120));
  assert.equal(bar.getAttribute("max"), String(10 * 188));
  assert.match(root.textContent ?? "", /val_loss 0\.1000 · val_acc 0\.9700/);
  assert.throws(
    () => progressText({ ...p, epoch: 11 }),
    /progressText: epoch: expected an integer in \[1, 10\], got 11/,
  );
  assert.throws(
    () => progressText({ ...p, step: 189 }),
    /progressText: step: expected an integer in \[0, 188\], got 189/,
  );
});

Deno.test("notebookProgress redraws the accuracy curve in place as a live chart and a 2× PNG", async () => {
  const broadcasts: { type: string; content: Record<string, unknown> }[] = [];
  const deno = Deno as unknown as { jupyter: unknown };
  deno.jupyter = {
    display: () => Promise.resolve(),
    broadcast: (type: string, content: Record<string, unknown>) => {
      broadcasts.push({ type, content });
      return Promise.resolve();
    },
  };
  try {
    const progress = notebookProgress("Live");
    const history = {
      loss: [0.3],
      acc: [0.9],
      val_loss: [0.2],
      val_acc: [0.93],
      seconds: [1],
      bestEpoch: 1,
    };
    await progress.onEpochEnd({ epoch: 1, epochs: 2, savedTo: "best", history });
    history.acc.push(0.95);
    history.val_acc.push(0.96);
    await progress.onEpochEnd({ epoch: 2, epochs: 2, savedTo: "best", history });
  } finally {
    deno.jupyter = undefined;
  }
  assert.deepEqual(broadcasts.map((b) => b.type), ["display_data", "update_display_data"]);
  const ids = broadcasts.map((b) => (b.content.transient as { display_id: string }).display_id);
  assert.equal(ids[0], ids[1]);
  const data = broadcasts[1].content.data as Record<string, string>;
  assert.deepEqual(Object.keys(data).sort(), [VEGA_LITE_MIME, "image/png", "text/plain"]);
  assert.equal(data["text/plain"], "Live");
  const spec = data[VEGA_LITE_MIME] as unknown as { data: { values: { x: number }[] } };
  assert.deepEqual(spec.data.values.map((row) => row.x), [1, 2, 1, 2]); // train, then validation
  const png = Uint8Array.from(atob(data["image/png"]), (c) => c.charCodeAt(0));
  const { width } = pngSize(png);
  assert.deepEqual(broadcasts[1].content.metadata, {
    "image/png": { width: width / 2, height: pngSize(png).height / 2 },
  });
});
