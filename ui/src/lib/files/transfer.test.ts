import { describe, expect, it, vi } from "vitest";

import { deferred } from "../testing/async";
import {
  FileExport,
  FileImport,
  describeExport,
  describeImport,
  type ImportOutcome,
} from "./transfer.svelte";

const REPORT: ImportOutcome = { added: ["A"], updated: [], unchanged: ["B"] };

describe("describeExport", () => {
  it("counts what was written and names the file", () => {
    expect(describeExport({ count: 1, path: "/tmp/c.toml" }, "candidate")).toBe(
      "Exported 1 candidate to /tmp/c.toml",
    );
    expect(describeExport({ count: 3, path: "/tmp/p.json" }, "persona")).toBe(
      "Exported 3 personas to /tmp/p.json",
    );
  });
});

describe("describeImport", () => {
  it("counts each outcome and names the personas", () => {
    expect(describeImport({ added: ["A", "B"], updated: ["C"], unchanged: [] })).toBe(
      "Added 2 (A, B) · updated 1 (C) · unchanged 0",
    );
  });
});

describe("FileExport", () => {
  it("does nothing without a path", async () => {
    const write = vi.fn(() => Promise.resolve(1));
    const form = new FileExport("export_things", write);
    form.path = "  ";
    expect(await form.run()).toBe(false);
    expect(write).not.toHaveBeenCalled();
    expect(form.error).toBeNull();
  });

  it("writes to the trimmed path and keeps what it wrote", async () => {
    const write = vi.fn((_path: string) => Promise.resolve(4));
    const form = new FileExport("export_things", write);
    form.path = " /tmp/things.toml ";
    expect(await form.run()).toBe(true);
    expect(write).toHaveBeenCalledWith("/tmp/things.toml");
    expect(form.written).toEqual({ count: 4, path: "/tmp/things.toml" });
    expect(form.error).toBeNull();
  });

  it("hands what a run takes besides the path to the write", async () => {
    const write = vi.fn((_path: string, _ids: string[] | null) => Promise.resolve(1));
    const form = new FileExport<[ids: string[] | null]>("export_things", write);
    form.path = "/tmp/one.json";
    expect(await form.run(["p1"])).toBe(true);
    expect(write).toHaveBeenCalledWith("/tmp/one.json", ["p1"]);
  });

  it("is running until the write answers, and runs once at a time", async () => {
    const answer = deferred<number>();
    const write = vi.fn(() => answer.promise);
    const form = new FileExport("export_things", write);
    form.path = "/tmp/things.toml";
    const first = form.run();
    expect(form.running).toBe(true);
    expect(await form.run()).toBe(false);
    expect(write).toHaveBeenCalledTimes(1);
    answer.resolve(2);
    expect(await first).toBe(true);
    expect(form.running).toBe(false);
  });

  it("keeps the backend's refusal, named after the command, and drops the last outcome", async () => {
    let refuse = false;
    const form = new FileExport("export_things", () =>
      refuse
        ? Promise.reject({ code: "internal", message: "cannot write /tmp/: Is a directory" })
        : Promise.resolve(2),
    );
    form.path = "/tmp/things.toml";
    expect(await form.run()).toBe(true);
    refuse = true;
    form.path = "/tmp/";
    expect(await form.run()).toBe(false);
    expect(form.error?.code).toBe("internal");
    expect(form.error?.message).toBe("cannot write /tmp/: Is a directory");
    expect(form.error?.command).toBe("export_things");
    expect(form.written).toBeNull();
    expect(form.running).toBe(false);
  });
});

describe("FileImport", () => {
  it("does nothing without a path", async () => {
    const read = vi.fn(() => Promise.resolve(REPORT));
    const form = new FileImport("import_things", read);
    expect(await form.run()).toBeNull();
    expect(read).not.toHaveBeenCalled();
  });

  it("reads the trimmed path and keeps the report", async () => {
    const read = vi.fn((_path: string) => Promise.resolve(REPORT));
    const form = new FileImport("import_things", read);
    form.path = " /tmp/things.toml\n";
    expect(await form.run()).toEqual(REPORT);
    expect(read).toHaveBeenCalledWith("/tmp/things.toml");
    expect(form.report).toEqual(REPORT);
    expect(form.error).toBeNull();
  });

  it("is running until the read answers, and runs once at a time", async () => {
    const answer = deferred<ImportOutcome>();
    const read = vi.fn(() => answer.promise);
    const form = new FileImport("import_things", read);
    form.path = "/tmp/things.toml";
    const first = form.run();
    expect(form.running).toBe(true);
    expect(await form.run()).toBeNull();
    expect(read).toHaveBeenCalledTimes(1);
    answer.resolve(REPORT);
    expect(await first).toEqual(REPORT);
    expect(form.running).toBe(false);
  });

  it("keeps the backend's refusal, named after the command, and drops the last report", async () => {
    let refuse = false;
    const form = new FileImport("import_things", () =>
      refuse
        ? Promise.reject({ code: "invalid_input", message: "/tmp/bad.toml: line 3: expected `=`" })
        : Promise.resolve(REPORT),
    );
    form.path = "/tmp/things.toml";
    expect(await form.run()).toEqual(REPORT);
    refuse = true;
    form.path = "/tmp/bad.toml";
    expect(await form.run()).toBeNull();
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toBe("/tmp/bad.toml: line 3: expected `=`");
    expect(form.error?.command).toBe("import_things");
    expect(form.report).toBeNull();
    expect(form.running).toBe(false);
  });
});
