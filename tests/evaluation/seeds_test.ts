/**
 * Notebook 07's statistics against known values, its dot plot, and its settings (MLP_SEEDS,
 * MLP_KEEP_SEEDS).
 */
import assert from "node:assert/strict";
import { renderSvg } from "../../lib/pictures/render.ts";
import { loadConfig, STUDY_CONFIG } from "../../lib/config.ts";
import {
  confidenceInterval,
  mean,
  pairedDifference,
  rangePosition,
  seedList,
  standardDeviation,
  summarize,
  tQuantile,
  verdict,
} from "../../lib/evaluation/seeds.ts";
import { dotPlot } from "../../lib/pictures/dot_plot.ts";

function near(actual: number, expected: number, tolerance: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

Deno.test("tQuantile matches the t table", () => {
  // Two-sided 95% (p = 0.975) and 99% (p = 0.995) critical values of Student's t.
  const table: [number, number, number][] = [
    [0.975, 1, 12.706205],
    [0.975, 2, 4.302653],
    [0.975, 4, 2.776445],
    [0.975, 9, 2.262157],
    [0.975, 29, 2.045230],
    [0.995, 4, 4.604095],
    [0.95, 4, 2.131847],
  ];
  for (const [p, df, t] of table) near(tQuantile(p, df), t, 5e-7, `t(${p}, ${df})`);
  near(tQuantile(0.025, 4), -2.776445, 5e-7, "t(0.025, 4)");
  assert.equal(tQuantile(0.5, 3), 0);
  near(tQuantile(0.975, 1e6), 1.959966, 1e-5, "t(0.975, 1e6) ≈ the normal's 1.959964");
  assert.throws(() => tQuantile(1, 4), /tQuantile: p/);
  assert.throws(() => tQuantile(0.975, 0), /tQuantile: df/);
});

Deno.test("mean, standard deviation and summary of known values", () => {
  assert.equal(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
  near(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]), 2.13808994, 1e-8, "sample sd");
  assert.equal(standardDeviation([0.98, 0.98]), 0);
  assert.deepEqual(summarize([0.5, 0.25, 1]), {
    n: 3,
    mean: 1.75 / 3,
    sd: standardDeviation([0.5, 0.25, 1]),
    min: 0.25,
    max: 1,
  });
  assert.throws(() => mean([]), /mean: values: expected at least 1 numbers/);
  assert.throws(() => standardDeviation([1]), /at least 2/);
  assert.throws(() => summarize([1, NaN]), /values\[1\]/);
});

Deno.test("confidenceInterval: mean ± t · sd / √n", () => {
  const ci = confidenceInterval([1, 2, 3, 4, 5]);
  const half = 2.776445105 * Math.sqrt(2.5) / Math.sqrt(5);
  near(ci.low, 3 - half, 1e-9, "low");
  near(ci.high, 3 + half, 1e-9, "high");
  assert.equal(ci.level, 0.95);
  // Two values: t(0.975, 1) = 12.706, so the interval is wide.
  const two = confidenceInterval([0.97, 0.98]);
  near(two.high - two.mean, 12.706205 * Math.SQRT1_2 * 0.01 / Math.SQRT2, 1e-8, "two values");
  const wide = confidenceInterval([1, 2, 3, 4, 5], 0.99);
  assert.ok(wide.low < ci.low && wide.high > ci.high, "99% is wider than 95%");
  assert.throws(() => confidenceInterval([1, 2], 1), /level/);
});

Deno.test("pairedDifference: b − a per pair, its interval and its signs", () => {
  const d = pairedDifference([0.97, 0.98, 0.99, 0.975], [0.972, 0.981, 0.989, 0.975]);
  assert.deepEqual(d.differences.map((v) => Math.round(v * 1e4)), [20, 10, -10, 0]);
  assert.equal(d.above, 2);
  assert.equal(d.below, 1);
  assert.equal(d.n, 4);
  near(d.mean, 0.0005, 1e-12, "mean");
  assert.ok(d.low < 0 && d.high > 0);
  assert.throws(() => pairedDifference([1, 2], [1]), /pairedDifference: b.length: expected 2/);
});

Deno.test("verdict: beyond seed noise, or not distinguishable from it", () => {
  const words = { subject: "Noise training", where: "on clean test images" };
  const costs = pairedDifference([0.98, 0.981, 0.979], [0.976, 0.978, 0.975]);
  assert.equal(
    verdict(costs, words),
    "Noise training costs 0.37 points on clean test images in every seed (3 of 3; " +
      "95% CI −0.51 to −0.22): beyond seed noise.",
  );
  const mostly = pairedDifference([0.97, 0.97, 0.97, 0.97, 0.97], [0.98, 0.981, 0.979, 0.98, 0.97]);
  assert.match(
    verdict(mostly, words),
    /^Noise training gains 0\.80 points on clean test images in 4 of 5 seeds \(95% CI 0\.\d\d to 1\.\d\d\): beyond seed noise\.$/,
  );
  const noise = pairedDifference([0.98, 0.97, 0.98], [0.97, 0.98, 0.981]);
  assert.equal(
    verdict(noise, { subject: "Clean + noisy training", where: "on noisy test images" }),
    "Clean + noisy training on noisy test images: not distinguishable from seed noise " +
      "(mean +0.03 points, 95% CI −2.45 to 2.52 includes 0; higher in 2 of 3 seeds).",
  );
  const leak = pairedDifference([0.978, 0.979], [0.993, 0.994]);
  assert.match(
    verdict(leak, { subject: "The leak", gain: "inflates validation accuracy by", where: "" }),
    /^The leak inflates validation accuracy by 1\.50 points in every seed \(2 of 2; 95% CI/,
  );
});

Deno.test("seedList: the study's seed first, then steps of 1000", () => {
  assert.deepEqual(seedList(42, 5), [42, 1042, 2042, 3042, 4042]);
  assert.deepEqual(seedList(0, 2, 1), [0, 1]);
  assert.throws(() => seedList(42, 0), /seedList: count/);
});

Deno.test("dotPlot draws panels with dots, mean, reference and interval", async () => {
  const svg = await renderSvg(dotPlot({
    title: "Paired differences",
    xTitle: "Difference (points)",
    seeds: [42, 1042],
    panels: [
      { title: "Noisy − clean", values: [-0.1, -0.2], reference: 0, interval: [-0.3, 0] },
      { title: "Leak", values: [1.4, 1.5], reference: null },
    ],
    referenceName: "no difference",
  }));
  assert.match(svg, /^<svg[^>]*><title>Paired differences<\/title>/);
  for (const text of ["Noisy − clean", "Leak", "1042", "no difference", "95% CI", "mean"]) {
    assert.ok(svg.includes(text), `${text} missing from the SVG`);
  }
  await assert.rejects(
    async () =>
      await renderSvg(dotPlot({
        title: "t",
        xTitle: "x",
        seeds: [1, 2],
        panels: [{ title: "p", values: [1] }],
      })),
    /panels\[0\]\.values\.length: expected 2/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(dotPlot({
        title: "t",
        xTitle: "x",
        seeds: [1],
        panels: [{ title: "p", values: [NaN] }],
      })),
    /a finite number/,
  );
});

Deno.test("MLP_SEEDS and MLP_KEEP_SEEDS", () => {
  assert.equal(STUDY_CONFIG.seeds, 5);
  assert.equal(STUDY_CONFIG.keepSeeds, false);
  assert.equal(loadConfig({}).seeds, 5);
  assert.equal(loadConfig({ MLP_SEEDS: "3" }).seeds, 3);
  assert.equal(loadConfig({ MLP_SEEDS: "" }).seeds, 5);
  assert.throws(() => loadConfig({ MLP_SEEDS: "1" }), /MLP_SEEDS.*≥ 2/);
  assert.throws(() => loadConfig({ MLP_SEEDS: "0" }), /MLP_SEEDS/);
  assert.throws(() => loadConfig({ MLP_SEEDS: "two" }), /MLP_SEEDS/);
  assert.equal(loadConfig({ MLP_KEEP_SEEDS: "1" }).keepSeeds, true);
  assert.equal(loadConfig({ MLP_KEEP_SEEDS: "0" }).keepSeeds, false);
  assert.throws(() => loadConfig({ MLP_KEEP_SEEDS: "yes" }), /MLP_KEEP_SEEDS/);
});

Deno.test("dotPlot labels every tick it draws, 0 included, and its legend at full strength", async () => {
  // Paired differences as notebook 07 draws them: seed by seed, the interval, 0 as reference.
  const svg = await renderSvg(dotPlot({
    title: "Paired differences",
    xTitle: "Difference (points)",
    seeds: [42, 1042, 2042, 3042, 4042],
    panels: [{
      title: "Noisy − clean",
      values: [-0.36, -0.21, -0.42, -0.22, -0.08],
      reference: 0,
      interval: [-0.42, -0.09],
    }],
    referenceName: "no difference",
  }));
  const labels = [...svg.matchAll(/>(−?\d+\.\d+)<\/text>/g)].map((m) => m[1]);
  assert.ok(labels.includes("0.0"), `axis labels: ${labels.join(" ")}`);
  assert.doesNotMatch(svg, /opacity="0"/, "a tick label hidden for overlap");
  assert.doesNotMatch(svg, /opacity="0\.5"/, "a faded mark or legend symbol");
});

Deno.test("rangePosition compares an accuracy with a range as printed, in hundredths of a point", () => {
  // Test accuracies are counts over 10,000 images, held in float32 as tfjs returns them.
  const acc = (correct: number) => Math.fround(correct / 10000);
  const range = { min: acc(9781), max: acc(9801) };
  assert.equal(rangePosition(0.9781, range), "inside"); // the original's 97.81%: float32 is above
  assert.ok(acc(9781) > 0.9781, "the float32 count lies above the decimal figure");
  assert.equal(rangePosition(0.9801, range), "inside");
  assert.equal(rangePosition(0.9780, range), "below");
  assert.equal(rangePosition(0.9802, range), "above");
  assert.equal(rangePosition(0.97805, range, 3), "below"); // 97.805% against 97.810%
  assert.throws(() => rangePosition(Number.NaN, range), /rangePosition: value: expected/);
  assert.throws(() => rangePosition(0.98, { min: 0.99, max: 0.98 }), /rangePosition: range\.max/);
  assert.throws(() => rangePosition(0.98, range, -1), /rangePosition: decimals/);
});
