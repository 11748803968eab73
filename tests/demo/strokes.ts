/**
 * Mouse strokes the demo's browser tests draw, on the demo page and in the notebook output
 * alike: test digits traced with a thin pen, a hand-drawn "1" and "0", and the helpers that
 * draw them on a canvas and set the pen's width.
 */
import type { Page } from "puppeteer-core";
import { CANVAS_SIZE } from "../../demo/page.ts";

/** A point on the drawing canvas, in CSS pixels from its top-left corner. */
export type Point = [number, number];

/** The pen width the traced digits are painted with: rows of ink this many pixels apart. */
export const TRACE_PEN = 4;

/** A "1": one stroke down, leaning a little. */
export const ONE: Point[][] = [
  [[150, 40], [148, 80], [145, 120], [142, 160], [139, 200], [136, 240]],
];

/** A "0": an upright ellipse, from the top round and back. */
export const ZERO: Point[][] = [
  Array.from({ length: 41 }, (_, i): Point => {
    const a = (i / 40) * 2 * Math.PI;
    return [140 + 62 * Math.sin(a), 140 - 96 * Math.cos(a)];
  }),
];

/** The value of a 28×28 byte image at a fractional pixel position, interpolated bilinearly. */
function bilinear(digit: Uint8Array, x: number, y: number): number {
  const clamp = (v: number) => Math.min(27, Math.max(0, v));
  const x0 = Math.floor(clamp(x)), y0 = Math.floor(clamp(y));
  const x1 = Math.min(27, x0 + 1), y1 = Math.min(27, y0 + 1);
  const fx = clamp(x) - x0, fy = clamp(y) - y0;
  const at = (px: number, py: number) => digit[py * 28 + px];
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) +
    fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1));
}

/**
 * Strokes that paint a test digit rendered at the canvas's size (enlarged 10× with bilinear
 * interpolation, inked where above half), with a round pen of `pen` pixels: along every row of
 * ink `pen` pixels apart, one stroke per run, its ends drawn in by the pen's radius.
 */
export function traceDigit(digit: Uint8Array, pen: number): Point[][] {
  const scale = CANVAS_SIZE / 28;
  const strokes: Point[][] = [];
  for (let y = pen / 2; y < CANVAS_SIZE; y += pen) {
    let start = -1;
    for (let x = 0; x <= CANVAS_SIZE; x++) {
      const inked = x < CANVAS_SIZE &&
        bilinear(digit, (x + 0.5) / scale - 0.5, y / scale - 0.5) > 127.5;
      if (inked && start < 0) start = x;
      if (!inked && start >= 0) {
        const from = start + pen / 2, to = x - pen / 2;
        strokes.push(from <= to ? [[from, y], [to, y]] : [[(start + x) / 2, y]]);
        start = -1;
      }
    }
  }
  return strokes;
}

/** Where the top-left pixel of the canvas `selector` finds is on the page. */
export function canvasOrigin(page: Page, selector: string): Promise<{ x: number; y: number }> {
  return page.$eval(selector, (canvas) => {
    canvas.scrollIntoView({ block: "nearest" });
    const box = canvas.getBoundingClientRect();
    return { x: box.left + canvas.clientLeft, y: box.top + canvas.clientTop };
  });
}

/**
 * Draws `strokes` (canvas pixels) on the canvas `selector` finds, with mouse events: move to each
 * stroke's start, press, move through its points, release. `together` sends all events at once
 * (fast; the browser keeps their order) instead of waiting for each.
 */
export async function draw(page: Page, selector: string, strokes: Point[][], together = false) {
  const origin = await canvasOrigin(page, selector);
  const sent: Promise<void>[] = [];
  const send = async (event: Promise<void>) => together ? sent.push(event) : await event;
  for (const [[x, y], ...rest] of strokes) {
    await send(page.mouse.move(origin.x + x, origin.y + y));
    await send(page.mouse.down());
    for (const [px, py] of rest) await send(page.mouse.move(origin.x + px, origin.y + py));
    await send(page.mouse.up());
  }
  await Promise.all(sent);
}

/** Sets the pen width slider `selector` finds to `width`, as a person dragging it does. */
export async function setPen(page: Page, selector: string, width: number) {
  await page.$eval(selector, (input, value) => {
    (input as HTMLInputElement).value = String(value);
    input.dispatchEvent(new Event("input"));
  }, width);
}
