/** Where a load stands, for every state that loads something. */
export type LoadStatus = "idle" | "loading" | "ready" | "error";
