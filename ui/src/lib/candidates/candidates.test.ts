import { afterEach, describe, expect, it, vi } from "vitest";

import type { CandidateDetail } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { PERSONALIZE, TWO_TOWER, candidatesBackend } from "../testing/candidatesBackend";
import { CandidatesState } from "./candidates.svelte";

afterEach(clearBackend);

const names = (s: CandidatesState) => s.list.map((c) => c.config.name);

describe("CandidatesState: the list", () => {
  it("lists the candidates in use; archived ones only on request", async () => {
    const { calls } = candidatesBackend();
    const state = new CandidatesState();
    await state.load();
    expect(state.status).toBe("ready");
    expect(names(state)).toEqual([
      "Popularity",
      "Trending (30 days)",
      "Item-kNN",
      "EASE",
      "Content (TF-IDF)",
      "Random (control)",
      "Two-tower v3",
    ]);
    await state.setShowArchived(true);
    expect(state.showArchived).toBe(true);
    expect(names(state).at(-1)).toBe("Personalize UP v2");
    expect(calls.map((c) => c.args)).toEqual([{ archived: false }, { archived: true }]);
  });

  it("keeps only the latest answer when the toggle flips quickly", async () => {
    const slow = deferred<CandidateDetail[]>();
    let first = true;
    const { fake } = candidatesBackend({
      candidate_details: (args) => {
        if (first) {
          first = false;
          return slow.promise;
        }
        return fake.handlers().candidate_details!(args);
      },
    });
    const state = new CandidatesState();
    const older = state.load();
    await state.setShowArchived(true);
    slow.resolve([]);
    await older;
    expect(names(state)).toContain("Personalize UP v2");
  });

  it("surfaces a list error with its code", async () => {
    candidatesBackend({
      candidate_details: () => {
        throw { code: "unavailable", message: "the data folder is open in another window" };
      },
    });
    const state = new CandidatesState();
    await state.load();
    expect(state.status).toBe("error");
    expect(state.error?.code).toBe("unavailable");
  });
});

describe("CandidatesState: what is open", () => {
  it("a built-in or archived candidate opens read-only, another one in its form", async () => {
    candidatesBackend();
    const state = new CandidatesState();
    await state.setShowArchived(true);
    state.open("builtin-ease");
    expect(state.panel?.kind).toBe("view");
    expect(state.openId).toBe("builtin-ease");
    state.open(PERSONALIZE.id);
    expect(state.panel?.kind).toBe("view");
    state.open(TWO_TOWER.id);
    expect(state.panel?.kind === "edit" && state.panel.form.id).toBe(TWO_TOWER.id);
    const form = state.panel?.kind === "edit" ? state.panel.form : null;
    state.open(TWO_TOWER.id); // already open: the form (and what was typed) stays
    expect(state.panel?.kind === "edit" && state.panel.form).toBe(form);
    state.closePanel();
    expect(state.openId).toBeNull();
  });

  it("copying a built-in opens a new form from its settings", async () => {
    candidatesBackend();
    const state = new CandidatesState();
    await state.load();
    const form = state.copy("builtin-item-knn");
    expect(form?.config).toEqual({ kind: "builtin", name: "Item-kNN (copy)", model: "item-knn" });
    expect(state.openId).toBeNull(); // not saved yet
  });
});

describe("CandidatesState: changes", () => {
  it("saving a new candidate lists it, keeps its form open on it, and tells the others", async () => {
    candidatesBackend();
    const onChange = vi.fn();
    const state = new CandidatesState({ onChange });
    await state.load();
    const form = state.add("builtin");
    form.name = "kNN 50";
    form.model = "item-knn:neighbours=50";
    expect(await state.save()).toBe(true);
    expect(names(state)).toContain("kNN 50");
    expect(state.openId).toBe(form.id);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("a refused save changes nothing and tells no one", async () => {
    candidatesBackend();
    const onChange = vi.fn();
    const state = new CandidatesState({ onChange });
    await state.load();
    const form = state.add();
    form.name = "EASE";
    form.url = "http://x.example/";
    expect(await state.save()).toBe(false);
    expect(form.error?.message).toBe('field "name": another candidate is called "EASE"');
    expect(onChange).not.toHaveBeenCalled();
  });

  it("archiving hides the candidate, closes it, and tells the others; restoring brings it back", async () => {
    const { calls, fake } = candidatesBackend();
    const onChange = vi.fn();
    const state = new CandidatesState({ onChange });
    await state.load();
    state.open(TWO_TOWER.id);
    expect(await state.archive(TWO_TOWER.id, true)).toBe(true);
    expect(calls).toContainEqual({
      command: "archive_candidate",
      args: { id: TWO_TOWER.id, archived: true },
    });
    expect(names(state)).not.toContain("Two-tower v3");
    expect(state.panel).toBeNull();
    expect(fake.inUse().map((c) => c.id)).not.toContain(TWO_TOWER.id);
    expect(onChange).toHaveBeenCalledTimes(1);

    await state.setShowArchived(true);
    state.open(TWO_TOWER.id);
    expect(state.panel?.kind).toBe("view"); // archived: read-only
    expect(await state.archive(TWO_TOWER.id, false)).toBe(true);
    expect(state.panel?.kind).toBe("edit"); // restored: its form
    expect(fake.inUse().map((c) => c.id)).toContain(TWO_TOWER.id);
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it("an archived candidate stays open read-only while archived ones are shown", async () => {
    candidatesBackend();
    const state = new CandidatesState();
    await state.setShowArchived(true);
    state.open("builtin-random");
    await state.archive("builtin-random", true);
    expect(state.panel?.kind === "view" && state.panel.candidate.archived).toBe(true);
  });

  it("a failed archive says why and changes nothing", async () => {
    candidatesBackend({
      archive_candidate: () => {
        throw { code: "internal", message: "database is locked" };
      },
    });
    const onChange = vi.fn();
    const state = new CandidatesState({ onChange });
    await state.load();
    expect(await state.archive(TWO_TOWER.id, true)).toBe(false);
    expect(state.actionError?.message).toBe("database is locked");
    expect(state.busy).toBeNull();
    expect(onChange).not.toHaveBeenCalled();
  });

  it("exports the candidates in use to the typed path", async () => {
    const { fake } = candidatesBackend();
    const state = new CandidatesState();
    await state.load();
    const form = state.exportFile();
    form.path = " /tmp/candidates.toml ";
    expect(await state.runExport()).toBe(true);
    expect(form.written).toEqual({ count: 7, path: "/tmp/candidates.toml" });
    expect(fake.files.get("/tmp/candidates.toml")?.map((c) => c.name)).toContain("Two-tower v3");
    form.path = "/tmp/";
    expect(await state.runExport()).toBe(false);
    expect(form.error?.message).toBe("cannot write /tmp/: Is a directory (os error 21)");
  });

  it("imports a file: adds, updates, leaves alone, then tells the others", async () => {
    const { fake } = candidatesBackend();
    fake.files.set("/tmp/team.toml", [
      { kind: "builtin", name: "EASE", model: "ease" },
      { ...TWO_TOWER.config, timeout_ms: 900 } as typeof TWO_TOWER.config,
      { kind: "http", name: "Ranker v2", url: "http://ranker.example/r", timeout_ms: 5000 },
    ]);
    const onChange = vi.fn();
    const state = new CandidatesState({ onChange });
    await state.load();
    const form = state.importFile();
    form.path = "/tmp/team.toml";
    const report = await state.runImport();
    expect(report).toEqual({
      added: ["Ranker v2"],
      updated: ["Two-tower v3"],
      unchanged: ["EASE"],
    });
    expect(names(state)).toContain("Ranker v2");
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("a bad file is refused whole, with the message naming the candidate and field", async () => {
    const { fake } = candidatesBackend();
    fake.files.set("/tmp/bad.toml", [
      { kind: "http", name: "Good", url: "http://good.example/", timeout_ms: 5000 },
      { kind: "http", name: "Zero", url: "http://zero.example/", timeout_ms: 0 },
    ]);
    const onChange = vi.fn();
    const state = new CandidatesState({ onChange });
    const form = state.importFile();
    form.path = "/tmp/bad.toml";
    expect(await state.runImport()).toBeNull();
    expect(form.error?.message).toBe(
      '/tmp/bad.toml: candidate[1] ("Zero"): field "timeout_ms": between 1 and 120000, not 0',
    );
    expect(fake.inUse().map((c) => c.name)).not.toContain("Good");
    expect(onChange).not.toHaveBeenCalled();
  });
});
