/** Queries for component tests. */

/** Every element with `data-testid="{id}"` under `root`, in document order. */
export function all(id: string, root: ParentNode = document): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
}
