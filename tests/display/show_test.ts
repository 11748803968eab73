/**
 * lib/display/show.ts: the display helpers outside Jupyter and with a kernel (bundles, live
 * output by display id), pngBundle's size by density, and figureBundle's alt text.
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { renderSvg } from "../../lib/pictures/render.ts";
import { barChart } from "../../lib/pictures/charts.ts";
import { digitsWithTitlesSvg } from "../../lib/pictures/digits.ts";
import {
  figureBundle,
  inJupyter,
  liveOutput,
  pngBundle,
  showFigure,
  showHtml,
  showPng,
} from "../../lib/display/show.ts";
import { digitPng, pngDataUrl, pngSize } from "../../lib/pictures/png.ts";
import { barInput, cornerDigit, readSvg } from "../fixtures/figures.ts";

Deno.test("display helpers do nothing outside Jupyter", async () => {
  assert.equal(inJupyter(), false);
  assert.equal(await showPng(digitPng(cornerDigit())), undefined);
  assert.equal(await showFigure("<svg/>"), undefined);
  assert.equal(await showHtml("<b>x</b>"), undefined);
  assert.equal(await liveOutput().update({ "text/html": "<b>x</b>" }), undefined);
});

Deno.test("display helpers hand bundles to the kernel, live output by display id", async () => {
  const calls: { bundle: unknown; options: unknown }[] = [];
  const broadcasts: { type: string; content: Record<string, unknown> }[] = [];
  const fake = {
    display: (bundle: unknown, options: unknown) => {
      calls.push({ bundle, options });
      return Promise.resolve();
    },
    broadcast: (type: string, content: Record<string, unknown>) => {
      broadcasts.push({ type, content });
      return Promise.resolve();
    },
    image: (png: Uint8Array) => ({ png }),
  };
  const deno = Deno as unknown as { jupyter: unknown };
  deno.jupyter = fake;
  try {
    assert.equal(inJupyter(), true);
    const svg = await renderSvg(barChart(barInput));
    await showFigure(svg);
    await showHtml("<b>x</b>");
    const png = digitPng(cornerDigit());
    await showPng(png);
    await showPng(digitPng(cornerDigit(), { scale: 12 }), { density: 2, alt: "digit 0" });
    const live = liveOutput();
    await live.update({ "text/html": "1" });
    await live.update({ "text/html": "2" });
    const figure = await figureBundle(svg, "curve");
    await live.update(figure.bundle, figure.metadata);
    assert.deepEqual(calls[0], { bundle: { "text/html": "<b>x</b>" }, options: { raw: true } });
    assert.deepEqual(calls[1].bundle, { png });
    assert.deepEqual(calls[2].options, { raw: true, display_id: live.id, update: false });
    assert.deepEqual(calls[3], {
      bundle: { "text/html": "2" },
      options: { raw: true, display_id: live.id, update: true },
    });
    assert.equal(calls.length, 4);

    const { width, height } = readSvg(svg);
    assert.equal(broadcasts[0].type, "display_data");
    assert.deepEqual(broadcasts[0].content.metadata, { "image/png": { width, height } });
    assert.deepEqual(broadcasts[0].content.transient, {});
    const data = broadcasts[0].content.data as Record<string, string>;
    assert.deepEqual(Object.keys(data).sort(), ["image/png", "text/plain"]);
    assert.equal(data["text/plain"], "Per <class>");
    const decoded = decode(Uint8Array.from(atob(data["image/png"]), (c) => c.charCodeAt(0)));
    assert.deepEqual([decoded.width, decoded.height], [2 * width, 2 * height]);

    assert.deepEqual(broadcasts[1].content, {
      data: {
        "image/png": pngDataUrl(digitPng(cornerDigit(), { scale: 12 })).split(",")[1],
        "text/plain": "digit 0",
      },
      metadata: { "image/png": { width: 168, height: 168 } },
      transient: {},
    });
    assert.equal(broadcasts[2].type, "update_display_data");
    assert.deepEqual(broadcasts[2].content, {
      data: figure.bundle,
      metadata: figure.metadata,
      transient: { display_id: live.id },
    });
    assert.equal(broadcasts.length, 3);
  } finally {
    deno.jupyter = undefined;
  }
  assert.throws(() => Deno.jupyter, /only available/);
});

Deno.test("pngSize reads the header, and pngBundle sizes a PNG by its density", () => {
  const png = digitPng(cornerDigit(), { scale: 4 });
  assert.deepEqual(pngSize(png), { width: 112, height: 112 });
  assert.throws(
    () => pngSize(new Uint8Array([1, 2, 3])),
    /pngSize: png: expected PNG bytes .* got 3 bytes/,
  );
  const { bundle, metadata } = pngBundle(png, { density: 2, alt: "zero" });
  assert.deepEqual(metadata, { "image/png": { width: 56, height: 56 } });
  assert.equal(bundle["text/plain"], "zero");
  assert.equal(bundle["image/png"], pngDataUrl(png).split(",")[1]);
  assert.deepEqual(pngBundle(png).metadata, { "image/png": { width: 112, height: 112 } });
  assert.throws(
    () => pngBundle(png, { density: 0 }),
    /pngBundle: density: expected a finite number > 0, got 0/,
  );
});

Deno.test("figureBundle's alt text is the figure's title and description, else 'figure'", async () => {
  assert.equal(
    (await figureBundle(await renderSvg(barChart(barInput)))).bundle["text/plain"],
    "Per <class>",
  );
  const digits = await digitsWithTitlesSvg(new Uint8Array(784 * 2), [0, 1], ["Label 5", "Label 0"]);
  assert.equal((await figureBundle(digits)).bundle["text/plain"], "Label 5, Label 0");
  const titled = await digitsWithTitlesSvg(new Uint8Array(784), [0], ["Pred 3 / True 5"], {
    title: "Errors",
  });
  assert.equal((await figureBundle(titled)).bundle["text/plain"], "Errors: Pred 3 / True 5");
  const plain = `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>`;
  assert.equal((await figureBundle(plain)).bundle["text/plain"], "figure");
  assert.equal((await figureBundle(digits, "A five")).bundle["text/plain"], "A five");
});
