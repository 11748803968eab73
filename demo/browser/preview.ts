/// <reference lib="dom" />
/**
 * The model's input shown beside the drawing: size×size values in [0, 1] as white ink on black,
 * the way the MNIST images are usually drawn.
 *
 * @module
 */

/**
 * Paints `input` (size×size values, row-major) into a canvas of size×size pixels, black where
 * it is undefined; the page scales the canvas up with square pixels.
 *
 * @example
 * ```ts ignore
 * // in the page (it needs a DOM)
 * showInput(document.querySelector("canvas")!, new Float32Array(784).fill(0.5), 28);
 * ```
 */
export function showInput(
  canvas: HTMLCanvasElement,
  input: Float32Array | undefined,
  size: number,
) {
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext("2d")!;
  const image = context.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, input?.[i] ?? 0)));
    image.data.set([v, v, v, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
}
