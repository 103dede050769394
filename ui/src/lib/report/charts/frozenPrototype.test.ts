/**
 * The app window freezes Object.prototype (Tauri's `freezePrototype`); Plot must still load
 * and draw there. (This file runs in its own worker: the freeze does not reach other tests.)
 */
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  Object.freeze(Object.prototype);
});

describe("with Object.prototype frozen", () => {
  it("Plot loads and draws", async () => {
    const { loadPlot } = await import("./plot");
    const Plot = await loadPlot();
    const svg = Plot.plot({
      x: { domain: [1, 5], tickFormat: ".1f" },
      color: { type: "linear" },
      marks: [Plot.dot([1, 2, 3], { x: (d: number) => d, y: (d: number) => d, fill: "red" })],
    });
    expect(svg.tagName.toLowerCase()).toBe("svg");
    expect(svg.querySelectorAll("circle")).toHaveLength(3);
    expect(Object.isFrozen(Object.prototype)).toBe(true);
  });
});
