/**
 * Observable Plot, loaded on first use: the charts are only in the report view, so the app
 * starts without parsing Plot and d3 (they come in their own chunk).
 */
import type { Markish } from "@observablehq/plot";

export type PlotModule = typeof import("@observablehq/plot");

let loading: Promise<PlotModule> | null = null;

export function loadPlot(): Promise<PlotModule> {
  loading ??= import("@observablehq/plot");
  return loading;
}

/** Roles a mark can be drawn in; `PlotFigure` colours them from the theme. */
export type Role = "challenger" | "incumbent" | "other";

export const ROLES: readonly Role[] = ["other", "incumbent", "challenger"];

/** A row drawn as a point with its interval (`lo`–`hi`, `null` when there is none). */
export type IntervalRow = { role: Role; lo: number | null; hi: number | null };

/**
 * A horizontal point with its interval per row: a rule from `lo` to `hi`, capped by a tick at
 * each end, and a dot at `x` (`r` its radius, `title` its tooltip), all on the band `y`. Roles are
 * drawn in `ROLES` order, so the challenger's marks are on top.
 */
export function intervalMarks<R extends IntervalRow>(
  Plot: PlotModule,
  rows: readonly R[],
  {
    x,
    y,
    inset,
    r,
    title,
  }: {
    x: keyof R & string;
    y: keyof R & string;
    /** How far the end ticks stop short of the band's edges. */
    inset: number;
    r: number;
    title: (row: R) => string;
  },
): Markish[] {
  // Only intervals with a width: a point interval would draw as a stray tick.
  const withCi = rows.filter((d) => d.lo !== null && d.hi !== null && d.hi > d.lo);
  return ROLES.flatMap((role) => {
    const filter = (d: R) => d.role === role;
    const className = `role-${role}`;
    return [
      Plot.ruleY(withCi, { filter, y, x1: "lo", x2: "hi", strokeWidth: 2, className }),
      Plot.tickX(withCi, { filter, x: "lo", y, inset, className }),
      Plot.tickX(withCi, { filter, x: "hi", y, inset, className }),
      Plot.dot(rows, {
        filter,
        x,
        y,
        r,
        fill: "currentColor",
        stroke: "var(--plot-background)",
        strokeWidth: 1.5,
        title,
        className,
      }),
    ];
  });
}

/** A left margin that fits the longest of `labels` at the charts' font size, within bounds. */
export function marginFor(labels: readonly string[], min = 40, max = 170): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  return Math.round(Math.min(max, Math.max(min, 14 + longest * 6.4)));
}

/** `label`, cut to `max` characters with an ellipsis. */
export function clip(label: string, max = 26): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}
