import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import App from "../App.svelte";
import type { Persona } from "../lib/ipc";
import { clearBackend } from "../lib/ipc/mock";
import { deferred } from "../lib/testing/async";
import { all } from "../lib/testing/dom";
import { T0 } from "../lib/testing/fixtures";
import {
  BAD_MESSAGE,
  BAD_PATH,
  FakeLibrary,
  ML_PATH,
  libraryBackend,
} from "../lib/testing/libraryBackend";

afterEach(clearBackend);
beforeEach(() => localStorage.clear());

const byId = (id: string) => screen.getByTestId(id);
const type = (id: string, value: string) => fireEvent.input(byId(id), { target: { value } });

/** Renders the app and waits for the personas. */
async function start() {
  render(App);
  await screen.findAllByTestId("persona-item");
  await waitFor(() => expect(byId("active-dataset").textContent).toBe("Demo catalog"));
}

const names = () => all("persona-item-name").map((n) => n.textContent?.trim());

async function openDatasets() {
  await fireEvent.click(byId("datasets-toggle"));
  return screen.findByTestId("datasets-panel");
}

async function pick(personaName: string) {
  await fireEvent.click(screen.getByRole("button", { name: new RegExp(personaName) }));
  await waitFor(() => expect(byId("persona-name").textContent).toBe(personaName));
  await screen.findAllByTestId("history-item").catch(() => null);
}

describe("Datasets", () => {
  it("switching the dataset reloads the header counts, the catalog and the personas", async () => {
    const fake = new FakeLibrary();
    fake.addMovieLens();
    const { calls } = libraryBackend({}, fake);
    await start();
    expect(byId("dataset-summary").textContent?.trim()).toBe("5 titles · 2 viewers · 3 events");
    await pick("Reality TV fan");

    const panel = await openDatasets();
    const rows = within(panel).getAllByTestId("dataset-item");
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining("Demo catalog"),
      expect.stringContaining("ml-small"),
    ]);
    expect(within(rows[0]!).getByTestId("dataset-active")).toBeTruthy();
    expect(rows[1]!.textContent).toContain("5 titles · 3 viewers · 6 events");
    expect(rows[1]!.textContent).toContain(ML_PATH);
    const before = calls.length;
    await fireEvent.click(within(rows[1]!).getByTestId("dataset-use"));

    await waitFor(() =>
      expect(byId("dataset-summary").textContent?.trim()).toBe("5 titles · 3 viewers · 6 events"),
    );
    expect(byId("active-dataset").textContent).toBe("ml-small");
    await waitFor(() => expect(all("catalog-item")).toHaveLength(5));
    expect(screen.getByText("Toy Story (1995)")).toBeTruthy();
    // The demo's personas (and the selected one) belong to the other dataset.
    await waitFor(() => expect(names()).toEqual([]));
    expect(screen.queryByTestId("persona-detail")).toBeNull();
    expect(screen.getByText(/No personas on this dataset yet/)).toBeTruthy();
    const after = calls.slice(before).map((c) => c.command);
    expect(after[0]).toBe("set_active_dataset");
    for (const command of ["catalog_info", "search_catalog", "list_personas", "list_sessions"]) {
      expect(after).toContain(command);
    }
    const marked = within(await screen.findByTestId("datasets-panel")).getAllByTestId(
      "dataset-item",
    );
    expect(within(marked[1]!).getByTestId("dataset-active")).toBeTruthy();
    expect(within(marked[0]!).getByTestId("dataset-use")).toBeTruthy();
  });

  it("an import shows its progress with the button disabled, then the report and the new counts", async () => {
    const gate = deferred<void>();
    const fake = new FakeLibrary();
    fake.importGate = gate.promise;
    libraryBackend({}, fake);
    await start();
    await openDatasets();
    expect((byId("import-start") as HTMLButtonElement).disabled).toBe(true);
    await type("import-path", ML_PATH);
    await fireEvent.change(byId("import-format"), { target: { value: "movielens" } });
    expect((byId("import-activate") as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(byId("import-start"));

    const progress = await screen.findByTestId("import-progress");
    await waitFor(() => expect(progress.textContent).toContain("ratings.csv"));
    expect(byId("import-stage").textContent).toBe("Step 1 of 3 · Reading");
    expect(byId("import-percent").textContent).toBe("50%");
    expect(progress.textContent).toContain("72 B of 144 B");
    expect(within(progress).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("50");
    expect((byId("import-start") as HTMLButtonElement).disabled).toBe(true);
    expect((byId("import-path") as HTMLInputElement).disabled).toBe(true);

    gate.resolve();
    const report = await screen.findByTestId("import-report");
    expect(report.textContent).toContain("Imported ml-small: 5 titles · 3 viewers · 6 events");
    expect(report.textContent).toContain("now active");
    expect(byId("import-warnings").textContent).toContain("1 tag row names an unknown movie");
    expect(screen.queryByTestId("import-progress")).toBeNull();
    await waitFor(() =>
      expect(byId("dataset-summary").textContent?.trim()).toBe("5 titles · 3 viewers · 6 events"),
    );
    await waitFor(() => expect(all("dataset-item")).toHaveLength(2));
    expect(byId("active-dataset").textContent).toBe("ml-small");
  });

  it("an import error is shown as the backend wrote it, and changes nothing", async () => {
    const { calls } = libraryBackend();
    await start();
    await openDatasets();
    await type("import-path", BAD_PATH);
    await fireEvent.click(byId("import-start"));
    const form = byId("dataset-import");
    const error = await within(form).findByTestId("app-error");
    expect(error.textContent).toContain(BAD_MESSAGE);
    expect(error.textContent).toContain("invalid_input");
    expect(screen.queryByTestId("import-report")).toBeNull();
    expect((byId("import-start") as HTMLButtonElement).disabled).toBe(false);
    expect(all("dataset-item")).toHaveLength(1);
    expect(calls.filter((c) => c.command === "set_active_dataset")).toHaveLength(0);
  });

  it("Browse… fills the path from the folder dialog; cancelling it keeps what was typed", async () => {
    let answer: string | null = "/home/ed/ml-latest-small";
    const { calls } = libraryBackend({ "plugin:dialog|open": () => answer });
    await start();
    await openDatasets();
    await fireEvent.click(byId("import-path-browse"));
    await waitFor(() =>
      expect((byId("import-path") as HTMLInputElement).value).toBe("/home/ed/ml-latest-small"),
    );
    expect(calls.find((c) => c.command === "plugin:dialog|open")?.args).toMatchObject({
      options: { directory: true, multiple: false },
    });
    answer = null;
    await fireEvent.click(byId("import-path-browse"));
    await waitFor(() =>
      expect(calls.filter((c) => c.command === "plugin:dialog|open")).toHaveLength(2),
    );
    expect((byId("import-path") as HTMLInputElement).value).toBe("/home/ed/ml-latest-small");
  });

  it("when the data is held elsewhere, one banner says so and no pane shows an error", async () => {
    const message =
      "another Screening Room window is using /data/screening.db; close it (or set SCREENING_DATA_DIR to another folder) and try again";
    const unavailable = () => {
      throw { code: "unavailable", message };
    };
    libraryBackend({
      list_personas: unavailable,
      search_catalog: unavailable,
      catalog_info: unavailable,
      list_datasets: unavailable,
    });
    render(App);
    const banner = await screen.findByTestId("app-unavailable");
    expect(byId("app-unavailable-message").textContent).toBe(message);
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    expect(screen.queryByTestId("app-error")).toBeNull();
    expect(screen.queryByTestId("persona-list")).toBeNull();
    expect(screen.queryByTestId("dataset-summary")).toBeNull();
    expect(banner.textContent).toContain("cannot use its data");
  });
});

describe("Persona editor", () => {
  it("a new persona: two titles added, one time changed, saved and selected", async () => {
    const { calls } = libraryBackend();
    await start();
    await fireEvent.click(byId("persona-new"));
    const editor = await screen.findByTestId("persona-editor");
    expect(editor.textContent).toContain("New persona");
    expect(byId("editor-empty")).toBeTruthy();
    await type("persona-name-input", "Weekend documentaries");
    await type("persona-tags-input", "documentary, weekends");

    await type("editor-search", "planet");
    await waitFor(() => expect(all("editor-result")).toHaveLength(1));
    await fireEvent.click(byId("editor-add"));
    await type("editor-search", "");
    await fireEvent.change(byId("editor-search-type"), { target: { value: "film" } });
    await waitFor(() => expect(all("editor-result").map((r) => r.dataset.itemId)).toEqual(["i3"]));
    await fireEvent.click(byId("editor-add"));
    expect(all("editor-row")).toHaveLength(2);
    expect(byId("editor-count").textContent).toContain("2 plays");

    // The planet documentary: watched on 5 March 2024 at 21:45 local time.
    const planet = all("editor-row").find((r) => r.dataset.itemId === "i2")!;
    await fireEvent.change(within(planet).getByTestId("editor-time"), {
      target: { value: "2024-03-05T21:45" },
    });
    // Newest first: the film (added now), then the documentary.
    expect(all("editor-row").map((r) => r.dataset.itemId)).toEqual(["i3", "i2"]);
    expect(
      (within(all("editor-row")[1]!).getByTestId("editor-time") as HTMLInputElement).value,
    ).toBe("2024-03-05T21:45");

    await fireEvent.click(byId("persona-save"));
    await waitFor(() => expect(screen.queryByTestId("persona-editor")).toBeNull());
    const saved = calls.find((c) => c.command === "save_persona")!.args.persona as Persona;
    expect(saved.id).toBe("");
    expect(saved.name).toBe("Weekend documentaries");
    expect(saved.tags).toEqual(["documentary", "weekends"]);
    expect(saved.history.map((h) => h.item_id)).toEqual(["i2", "i3"]);
    expect(saved.history[0]!.timestamp).toBe(new Date(2024, 2, 5, 21, 45).getTime() / 1000);
    expect(byId("persona-name").textContent).toBe("Weekend documentaries");
    await waitFor(() => expect(names()).toContain("Weekend documentaries"));
    const card = all("persona-item").find((c) => c.dataset.personaId === "weekend-documentaries")!;
    expect(card.getAttribute("aria-pressed")).toBe("true");
    expect(card.textContent).toContain("2 plays");
    expect(all("history-item")).toHaveLength(2);
  });

  it("editing shows the history newest first; removing a title and saving updates it", async () => {
    const { calls } = libraryBackend();
    await start();
    await pick("Reality TV fan");
    await fireEvent.click(byId("persona-edit"));
    const editor = await screen.findByTestId("persona-editor");
    expect(within(editor).getByRole("heading", { level: 2 }).textContent).toContain(
      "Edit “Reality TV fan”",
    );
    expect((byId("persona-name-input") as HTMLInputElement).value).toBe("Reality TV fan");
    expect(all("editor-row").map((r) => r.dataset.itemId)).toEqual(["i3", "i1"]);
    await fireEvent.click(within(all("editor-row")[0]!).getByTestId("editor-remove"));
    await fireEvent.click(byId("persona-save"));
    await waitFor(() => expect(screen.queryByTestId("persona-editor")).toBeNull());
    expect(
      (calls.find((c) => c.command === "save_persona")!.args.persona as Persona).history,
    ).toEqual([{ item_id: "i1", timestamp: T0, event_type: "watch" }]);
    await waitFor(() => expect(all("history-item")).toHaveLength(1));
  });

  it("shows the backend's refusal next to the form, and Save is disabled while saving", async () => {
    const answer = deferred<unknown>();
    let fail = true;
    const fake = new FakeLibrary();
    const save = fake.handlers().save_persona!;
    libraryBackend(
      {
        save_persona: (args) => {
          if (fail)
            throw { code: "invalid_input", message: 'field "name": give the persona a name' };
          return answer.promise.then(() => save(args));
        },
      },
      fake,
    );
    await start();
    await fireEvent.click(byId("persona-new"));
    await screen.findByTestId("persona-editor");
    await fireEvent.click(byId("persona-save"));
    const error = await screen.findByTestId("persona-save-error");
    expect(error.textContent).toContain('field "name": give the persona a name');
    expect(screen.getByTestId("persona-editor")).toBeTruthy();

    fail = false;
    await type("persona-name-input", "Quiet evenings");
    await fireEvent.click(byId("persona-save"));
    await waitFor(() => expect((byId("persona-save") as HTMLButtonElement).disabled).toBe(true));
    expect(screen.queryByTestId("persona-save-error")).toBeNull();
    answer.resolve(undefined);
    await waitFor(() => expect(screen.queryByTestId("persona-editor")).toBeNull());
    expect(byId("persona-name").textContent).toBe("Quiet evenings");
  });

  it("picking another persona keeps the editor open, but closes the other forms", async () => {
    libraryBackend();
    await start();
    await fireEvent.click(byId("persona-new"));
    await fireEvent.click(screen.getByRole("button", { name: /New viewer/ }));
    expect(screen.getByTestId("persona-editor")).toBeTruthy();
    await fireEvent.click(byId("persona-cancel"));
    await fireEvent.click(byId("persona-import-open"));
    expect(screen.getByTestId("persona-import")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: /Reality TV fan/ }));
    expect(screen.queryByTestId("persona-import")).toBeNull();
    await waitFor(() => expect(byId("persona-name").textContent).toBe("Reality TV fan"));
  });

  it("Cancel drops the changes", async () => {
    const { calls } = libraryBackend();
    await start();
    await pick("Reality TV fan");
    await fireEvent.click(byId("persona-edit"));
    await type("persona-name-input", "Renamed");
    await fireEvent.click(byId("persona-cancel"));
    expect(screen.queryByTestId("persona-editor")).toBeNull();
    expect(byId("persona-name").textContent).toBe("Reality TV fan");
    expect(calls.some((c) => c.command === "save_persona")).toBe(false);
  });
});

describe("Persona actions", () => {
  it("a locked persona says which session uses it; Edit and Delete are off, Duplicate works", async () => {
    const fake = new FakeLibrary();
    fake.lock("reality-fan", "Release v3 vs v2");
    libraryBackend({}, fake);
    await start();
    const card = all("persona-item").find((c) => c.dataset.personaId === "reality-fan")!;
    expect(within(card).getByTestId("persona-lock").getAttribute("title")).toBe(
      "Used by session “Release v3 vs v2”",
    );
    await pick("Reality TV fan");
    expect(byId("persona-locked").textContent).toContain("Used by session “Release v3 vs v2”");
    const edit = byId("persona-edit") as HTMLButtonElement;
    const remove = byId("persona-delete") as HTMLButtonElement;
    expect(edit.disabled).toBe(true);
    expect(remove.disabled).toBe(true);
    expect(edit.title).toMatch(/Duplicate it/);
    expect(remove.title).toMatch(/Duplicate it/);
    expect((byId("persona-duplicate") as HTMLButtonElement).disabled).toBe(false);

    await fireEvent.click(byId("persona-duplicate"));
    await waitFor(() => expect(byId("persona-name").textContent).toBe("Reality TV fan (copy)"));
    await waitFor(() => expect((byId("persona-edit") as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId("persona-locked")).toBeNull();
    expect(names()).toContain("Reality TV fan (copy)");
  });

  it("delete asks first; cancelling keeps the persona, confirming removes it", async () => {
    const { calls } = libraryBackend();
    await start();
    await pick("New viewer");
    await fireEvent.click(byId("persona-delete"));
    expect(screen.getByRole("alertdialog").textContent).toContain("Delete “New viewer”?");
    await fireEvent.click(byId("persona-delete-cancel"));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls.some((c) => c.command === "delete_persona")).toBe(false);

    await fireEvent.click(byId("persona-delete"));
    await fireEvent.click(byId("persona-delete-confirm"));
    await waitFor(() => expect(names()).toEqual(["Reality TV fan"]));
    expect(calls.find((c) => c.command === "delete_persona")?.args).toEqual({ id: "new-viewer" });
    expect(screen.queryByTestId("persona-detail")).toBeNull();
  });

  it("from a real user: search, pick, name, create; the new persona is selected", async () => {
    const fake = new FakeLibrary();
    fake.addMovieLens();
    fake.activeId = "ml";
    const { calls } = libraryBackend({}, fake);
    render(App);
    await waitFor(() => expect(byId("active-dataset").textContent).toBe("ml-small"));
    await fireEvent.click(byId("persona-from-user"));
    const panel = await screen.findByTestId("from-user");
    expect(panel.textContent).toContain("ml-small");
    await waitFor(() => expect(all("user-row")).toHaveLength(3));
    expect((byId("from-user-create") as HTMLButtonElement).disabled).toBe(true);
    const first = all("user-row")[0]!;
    expect(first.textContent).toContain("30 Jul 2000");

    await type("user-search", "3");
    await waitFor(() => expect(all("user-row").map((r) => r.dataset.userId)).toEqual(["3"]));
    await fireEvent.click(all("user-row")[0]!);
    expect((byId("from-user-name") as HTMLInputElement).placeholder).toBe("User 3");
    await type("from-user-name", "Late-night sci-fi");
    await fireEvent.click(byId("from-user-create"));
    await waitFor(() => expect(byId("persona-name").textContent).toBe("Late-night sci-fi"));
    expect(screen.queryByTestId("from-user")).toBeNull();
    expect(calls.find((c) => c.command === "persona_from_user")?.args).toEqual({
      request: { user_id: "3", name: "Late-night sci-fi" },
    });
    await waitFor(() => expect(names()).toEqual(["Late-night sci-fi"]));
    expect(all("history-item")).toHaveLength(2);
  });

  it("export says how many went where; import says what it added, updated and left", async () => {
    const { fake, calls } = libraryBackend({
      "plugin:dialog|save": () => "/home/ed/personas.json",
    });
    await start();
    await fireEvent.click(byId("persona-export-open"));
    await screen.findByTestId("persona-export");
    expect((byId("persona-export-run") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(byId("persona-export-path-browse"));
    await waitFor(() =>
      expect((byId("persona-export-path") as HTMLInputElement).value).toBe(
        "/home/ed/personas.json",
      ),
    );
    expect(calls.find((c) => c.command === "plugin:dialog|save")?.args).toMatchObject({
      options: { defaultPath: "personas.json" },
    });
    await fireEvent.click(byId("persona-export-run"));
    expect((await screen.findByTestId("persona-export-result")).textContent?.trim()).toBe(
      "Exported 2 personas to /home/ed/personas.json",
    );

    // The file back in, with one persona renamed and one new.
    const file = JSON.parse(fake.files.get("/home/ed/personas.json")!) as { personas: Persona[] };
    const newViewer = file.personas.find((p) => p.id === "new-viewer")!;
    newViewer.name = "New viewer (renamed)";
    file.personas.push({ ...newViewer, id: "second-fan", name: "Second fan" });
    fake.files.set("/tmp/back.json", JSON.stringify(file));
    await fireEvent.click(byId("persona-import-open"));
    await type("persona-import-path", "/tmp/back.json");
    await fireEvent.click(byId("persona-import-run"));
    expect((await screen.findByTestId("persona-import-result")).textContent?.trim()).toBe(
      "Added 1 (Second fan) · updated 1 (New viewer (renamed)) · unchanged 1 (Reality TV fan)",
    );
    await waitFor(() => expect(names()).toContain("Second fan"));

    await type("persona-import-path", "/tmp/missing.json");
    await fireEvent.click(byId("persona-import-run"));
    const error = await within(byId("persona-import")).findByTestId("app-error");
    expect(error.textContent).toContain(
      "cannot read /tmp/missing.json: No such file or directory (os error 2)",
    );
    expect(screen.queryByTestId("persona-import-result")).toBeNull();
  });
});
