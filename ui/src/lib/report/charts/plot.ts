/**
 * Observable Plot, loaded on first use: the charts are only in the report view, so the app
 * starts without parsing Plot and d3 (they come in their own chunk).
 */
export type PlotModule = typeof import("@observablehq/plot");

let loading: Promise<PlotModule> | null = null;

export function loadPlot(): Promise<PlotModule> {
  loading ??= import("@observablehq/plot");
  return loading;
}

/** Roles a mark can be drawn in; `PlotFigure` colours them from the theme. */
export type Role = "challenger" | "incumbent" | "other";

export const ROLES: readonly Role[] = ["other", "incumbent", "challenger"];

/** A left margin that fits the longest of `labels` at the charts' font size, within bounds. */
export function marginFor(labels: readonly string[], min = 40, max = 170): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  return Math.round(Math.min(max, Math.max(min, 14 + longest * 6.4)));
}

/** `label`, cut to `max` characters with an ellipsis. */
export function clip(label: string, max = 26): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}
