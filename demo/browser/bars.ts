/// <reference lib="dom" />
/**
 * The live bar chart of the class probabilities: one row per class, its name, a bar and a
 * percentage; the most probable class highlighted.
 *
 * @module
 */

/** A bar chart on the page. */
export interface Bars {
  /** Shows these probabilities (one per class), or empty bars when undefined. */
  update(probabilities?: ArrayLike<number>): void;
}

/**
 * Builds the chart's rows inside `container`, one per class name.
 *
 * @example
 * ```ts ignore
 * // in the page (it needs a DOM)
 * const bars = createBars(document.getElementById("bars")!, ["cat", "dog"]);
 * bars.update([0.9, 0.1]); // "cat" highlighted, at 90.0%
 * ```
 */
export function createBars(container: HTMLElement, classNames: readonly string[]): Bars {
  container.replaceChildren();
  const rows = classNames.map((name, index) => {
    const row = document.createElement("div");
    row.className = "bar-row";
    row.dataset.class = String(index);
    const label = document.createElement("span");
    label.className = "bar-label";
    label.textContent = name;
    const track = document.createElement("span");
    track.className = "bar-track";
    const fill = document.createElement("span");
    fill.className = "bar-fill";
    track.append(fill);
    const value = document.createElement("span");
    value.className = "bar-value";
    row.append(label, track, value);
    container.append(row);
    return { row, fill, value };
  });
  return {
    update(probabilities) {
      let best = -1;
      if (probabilities) {
        for (let i = 0; i < rows.length; i++) {
          if (best < 0 || probabilities[i] > probabilities[best]) best = i;
        }
      }
      rows.forEach(({ row, fill, value }, i) => {
        const p = probabilities ? probabilities[i] : 0;
        fill.style.width = `${(p * 100).toFixed(2)}%`;
        value.textContent = probabilities ? `${(p * 100).toFixed(1)}%` : "";
        row.classList.toggle("best", i === best);
      });
    },
  };
}
