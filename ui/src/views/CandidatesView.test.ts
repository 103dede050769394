import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import App from "../App.svelte";
import { clearBackend } from "../lib/ipc/mock";
import { deferred } from "../lib/testing/async";
import {
  DEAD_URL,
  PERSONALIZE,
  TWO_TOWER,
  candidatesBackend,
} from "../lib/testing/candidatesBackend";
import { all } from "../lib/testing/dom";

afterEach(clearBackend);
beforeEach(() => localStorage.clear());

const byId = (id: string) => screen.getByTestId(id);
const type = (id: string, value: string, root: HTMLElement = document.body) =>
  fireEvent.input(within(root).getByTestId(id), { target: { value } });

/** Renders the app and opens the Candidates tab. */
async function openCandidates() {
  render(App);
  await screen.findAllByTestId("persona-item");
  await fireEvent.click(byId("nav-candidates"));
  await waitFor(() => expect(all("candidate-item").length).toBeGreaterThan(0));
}

function row(name: string): HTMLElement {
  const found = all("candidate-item").find(
    (r) => within(r).getByTestId("candidate-item-name").textContent === name,
  );
  if (!found) throw new Error(`no candidate row ${name}`);
  return found;
}

const names = () => all("candidate-item-name").map((n) => n.textContent);

/** The candidates the new-session form offers, by id. */
async function offered(): Promise<string[]> {
  await fireEvent.click(byId("nav-review"));
  await fireEvent.click(await screen.findByTestId("session-new"));
  await screen.findByTestId("new-session");
  return all("session-candidate").map((b) => (b as HTMLInputElement).value);
}

function pickKind(kind: string) {
  const radio = all("candidate-kind").find((r) => (r as HTMLInputElement).value === kind);
  return fireEvent.click(radio!);
}

describe("Candidates tab", () => {
  it("lists every candidate with its kind and what it asks; archived ones on request", async () => {
    candidatesBackend();
    await openCandidates();
    expect(byId("nav-candidates").getAttribute("aria-current")).toBe("page");
    expect(names()).toEqual([
      "Popularity",
      "Trending (30 days)",
      "Item-kNN",
      "EASE",
      "Content (TF-IDF)",
      "Random (control)",
      "Two-tower v3",
    ]);
    const ease = row("EASE");
    expect(ease.textContent).toContain("Built-in");
    expect(within(ease).getByTestId("candidate-item-summary").textContent?.trim()).toBe("ease");
    expect(within(ease).getByTestId("candidate-builtin")).toBeTruthy();
    const http = row("Two-tower v3");
    expect(http.textContent).toContain("HTTP");
    expect(within(http).getByTestId("candidate-item-summary").textContent?.trim()).toBe(
      "http://127.0.0.1:8080/recommend",
    );
    expect(within(http).queryByTestId("candidate-builtin")).toBeNull();
    expect(screen.getByText("Open a candidate to change it, or add one.")).toBeTruthy();

    await fireEvent.click(byId("candidate-show-archived"));
    await waitFor(() => expect(names()).toContain("Personalize UP v2"));
    const archived = row("Personalize UP v2");
    expect(archived.dataset.archived).toBe("true");
    expect(within(archived).getByTestId("candidate-archived")).toBeTruthy();
    expect(within(archived).getByTestId("candidate-item-summary").textContent).toContain(
      "campaign/up-v2 · eu-west-1",
    );
    expect(within(archived).getByTestId("candidate-restore")).toBeTruthy();
  });

  it("a new HTTP candidate: Test connection shows the titles, Save lists it, new sessions offer it", async () => {
    const answer = deferred<void>();
    const { calls, fake } = candidatesBackend({
      test_candidate: (args) => answer.promise.then(() => fake.handlers().test_candidate!(args)),
    });
    await openCandidates();
    await fireEvent.click(byId("candidate-add"));
    const editor = await screen.findByTestId("candidate-editor");
    expect(editor.textContent).toContain("New candidate");
    expect(
      (all("candidate-kind").find((r) => (r as HTMLInputElement).checked) as HTMLInputElement)
        .value,
    ).toBe("http");
    expect((byId("candidate-timeout") as HTMLInputElement).value).toBe("5000");
    await type("candidate-name", "kNN endpoint");
    await type("candidate-url", "http://127.0.0.1:8080/recommend/item-knn");
    await fireEvent.click(byId("candidate-header-add"));
    await type("candidate-header-name", "X-Team");
    await type("candidate-header-value", "editorial");

    await fireEvent.click(byId("candidate-test"));
    expect(byId("candidate-test").textContent).toContain("Testing…");
    expect(byId("candidate-test").hasAttribute("disabled")).toBe(true);
    answer.resolve();
    const result = await screen.findByTestId("candidate-test-result");
    expect(result.dataset.ok).toBe("true");
    expect(within(result).getByTestId("candidate-test-outcome").textContent).toContain(
      "Answered: 10 items",
    );
    expect(result.textContent).toContain("23 ms");
    expect(result.textContent).toContain("for Reality TV fan");
    expect(all("candidate-test-title", result).map((t) => t.textContent)).toEqual([
      "Love Villa",
      "Bake Off Brussels",
      "Cold Case North",
      "Wild Alps",
      "Date Night Live",
    ]);
    expect(result.textContent).toContain("and 5 more items");
    const config = {
      kind: "http",
      name: "kNN endpoint",
      url: "http://127.0.0.1:8080/recommend/item-knn",
      timeout_ms: 5000,
      headers: { "X-Team": "editorial" },
    };
    expect(calls.find((c) => c.command === "test_candidate")?.args).toEqual({ config });

    await type("candidate-timeout", "800");
    expect(byId("candidate-test-stale")).toBeTruthy();

    await fireEvent.click(byId("candidate-save"));
    await screen.findByTestId("candidate-saved");
    expect(calls.find((c) => c.command === "save_candidate")?.args).toEqual({
      id: null,
      config: { ...config, timeout_ms: 800 },
    });
    expect(editor.textContent).toContain("Edit “kNN endpoint”");
    expect((byId("candidate-save") as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(names()).toContain("kNN endpoint"));
    expect(row("kNN endpoint").classList.contains("open")).toBe(true);

    expect(await offered()).toContain("c-1");
  });

  it("the backend's refusal is shown as it is, and the field it names is marked", async () => {
    candidatesBackend();
    await openCandidates();
    await fireEvent.click(byId("candidate-add"));
    await type("candidate-name", "Leaky");
    await type("candidate-url", "http://10.0.0.5/recommend");
    await fireEvent.click(byId("candidate-header-add"));
    await type("candidate-header-name", "Authorization");
    await type("candidate-header-value", "Bearer abc123");
    expect(byId("candidate-header-warning").textContent).toContain("write it as a reference");

    await fireEvent.click(byId("candidate-save"));
    const refusal = await screen.findByTestId("candidate-save-error");
    expect(refusal.textContent).toContain(
      'field "headers": Authorization holds a credential in clear; write it as a reference such as "Bearer ${MY_TOKEN}" and set MY_TOKEN in the environment',
    );
    expect(refusal.textContent).toContain("invalid_input");
    expect(byId("candidate-header-name").getAttribute("aria-invalid")).toBe("true");
    expect(byId("candidate-url").getAttribute("aria-invalid")).toBe("false");
    expect(names()).not.toContain("Leaky");

    await type("candidate-header-value", "Bearer ${LEAKY_TOKEN}");
    expect(screen.queryByTestId("candidate-save-error")).toBeNull();
    expect(screen.queryByTestId("candidate-header-warning")).toBeNull();
    await fireEvent.click(byId("candidate-save"));
    await waitFor(() => expect(names()).toContain("Leaky"));
  });

  it("Test connection on a closed port says why, in the candidate's words", async () => {
    candidatesBackend();
    await openCandidates();
    await fireEvent.click(byId("candidate-add"));
    await type("candidate-name", "Dead");
    await type("candidate-url", DEAD_URL);
    await fireEvent.click(byId("candidate-test"));
    const result = await screen.findByTestId("candidate-test-result");
    expect(result.dataset.ok).toBe("false");
    expect(byId("candidate-test-error").textContent).toBe(
      `cannot connect to ${DEAD_URL}: connection refused`,
    );
    expect(result.textContent).toContain("No list");
    expect(all("candidate-test-title")).toHaveLength(0);
  });

  it("a built-in model spec: the hint lists the models; a bad one is refused naming the field", async () => {
    const { calls } = candidatesBackend();
    await openCandidates();
    await fireEvent.click(byId("candidate-add"));
    await pickKind("builtin");
    expect(screen.queryByTestId("candidate-url")).toBeNull();
    const hint = byId("candidate-model-hint").textContent ?? "";
    for (const model of ["popularity", "trending", "item-knn", "ease", "content", "random"]) {
      expect(hint).toContain(model);
    }
    expect(hint).toContain("neighbours, shrink");
    await type("candidate-name", "kNN 50");
    await type("candidate-model", "knn:neighbours=50");
    await fireEvent.click(byId("candidate-save"));
    expect((await screen.findByTestId("candidate-save-error")).textContent).toContain(
      'field "model": unknown model "knn"',
    );
    expect(byId("candidate-model").getAttribute("aria-invalid")).toBe("true");
    await type("candidate-model", "item-knn:neighbours=50");
    await fireEvent.click(byId("candidate-save"));
    await waitFor(() => expect(names()).toContain("kNN 50"));
    expect(calls.filter((c) => c.command === "save_candidate").at(-1)?.args).toEqual({
      id: null,
      config: { kind: "builtin", name: "kNN 50", model: "item-knn:neighbours=50" },
    });
    expect(row("kNN 50").textContent).toContain("item-knn:neighbours=50");
  });

  it("a Personalize candidate sends what is chosen; replay needs the event tracker", async () => {
    const { calls } = candidatesBackend();
    await openCandidates();
    await fireEvent.click(byId("candidate-add"));
    await pickKind("personalize");
    await type("candidate-name", "Top picks");
    await type("candidate-region", "us-east-1");
    await fireEvent.click(
      all("candidate-arn-kind").find((r) => (r as HTMLInputElement).value === "recommender")!,
    );
    await type("candidate-arn", "arn:aws:personalize:us-east-1:1:recommender/top-picks");
    await type("candidate-filter-arn", "arn:aws:personalize:us-east-1:1:filter/genre");
    await fireEvent.click(byId("candidate-filter-value-add"));
    await type("candidate-filter-value-name", "GENRE");
    await type("candidate-filter-value-value", '"drama"');
    expect(
      (all("candidate-persona").find((r) => (r as HTMLInputElement).checked) as HTMLInputElement)
        .value,
    ).toBe("replay");

    await fireEvent.click(byId("candidate-save"));
    expect((await screen.findByTestId("candidate-save-error")).textContent).toContain(
      'field "event_tracker_id"',
    );
    expect(byId("candidate-event-tracker").getAttribute("aria-invalid")).toBe("true");

    await fireEvent.click(
      all("candidate-persona").find((r) => (r as HTMLInputElement).value === "user_id")!,
    );
    await fireEvent.click(byId("candidate-test"));
    expect((await screen.findByTestId("candidate-test-error")).textContent).toBe(
      "Amazon Personalize candidates are not supported by this version yet",
    );
    await fireEvent.click(byId("candidate-save"));
    await waitFor(() => expect(names()).toContain("Top picks"));
    expect(calls.filter((c) => c.command === "save_candidate").at(-1)?.args).toEqual({
      id: null,
      config: {
        kind: "personalize",
        name: "Top picks",
        region: "us-east-1",
        recommender_arn: "arn:aws:personalize:us-east-1:1:recommender/top-picks",
        filter_arn: "arn:aws:personalize:us-east-1:1:filter/genre",
        filter_values: { GENRE: '"drama"' },
        persona: "user_id",
        timeout_ms: 5000,
      },
    });
  });

  it("editing keeps what the form has no input for", async () => {
    const { calls } = candidatesBackend();
    await openCandidates();
    await fireEvent.click(byId("candidate-show-archived"));
    await waitFor(() => expect(names()).toContain("Personalize UP v2"));
    await fireEvent.click(within(row("Personalize UP v2")).getByTestId("candidate-restore"));
    await waitFor(() => expect(row("Personalize UP v2").dataset.archived).toBe("false"));
    await fireEvent.click(within(row("Personalize UP v2")).getByRole("button", { pressed: false }));
    const editor = await screen.findByTestId("candidate-editor");
    expect(editor.textContent).toContain("Also set in its candidates file");
    expect((byId("candidate-save") as HTMLButtonElement).disabled).toBe(true);
    await type("candidate-timeout", "4000");
    await fireEvent.click(byId("candidate-save"));
    await screen.findByTestId("candidate-saved");
    expect(calls.filter((c) => c.command === "save_candidate").at(-1)?.args).toEqual({
      id: PERSONALIZE.id,
      config: { ...PERSONALIZE.config, timeout_ms: 4000 },
    });
  });

  it("a built-in candidate is read-only; Copy as new opens the form with its model", async () => {
    const { calls } = candidatesBackend();
    await openCandidates();
    await fireEvent.click(within(row("EASE")).getByRole("button", { pressed: false }));
    const view = await screen.findByTestId("candidate-view");
    expect(view.textContent).toContain("It is fixed");
    expect(view.textContent).toContain("ease");
    expect(screen.queryByTestId("candidate-editor")).toBeNull();
    await fireEvent.click(byId("candidate-copy"));
    await screen.findByTestId("candidate-editor");
    expect((byId("candidate-name") as HTMLInputElement).value).toBe("EASE (copy)");
    expect((byId("candidate-model") as HTMLInputElement).value).toBe("ease");
    await type("candidate-model", "ease:lambda=100");
    await fireEvent.click(byId("candidate-save"));
    await waitFor(() => expect(names()).toContain("EASE (copy)"));
    expect(calls.some((c) => c.command === "save_candidate" && c.args.id === "builtin-ease")).toBe(
      false,
    );
  });

  it("archiving takes a candidate out of the new-session form; restoring brings it back", async () => {
    candidatesBackend();
    await openCandidates();
    expect(await offered()).toContain(TWO_TOWER.id);
    // Ticked in a form in progress, then archived: the tick goes too.
    const box = all("session-candidate").find(
      (b) => (b as HTMLInputElement).value === TWO_TOWER.id,
    )!;
    await fireEvent.click(box);
    expect(byId("session-candidate-count").textContent).toContain("1 picked");

    await fireEvent.click(byId("nav-candidates"));
    await waitFor(() => expect(names()).toContain("Two-tower v3"));
    await fireEvent.click(within(row("Two-tower v3")).getByTestId("candidate-archive"));
    await waitFor(() => expect(names()).not.toContain("Two-tower v3"));

    await fireEvent.click(byId("nav-review"));
    await screen.findByTestId("new-session");
    await waitFor(() =>
      expect(all("session-candidate").map((b) => (b as HTMLInputElement).value)).not.toContain(
        TWO_TOWER.id,
      ),
    );
    expect(byId("session-candidate-count").textContent).toContain("0 picked");

    await fireEvent.click(byId("nav-candidates"));
    await fireEvent.click(byId("candidate-show-archived"));
    await waitFor(() => expect(names()).toContain("Two-tower v3"));
    await fireEvent.click(within(row("Two-tower v3")).getByTestId("candidate-restore"));
    await waitFor(() => expect(row("Two-tower v3").dataset.archived).toBe("false"));
    await fireEvent.click(byId("nav-review"));
    await waitFor(() =>
      expect(all("session-candidate").map((b) => (b as HTMLInputElement).value)).toContain(
        TWO_TOWER.id,
      ),
    );
  });

  it("export and import: typed or browsed paths, what was written and what changed", async () => {
    const { fake } = candidatesBackend({
      "plugin:dialog|save": () => "/home/ed/candidates.toml",
      "plugin:dialog|open": () => "/home/ed/team.toml",
    });
    fake.files.set("/home/ed/team.toml", [
      { kind: "http", name: "Ranker v2", url: "http://ranker.example/r", timeout_ms: 5000 },
    ]);
    await openCandidates();
    await fireEvent.click(byId("candidate-export-open"));
    const exporter = await screen.findByTestId("candidate-export");
    expect((byId("candidate-export-run") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(byId("candidate-export-path-browse"));
    await waitFor(() =>
      expect((byId("candidate-export-path") as HTMLInputElement).value).toBe(
        "/home/ed/candidates.toml",
      ),
    );
    await fireEvent.click(byId("candidate-export-run"));
    expect((await screen.findByTestId("candidate-export-result")).textContent?.trim()).toBe(
      "Exported 7 candidates to /home/ed/candidates.toml",
    );
    expect(exporter.textContent).toContain("[[candidate]]");
    expect(fake.files.get("/home/ed/candidates.toml")).toHaveLength(7);

    await fireEvent.click(byId("candidate-import-open"));
    await type("candidate-import-path", "/home/ed/missing.toml");
    await fireEvent.click(byId("candidate-import-run"));
    expect((await screen.findByTestId("app-error")).textContent).toContain(
      "cannot read /home/ed/missing.toml: No such file or directory (os error 2)",
    );
    await fireEvent.click(byId("candidate-import-path-browse"));
    await waitFor(() =>
      expect((byId("candidate-import-path") as HTMLInputElement).value).toBe("/home/ed/team.toml"),
    );
    await fireEvent.click(byId("candidate-import-run"));
    expect((await screen.findByTestId("candidate-import-result")).textContent?.trim()).toBe(
      "Added 1 (Ranker v2) · updated 0 · unchanged 0",
    );
    await waitFor(() => expect(names()).toContain("Ranker v2"));
  });
});
