import { fireEvent, render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { describe, expect, it, vi } from "vitest";

import { deferred } from "../testing/async";
import FileTransferForm from "./FileTransferForm.svelte";
import { FileExport, FileImport, type ImportOutcome } from "./transfer.svelte";

const byId = (id: string) => screen.getByTestId(id);
const lead = createRawSnippet(() => ({ render: () => "<span>What it does.</span>" }));

function show(form: FileExport<never> | FileImport<ImportOutcome>, testid: string) {
  const onclose = vi.fn();
  render(FileTransferForm, {
    props: {
      form,
      testid,
      noun: "thing",
      title: "Move things",
      lead,
      placeholder: "/path/to/things.toml",
      browse: () => Promise.resolve(null),
      errorTitle: "Could not move the things",
      onrun: () => void form.run(),
      onclose,
    },
  });
  return { onclose };
}

describe("FileTransferForm", () => {
  it("exports: the path's test ids follow the form's, then says what it wrote", async () => {
    const written = deferred<number>();
    const form = new FileExport("export_things", () => written.promise);
    const { onclose } = show(form, "thing-export");
    expect(byId("thing-export").textContent).toContain("What it does.");
    expect(screen.getByRole("textbox", { name: "File to write" })).toBe(byId("thing-export-path"));
    expect(byId("thing-export-path-browse")).toBeTruthy();
    const run = byId("thing-export-run") as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    expect(run.textContent?.trim()).toBe("Export");

    await fireEvent.input(byId("thing-export-path"), { target: { value: "/tmp/t.toml" } });
    expect(run.disabled).toBe(false);
    await fireEvent.click(run);
    expect(run.textContent?.trim()).toBe("Exporting…");
    expect(run.disabled).toBe(true);
    written.resolve(3);
    expect((await screen.findByTestId("thing-export-result")).textContent).toBe(
      "Exported 3 things to /tmp/t.toml",
    );
    expect(run.textContent?.trim()).toBe("Export");

    await fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it("imports: says what the file did, or shows the refusal instead", async () => {
    let refuse = false;
    const form = new FileImport<ImportOutcome>("import_things", () =>
      refuse
        ? Promise.reject({ code: "invalid_input", message: "line 2: bad" })
        : Promise.resolve({ added: ["A"], updated: [], unchanged: [] }),
    );
    show(form, "thing-import");
    expect(byId("thing-import-run").textContent?.trim()).toBe("Import");
    await fireEvent.input(byId("thing-import-path"), { target: { value: "/tmp/t.toml" } });
    await fireEvent.click(byId("thing-import-run"));
    expect((await screen.findByTestId("thing-import-result")).textContent).toBe(
      "Added 1 (A) · updated 0 · unchanged 0",
    );

    refuse = true;
    await fireEvent.click(byId("thing-import-run"));
    const error = await screen.findByTestId("app-error");
    expect(error.textContent).toContain("Could not move the things");
    expect(error.textContent).toContain("line 2: bad");
    expect(screen.queryByTestId("thing-import-result")).toBeNull();
  });
});
