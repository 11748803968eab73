/// <reference lib="dom" />
/**
 * Drawing on a canvas with a mouse, pen or finger: round black strokes on white paper.
 *
 * @module
 */

/** Options of {@linkcode attachPen}. */
export interface PenOptions {
  /** The stroke width in CSS pixels, read at each stroke's start. */
  width: () => number;
  /** Called after every change of the drawing (each stroke segment, and clearing). */
  onChange: () => void;
}

/** A canvas being drawn on. */
export interface Pen {
  /** Paints the canvas white (blank paper) and reports the change. */
  clear(): void;
}

/**
 * Lets the person draw on `canvas` with pointer events (mouse, pen, touch); returns a handle to
 * clear it. Pointer positions and the pen's width are scaled to the canvas's own pixel size.
 *
 * @example
 * ```ts ignore
 * // in the page (it needs a DOM)
 * const canvas = document.querySelector("canvas")!;
 * const pen = attachPen(canvas, { width: () => 20, onChange: () => console.log("drawn") });
 * pen.clear();
 * ```
 */
export function attachPen(canvas: HTMLCanvasElement, options: PenOptions): Pen {
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  let last: { x: number; y: number } | undefined;
  let pointer: number | undefined;

  const at = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    const borderX = canvas.clientLeft, borderY = canvas.clientTop;
    return {
      x: (event.clientX - box.left - borderX) * canvas.width / canvas.clientWidth,
      y: (event.clientY - box.top - borderY) * canvas.height / canvas.clientHeight,
    };
  };
  const segment = (to: { x: number; y: number }) => {
    const from = last ?? to;
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    last = to;
  };

  canvas.addEventListener("pointerdown", (event) => {
    if (pointer !== undefined || event.button !== 0) return;
    event.preventDefault();
    pointer = event.pointerId;
    canvas.setPointerCapture(event.pointerId);
    context.lineWidth = options.width() * canvas.width / canvas.clientWidth;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";
    last = undefined;
    segment(at(event));
    options.onChange();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (event.pointerId !== pointer) return;
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length > 0 ? events : [event]) segment(at(e));
    options.onChange();
  });
  const end = (event: PointerEvent) => {
    if (event.pointerId !== pointer) return;
    pointer = undefined;
    last = undefined;
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  const pen: Pen = {
    clear() {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      options.onChange();
    },
  };
  pen.clear();
  return pen;
}
