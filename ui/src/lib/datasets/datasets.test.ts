import { afterEach, describe, expect, it, vi } from "vitest";

import type { DatasetInfo, ImportRequest } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { BAD_MESSAGE, BAD_PATH, ML_PATH, libraryBackend } from "../testing/libraryBackend";
import { DatasetImport, DatasetsState, formatLabel } from "./datasets.svelte";

afterEach(clearBackend);

describe("formatLabel", () => {
  it("names the formats as the import form does", () => {
    expect(formatLabel("demo")).toBe("Built in");
    expect(formatLabel("personalize")).toBe("Personalize CSV");
    expect(formatLabel("movielens")).toBe("MovieLens");
    expect(formatLabel("parquet")).toBe("parquet");
  });
});

describe("DatasetsState", () => {
  it("lists the datasets with the active one", async () => {
    const { fake } = libraryBackend();
    fake.addMovieLens();
    const datasets = new DatasetsState();
    await datasets.load();
    expect(datasets.list.map((d) => [d.name, d.active])).toEqual([
      ["Demo catalog", true],
      ["ml-small", false],
    ]);
    expect(datasets.active?.id).toBe("demo");
  });

  it("switching makes the dataset active, then reloads the dependants", async () => {
    const { calls, fake } = libraryBackend();
    fake.addMovieLens();
    const seen: string[] = [];
    const datasets = new DatasetsState({
      onActiveChange: (d) => {
        // The list already says which is active when the dependants reload.
        seen.push(`${d.id} (list: ${datasets.active?.id})`);
      },
    });
    await datasets.load();
    expect(await datasets.use("ml")).toBe(true);
    expect(calls.find((c) => c.command === "set_active_dataset")?.args).toEqual({ id: "ml" });
    expect(seen).toEqual(["ml (list: ml)"]);
    expect(fake.activeId).toBe("ml");
    expect(datasets.switching).toBeNull();
    // Using the active one again does nothing.
    expect(await datasets.use("ml")).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("a failed switch keeps the active dataset and says why", async () => {
    libraryBackend({
      set_active_dataset: () => {
        throw {
          code: "unavailable",
          message: 'the dataset "ml-small" cannot be read from its copy in /data/catalogs/ml',
        };
      },
    });
    const onActiveChange = vi.fn();
    const datasets = new DatasetsState({ onActiveChange });
    await datasets.load();
    expect(await datasets.use("ml")).toBe(false);
    expect(datasets.switchError?.message).toMatch(/cannot be read from its copy/);
    expect(datasets.active?.id).toBe("demo");
    expect(onActiveChange).not.toHaveBeenCalled();
  });
});

describe("DatasetImport", () => {
  it("sends the form as an import request", async () => {
    const { calls } = libraryBackend();
    const form = new DatasetImport();
    expect(form.ready).toBe(false);
    form.path = ` ${ML_PATH} `;
    form.format = "movielens";
    form.name = "  ";
    form.strict = true;
    form.activate = false;
    await form.run();
    const request: ImportRequest = {
      path: ML_PATH,
      format: "movielens",
      name: null,
      strict: true,
      activate: false,
    };
    expect(calls.find((c) => c.command === "import_dataset")?.args).toMatchObject({ request });
  });

  it("detects the format and names the dataset after its folder unless told", async () => {
    const { calls } = libraryBackend();
    const form = new DatasetImport();
    form.path = ML_PATH;
    form.name = " MovieLens small ";
    await form.run();
    expect(calls.find((c) => c.command === "import_dataset")?.args).toMatchObject({
      request: {
        path: ML_PATH,
        format: null,
        name: "MovieLens small",
        strict: false,
        activate: true,
      },
    });
    expect(form.name).toBe(""); // cleared for the next import
    expect(form.report?.dataset.name).toBe("MovieLens small");
  });

  it("follows the progress the backend sends, then shows the report", async () => {
    const gate = deferred<void>();
    const { fake } = libraryBackend();
    fake.importGate = gate.promise;
    const form = new DatasetImport();
    form.path = ML_PATH;
    expect(form.stageLabel).toBe("Starting…");
    const running = form.run();
    expect(form.running).toBe(true);
    expect(form.ready).toBe(false);
    await vi.waitFor(() => expect(form.progress?.file).toBe("ratings.csv"));
    expect(form.progress).toEqual({ stage: "reading", file: "ratings.csv", done: 72, total: 144 });
    expect(form.percent).toBe(50);
    expect(form.stageLabel).toBe("Step 1 of 3 · Reading");
    gate.resolve();
    const report = await running;
    expect(fake.progress.map((p) => p.stage)).toEqual([
      "reading",
      "reading",
      "reading",
      "copying",
      "saving",
    ]);
    expect(form.running).toBe(false);
    expect(form.progress).toBeNull();
    expect(report?.dataset).toMatchObject({ name: "ml-small", items: 5, users: 3, active: true });
    expect(form.report?.warnings).toEqual(["1 tag row names an unknown movie (dropped)"]);
    expect(form.error).toBeNull();
  });

  it("keeps the error message as it is (file, line, column) and clears the last report", async () => {
    libraryBackend();
    const form = new DatasetImport();
    form.path = ML_PATH;
    await form.run();
    expect(form.report).not.toBeNull();
    form.path = BAD_PATH;
    expect(await form.run()).toBeNull();
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toBe(BAD_MESSAGE);
    expect(form.report).toBeNull();
    expect(form.running).toBe(false);
  });
});

describe("DatasetsState.runImport", () => {
  it("reloads the list and the dependants when the new dataset became active", async () => {
    const { calls } = libraryBackend();
    const changes: DatasetInfo[] = [];
    const datasets = new DatasetsState({ onActiveChange: (d) => void changes.push(d) });
    await datasets.load();
    datasets.importer.path = ML_PATH;
    await datasets.runImport();
    expect(datasets.list.map((d) => d.name)).toEqual(["Demo catalog", "ml-small"]);
    expect(datasets.active?.name).toBe("ml-small");
    expect(changes.map((d) => d.name)).toEqual(["ml-small"]);
    expect(calls.filter((c) => c.command === "list_datasets")).toHaveLength(2);
  });

  it("only reloads the list when the import was not made active", async () => {
    libraryBackend();
    const onActiveChange = vi.fn();
    const datasets = new DatasetsState({ onActiveChange });
    await datasets.load();
    datasets.importer.path = ML_PATH;
    datasets.importer.activate = false;
    await datasets.runImport();
    expect(datasets.list).toHaveLength(2);
    expect(datasets.active?.id).toBe("demo");
    expect(onActiveChange).not.toHaveBeenCalled();
  });
});
