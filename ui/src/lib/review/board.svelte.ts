/**
 * The judging board of one session: the board of the current persona, what has the keyboard's
 * focus (a column and a criterion), the preference being built, the comment being typed, and
 * whether what the reviewer did is on disk.
 *
 * Saving rule: the board shows a judgement only once `record_judgement` resolved for it (never
 * optimistically); until then the control shows it as pending and the save state says
 * "Saving…". A rejected judgement keeps the save state on the error (never "Saved") until it is
 * retried, superseded by a newer judgement on the same thing, or dismissed. Answers can arrive
 * out of order: the backend's `device_seq` decides which of two saves on the same thing wins.
 */
import {
  IpcError,
  getBoard,
  recordJudgement,
  revealPersona,
  type Board,
  type Column,
  type ItemFlag,
  type JudgementInput,
  type RecordRequest,
  type Saved,
  type SessionDetail,
} from "../ipc";
import type { LoadStatus } from "../personas/personas.svelte";
import { applyJudgement, judgementTarget } from "./judgements";
import type { KeyAction } from "./keys";
import { SaveLedger } from "./ledger";
import { addToDraft, allBad, describeDraft, describePreference, tie } from "./preference";

export type SaveStatus = "idle" | "saving" | "saved" | "error";

/** A judgement that was not saved, kept so it can be retried. */
export type SaveFailure = { key: string; request: RecordRequest; error: IpcError };

export class BoardState {
  readonly session: SessionDetail;

  #index = $state(0);
  #board = $state.raw<Board | null>(null);
  #status = $state<LoadStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  /** Increases with each board load; an answer for an older one is dropped. */
  #load = 0;

  #column = $state(0);
  #criterion = $state(0);
  /** Snapshot ids picked so far (3–4 lists), best first; not saved until complete. */
  #draft = $state.raw<string[]>([]);
  #comment = $state("");
  #helpOpen = $state(false);
  #historyOpen = $state(true);
  #hoveredItem = $state<string | null>(null);

  #inflight = $state(0);
  /** `persona\0target` → the judgement being saved for it (the newest). */
  #pending = $state.raw<Readonly<Record<string, JudgementInput>>>({});
  #failures = $state.raw<SaveFailure[]>([]);
  #lastSaved = $state.raw<Saved | null>(null);
  #ledger = new SaveLedger();

  #revealing = $state(false);
  #revealError = $state.raw<IpcError | null>(null);

  #baseDone: number;
  /** Whether each persona seen so far had a preference when first loaded. */
  #doneAtLoad: Record<string, boolean> = {};
  /** Personas that got their first preference while this board was open. */
  #newlyDone = $state.raw<readonly string[]>([]);

  #saveStatus = $derived<SaveStatus>(
    this.#failures.length > 0
      ? "error"
      : this.#inflight > 0
        ? "saving"
        : this.#lastSaved
          ? "saved"
          : "idle",
  );
  #locked = $derived(this.#board !== null && this.#board.blind && this.#board.revealed);

  constructor(session: SessionDetail) {
    this.session = session;
    this.#baseDone = session.summary.personas_done;
  }

  // --- What is shown -------------------------------------------------------------------------

  get board(): Board | null {
    return this.#board;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  /** 0-based position of the current persona in the session. */
  get index(): number {
    return this.#index;
  }
  get personaCount(): number {
    return this.session.personas.length;
  }
  get hasPrev(): boolean {
    return this.#index > 0;
  }
  get hasNext(): boolean {
    return this.#index < this.personaCount - 1;
  }
  /** Personas with a preference (this reviewer's "done"). */
  get done(): number {
    return Math.min(this.#baseDone + this.#newlyDone.length, this.personaCount);
  }
  /** The focused column (0-based). */
  get column(): number {
    return this.#column;
  }
  /** The focused criterion (0-based, into `board.criteria`). */
  get criterion(): number {
    return this.#criterion;
  }
  get criterionName(): string | null {
    return this.#board?.criteria[this.#criterion] ?? null;
  }
  get helpOpen(): boolean {
    return this.#helpOpen;
  }
  get historyOpen(): boolean {
    return this.#historyOpen;
  }
  /** An item the pointer is on, so the same item can be marked in every column. */
  get hoveredItem(): string | null {
    return this.#hoveredItem;
  }
  /**
   * Blind lists whose names were revealed: the judgements are final (a rating or preference
   * given after seeing the names would not be blind any more). The comment stays editable.
   */
  get locked(): boolean {
    return this.#locked;
  }

  get saveStatus(): SaveStatus {
    return this.#saveStatus;
  }
  get failures(): readonly SaveFailure[] {
    return this.#failures;
  }
  /** The newest error of a judgement that is not saved. */
  get saveError(): IpcError | null {
    return this.#failures.at(-1)?.error ?? null;
  }
  get lastSaved(): Saved | null {
    return this.#lastSaved;
  }

  /** The order being built, as snapshot ids (empty when none). */
  get draft(): readonly string[] {
    return this.#draft;
  }
  /** `"B > …"` for the order being built, `""` when none. */
  get draftText(): string {
    return describeDraft(this.#draft, (id) => this.labelOf(id));
  }
  /** The saved preference in words (`"B > A > C"`, `"Tie"`, `"All bad"`), `null` when none. */
  get preferenceText(): string | null {
    const pref = this.#board?.preference;
    return pref ? describePreference(pref, (id) => this.labelOf(id)) : null;
  }
  /** The preference being saved, in words. */
  get pendingPreferenceText(): string | null {
    const j = this.#pendingFor("preference");
    return j?.kind === "preference"
      ? describePreference(j.preference, (id) => this.labelOf(id))
      : null;
  }

  /** The comment as typed. */
  get comment(): string {
    return this.#comment;
  }
  /** The typed comment differs from the saved one. */
  get commentDirty(): boolean {
    return this.#board !== null && this.#comment !== (this.#board.comment ?? "");
  }
  get commentSaving(): boolean {
    return this.#pendingFor("comment") !== null;
  }

  get canReveal(): boolean {
    const b = this.#board;
    return (
      b !== null &&
      this.#status === "ready" &&
      b.blind &&
      !b.revealed &&
      b.preference !== null &&
      !this.#revealing
    );
  }
  get revealing(): boolean {
    return this.#revealing;
  }
  get revealError(): IpcError | null {
    return this.#revealError;
  }

  /** A column's label by snapshot id. */
  labelOf(snapshotId: string): string | null {
    return this.#board?.columns.find((c) => c.snapshot_id === snapshotId)?.label ?? null;
  }

  /** The column's current (saved) score on a criterion. */
  scoreOf(column: Column, criterion: string): number | null {
    return column.ratings.find((r) => r.criterion === criterion)?.score ?? null;
  }

  /** The score being saved for a column and criterion, if any. */
  pendingScore(snapshotId: string, criterion: string): number | null {
    const j = this.#pendingFor(`rating\0${snapshotId}\0${criterion}`);
    return j?.kind === "rating" ? j.score : null;
  }

  /** The state a flag is being saved to, if it is being saved. */
  pendingFlag(snapshotId: string, itemId: string, flag: ItemFlag): boolean | null {
    const j = this.#pendingFor(`flag\0${snapshotId}\0${itemId}\0${flag}`);
    return j?.kind === "flag" ? j.on : null;
  }

  /** 1-based place of a list in the saved preference (`null` for none, tie or all bad). */
  rankOf(snapshotId: string): number | null {
    const pref = this.#board?.preference;
    if (!pref || pref.tie || pref.all_bad) return null;
    const i = pref.ranking.indexOf(snapshotId);
    return i < 0 ? null : i + 1;
  }

  /** 1-based place of a list in the order being built. */
  draftRankOf(snapshotId: string): number | null {
    const i = this.#draft.indexOf(snapshotId);
    return i < 0 ? null : i + 1;
  }

  // --- Loading and moving between personas ---------------------------------------------------

  /** Opens the persona at `index` (0-based). A newer open wins over an older one. */
  async open(index: number): Promise<void> {
    const personaId = this.session.personas[index]?.id;
    if (personaId === undefined) return;
    this.#flushComment();
    const load = ++this.#load;
    this.#index = index;
    this.#status = "loading";
    this.#error = null;
    this.#draft = [];
    this.#revealError = null;
    this.#hoveredItem = null;
    // The board is read from disk: let every save land first, so it holds them all.
    await this.settled();
    if (load !== this.#load) return;
    try {
      const board = await getBoard(this.session.summary.id, personaId);
      if (load !== this.#load) return;
      this.#show(board, false);
      this.#column = 0;
      this.#status = "ready";
    } catch (e) {
      if (load !== this.#load) return;
      this.#error = IpcError.from(e, "get_board");
      this.#status = "error";
    }
  }

  /** Opens the next (`1`) or previous (`-1`) persona; `false` at either end. */
  go(delta: -1 | 1): boolean {
    const index = this.#index + delta;
    if (index < 0 || index >= this.personaCount) return false;
    void this.open(index);
    return true;
  }

  /** Reloads the current persona (e.g. after a load error). */
  reload(): Promise<void> {
    return this.open(this.#index);
  }

  /** Resolves once no judgement is being saved. */
  settled(): Promise<void> {
    return this.#ledger.settled();
  }

  // --- Focus ---------------------------------------------------------------------------------

  focus(column: number, criterion?: number): void {
    const b = this.#board;
    if (!b) return;
    this.#column = clamp(column, b.columns.length);
    if (criterion !== undefined) this.#criterion = clamp(criterion, b.criteria.length);
  }

  moveColumn(delta: -1 | 1): boolean {
    const b = this.#board;
    if (!b) return false;
    const next = clamp(this.#column + delta, b.columns.length);
    if (next === this.#column) return false;
    this.#column = next;
    return true;
  }

  moveCriterion(delta: -1 | 1): boolean {
    const b = this.#board;
    if (!b) return false;
    const next = clamp(this.#criterion + delta, b.criteria.length);
    if (next === this.#criterion) return false;
    this.#criterion = next;
    return true;
  }

  hover(itemId: string | null): void {
    this.#hoveredItem = itemId;
  }

  toggleHelp(open = !this.#helpOpen): void {
    this.#helpOpen = open;
  }

  toggleHistory(open = !this.#historyOpen): void {
    this.#historyOpen = open;
  }

  // --- Judging -------------------------------------------------------------------------------

  /** Rates the focused column on the focused criterion. */
  rate(score: number): boolean {
    const criterion = this.criterionName;
    return criterion !== null && this.rateColumn(this.#column, criterion, score);
  }

  /** Rates a column on a criterion (and moves the focus there). */
  rateColumn(columnIndex: number, criterion: string, score: number): boolean {
    const b = this.#editable();
    const column = b?.columns[columnIndex];
    const criterionIndex = b?.criteria.indexOf(criterion) ?? -1;
    if (!b || !column || criterionIndex < 0 || this.#locked) return false;
    if (!Number.isInteger(score) || score < 1 || score > 5) return false;
    this.focus(columnIndex, criterionIndex);
    void this.#record({ kind: "rating", snapshot_id: column.snapshot_id, criterion, score });
    return true;
  }

  /** Turns a flag of an item of a column on or off (the opposite of its saved state). */
  toggleFlag(columnIndex: number, itemId: string, flag: ItemFlag): boolean {
    const b = this.#editable();
    const column = b?.columns[columnIndex];
    const item = column?.items.find((it) => it.item.id === itemId);
    if (!column || !item || this.#locked) return false;
    const on = !(this.pendingFlag(column.snapshot_id, itemId, flag) ?? item.flags.includes(flag));
    void this.#record({ kind: "flag", snapshot_id: column.snapshot_id, item_id: itemId, flag, on });
    return true;
  }

  /** Picks a column for the preference: the choice (2 lists) or the next place (3–4 lists). */
  prefer(columnIndex: number): boolean {
    const b = this.#editable();
    const column = b?.columns[columnIndex];
    if (!b || !column || this.#locked) return false;
    const step = addToDraft(this.#draft, column.snapshot_id, snapshots(b));
    this.#draft = step.draft;
    if (step.complete) void this.#record({ kind: "preference", preference: step.complete });
    return true;
  }

  /** The lists are equally good. */
  tie(): boolean {
    const b = this.#editable();
    if (!b || this.#locked) return false;
    this.#draft = [];
    void this.#record({ kind: "preference", preference: tie(snapshots(b)) });
    return true;
  }

  /** Every list is bad. */
  allBad(): boolean {
    const b = this.#editable();
    if (!b || this.#locked) return false;
    this.#draft = [];
    void this.#record({ kind: "preference", preference: allBad(snapshots(b)) });
    return true;
  }

  /** Forgets the order being built (the saved preference stays until a new one is saved). */
  clearDraft(): boolean {
    if (this.#draft.length === 0) return false;
    this.#draft = [];
    return true;
  }

  setComment(text: string): void {
    this.#comment = text;
  }

  /** Saves the comment if it changed; resolves to whether it was saved. */
  saveComment(): Promise<boolean> {
    if (!this.commentDirty || this.#status !== "ready") return Promise.resolve(false);
    return this.#record({ kind: "comment", text: this.#comment });
  }

  /** Records the reveal and shows the names (blind lists with a preference only). */
  async reveal(): Promise<boolean> {
    const b = this.#board;
    if (!b || !this.canReveal) return false;
    const load = this.#load;
    this.#revealing = true;
    this.#revealError = null;
    try {
      // The board comes back from disk: let every save land first, so it holds them all.
      await this.settled();
      const board = await revealPersona(b.session_id, b.persona.persona.id);
      if (load === this.#load) this.#show(board, true);
      return true;
    } catch (e) {
      if (load === this.#load) this.#revealError = IpcError.from(e, "reveal_persona");
      return false;
    } finally {
      this.#revealing = false;
    }
  }

  /** Sends every judgement that failed again. */
  retry(): Promise<boolean[]> {
    const failures = this.#failures;
    return Promise.all(failures.map((f) => this.#send(f.request)));
  }

  /** Gives up on the judgements that failed (they stay unsaved). */
  dismissFailures(): void {
    this.#failures = [];
  }

  /** Runs a keyboard action; `true` when it did something (the key is then consumed). */
  dispatch(action: KeyAction): boolean {
    if (this.#helpOpen) {
      if (action.type === "help" || action.type === "close") {
        this.#helpOpen = false;
        return true;
      }
      return false;
    }
    switch (action.type) {
      case "help":
        this.#helpOpen = true;
        return true;
      case "close":
        return false;
      case "rate":
        return this.rate(action.score);
      case "column":
        return this.moveColumn(action.delta);
      case "criterion":
        return this.moveCriterion(action.delta);
      case "prefer":
        return this.prefer(action.column);
      case "tie":
        return this.tie();
      case "all-bad":
        return this.allBad();
      case "clear-preference":
        return this.clearDraft();
      case "reveal":
        if (!this.canReveal) return false;
        void this.reveal();
        return true;
      case "persona":
        return this.go(action.delta);
    }
  }

  // --- Internals -----------------------------------------------------------------------------

  /** The board, when judgements can be made on it (loaded, not loading another persona). */
  #editable(): Board | null {
    return this.#status === "ready" ? this.#board : null;
  }

  #show(board: Board, keepCommentDraft: boolean): void {
    const personaId = board.persona.persona.id;
    const dirty = keepCommentDraft && this.commentDirty;
    this.#board = board;
    this.#doneAtLoad[personaId] ??= board.preference !== null;
    if (!dirty) this.#comment = board.comment ?? "";
    this.#column = clamp(this.#column, board.columns.length);
    this.#criterion = clamp(this.#criterion, board.criteria.length);
  }

  #pendingFor(target: string): JudgementInput | null {
    const personaId = this.#board?.persona.persona.id;
    if (personaId === undefined) return null;
    return this.#pending[`${personaId}\0${target}`] ?? null;
  }

  #flushComment(): void {
    if (this.commentDirty) void this.saveComment();
  }

  #record(judgement: JudgementInput): Promise<boolean> {
    const b = this.#board;
    if (!b) return Promise.resolve(false);
    return this.#send({ session_id: b.session_id, persona_id: b.persona.persona.id, judgement });
  }

  async #send(request: RecordRequest): Promise<boolean> {
    const key = `${request.persona_id}\0${judgementTarget(request.judgement)}`;
    // A newer judgement on the same thing supersedes one that failed.
    if (this.#failures.some((f) => f.key === key)) {
      this.#failures = this.#failures.filter((f) => f.key !== key);
    }
    this.#pending = { ...this.#pending, [key]: request.judgement };
    this.#inflight++;
    const promise = recordJudgement(request);
    this.#ledger.sent(key, request, promise);
    try {
      const saved = await promise;
      this.#saved(key, request, saved);
      return true;
    } catch (e) {
      // A failure matters only while nothing newer was sent for the same thing.
      if (this.#ledger.isLatest(key, request)) {
        const error = IpcError.from(e, "record_judgement");
        this.#failures = [...this.#failures, { key, request, error }];
      }
      return false;
    } finally {
      this.#ledger.finished(promise);
      this.#inflight--;
      if (this.#ledger.isLatest(key, request)) {
        this.#pending = Object.fromEntries(
          Object.entries(this.#pending).filter(([k]) => k !== key),
        );
      }
    }
  }

  #saved(key: string, request: RecordRequest, saved: Saved): void {
    this.#lastSaved = saved;
    if (!this.#ledger.accept(key, saved.device_seq)) return;
    const b = this.#board;
    if (b && b.session_id === request.session_id && b.persona.persona.id === request.persona_id) {
      this.#board = applyJudgement(b, request.judgement);
    }
    const personaId = request.persona_id;
    if (
      request.judgement.kind === "preference" &&
      this.#doneAtLoad[personaId] === false &&
      !this.#newlyDone.includes(personaId)
    ) {
      this.#newlyDone = [...this.#newlyDone, personaId];
    }
  }
}

function snapshots(board: Board): string[] {
  return board.columns.map((c) => c.snapshot_id);
}

function clamp(i: number, length: number): number {
  return Math.max(0, Math.min(i, length - 1));
}
