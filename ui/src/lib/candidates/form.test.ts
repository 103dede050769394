import { afterEach, describe, expect, it } from "vitest";

import type { ConnectionTest } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import {
  BUILTIN_DETAILS,
  DEAD_URL,
  PERSONALIZE,
  TWO_TOWER,
  candidatesBackend,
} from "../testing/candidatesBackend";
import { CandidateForm } from "./form.svelte";

afterEach(clearBackend);

describe("CandidateForm: the config", () => {
  it("a new HTTP candidate: trimmed fields, headers from the named rows", () => {
    const form = new CandidateForm();
    expect(form.kind).toBe("http");
    expect(form.editing).toBe(false);
    form.name = "  Two-tower v4 ";
    form.url = " http://10.0.0.5/recommend ";
    form.timeoutMs = 2500;
    expect(form.config).toEqual({
      kind: "http",
      name: "Two-tower v4",
      url: "http://10.0.0.5/recommend",
      timeout_ms: 2500,
    });
    form.headers.add("Authorization", "Bearer ${TOKEN}");
    form.headers.add();
    expect(form.config).toMatchObject({ headers: { Authorization: "Bearer ${TOKEN}" } });
  });

  it("a built-in model: name and spec", () => {
    const form = new CandidateForm();
    form.setKind("builtin");
    form.name = "kNN 50";
    form.model = "item-knn:neighbours=50 ";
    expect(form.config).toEqual({
      kind: "builtin",
      name: "kNN 50",
      model: "item-knn:neighbours=50",
    });
  });

  it("Personalize: one ARN as chosen, optional fields left out when empty", () => {
    const form = new CandidateForm();
    form.setKind("personalize");
    form.name = "Top picks";
    form.region = "us-east-1";
    form.arnKind = "recommender";
    form.arn = "arn:aws:personalize:us-east-1:1:recommender/top-picks";
    form.persona = "user_id";
    expect(form.config).toEqual({
      kind: "personalize",
      name: "Top picks",
      region: "us-east-1",
      recommender_arn: "arn:aws:personalize:us-east-1:1:recommender/top-picks",
      persona: "user_id",
      timeout_ms: 5000,
    });
    form.filterArn = "arn:aws:personalize:us-east-1:1:filter/no-kids";
    form.filterValues.add("GENRE", '"drama"');
    expect(form.config).toMatchObject({
      filter_arn: "arn:aws:personalize:us-east-1:1:filter/no-kids",
      filter_values: { GENRE: '"drama"' },
    });
  });

  it("opening a Personalize candidate shows its fields and keeps those it has no input for", () => {
    const form = new CandidateForm(PERSONALIZE);
    expect(form.editing).toBe(true);
    expect(form.kind).toBe("personalize");
    expect(form.arnKind).toBe("campaign");
    expect(form.arn).toBe("arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2");
    expect(form.filterValues.record).toEqual({ GENRE: '"drama"' });
    expect(form.eventTrackerId).toBe("tracker-1");
    expect(form.timeoutMs).toBe(3000);
    expect(form.dirty).toBe(false);
    expect(form.config).toEqual(PERSONALIZE.config);
    form.region = "eu-central-1";
    expect(form.dirty).toBe(true);
    expect(form.config).toMatchObject({ region: "eu-central-1", context: { DEVICE: "tv" } });
  });

  it("opening an HTTP candidate is not a change; editing one is", () => {
    const form = new CandidateForm(TWO_TOWER);
    expect(form.config).toEqual(TWO_TOWER.config);
    expect(form.dirty).toBe(false);
    expect(form.saved).toBe(false); // opened, not saved here
    form.headers.rows[0]!.value = "Bearer ${OTHER}";
    expect(form.dirty).toBe(true);
  });

  it("a copy starts from the settings under a new name, not yet saved", () => {
    const form = new CandidateForm(BUILTIN_DETAILS[3]!, { copy: true });
    expect(form.editing).toBe(false);
    expect(form.id).toBeNull();
    expect(form.config).toEqual({ kind: "builtin", name: "EASE (copy)", model: "ease" });
    expect(form.dirty).toBe(true);
  });

  it("says what cannot be sent; the kind of an existing candidate stays", () => {
    const form = new CandidateForm();
    form.timeoutMs = null;
    form.headers.add("", "x");
    expect(form.problems).toEqual([
      "Timeout: enter a whole number of milliseconds.",
      "Headers: A value (“x”) has no name.",
    ]);
    form.setKind("builtin");
    expect(form.problems).toEqual([]);
    const existing = new CandidateForm(TWO_TOWER);
    existing.setKind("builtin");
    expect(existing.kind).toBe("http");
  });
});

describe("CandidateForm: saving", () => {
  it("adds, then edits the same candidate; 'saved' until the next change", async () => {
    const { calls, fake } = candidatesBackend();
    const form = new CandidateForm();
    form.name = "Two-tower v4";
    form.url = "http://10.0.0.5/recommend";
    const saving = form.save();
    expect(form.saving).toBe(true);
    const saved = await saving;
    expect(saved?.id).toBe("c-1");
    expect(form.id).toBe("c-1");
    expect(form.editing).toBe(true);
    expect(form.savedName).toBe("Two-tower v4");
    expect(form.saved).toBe(true);
    expect(await form.save()).toBeNull(); // nothing changed: nothing sent
    form.timeoutMs = 800;
    expect(form.saved).toBe(false);
    await form.save();
    expect(calls.filter((c) => c.command === "save_candidate").map((c) => c.args.id)).toEqual([
      null,
      "c-1",
    ]);
    expect(fake.candidates.find((c) => c.id === "c-1")?.config).toMatchObject({
      timeout_ms: 800,
    });
  });

  it("shows the backend's refusal verbatim, marks its field, and drops it once changed", async () => {
    const { calls } = candidatesBackend();
    const form = new CandidateForm();
    form.name = "Leaky";
    form.url = "http://10.0.0.5/recommend";
    form.headers.add("Authorization", "Bearer abc123");
    expect(await form.save()).toBeNull();
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toBe(
      'field "headers": Authorization holds a credential in clear; write it as a reference such as "Bearer ${MY_TOKEN}" and set MY_TOKEN in the environment',
    );
    expect(form.invalidField).toBe("headers");
    expect(form.id).toBeNull();
    form.headers.rows[0]!.value = "Bearer ${LEAKY_TOKEN}";
    expect(form.error).toBeNull();
    expect(form.invalidField).toBeNull();
    expect(await form.save()).not.toBeNull();
    expect(calls.filter((c) => c.command === "save_candidate")).toHaveLength(2);
  });

  it("refuses a name another candidate has, naming it", async () => {
    candidatesBackend();
    const form = new CandidateForm();
    form.setKind("builtin");
    form.name = "ease";
    form.model = "ease:lambda=100";
    await form.save();
    expect(form.error?.message).toBe('field "name": another candidate is called "EASE"');
    expect(form.invalidField).toBe("name");
  });

  it("sends nothing while something cannot be sent", async () => {
    const { calls } = candidatesBackend();
    const form = new CandidateForm();
    form.timeoutMs = null;
    expect(await form.save()).toBeNull();
    expect(await form.runTest()).toBeNull();
    expect(calls).toEqual([]);
  });
});

describe("CandidateForm: testing the connection", () => {
  it("shows what came back, busy while it runs, stale once the settings change", async () => {
    const answer = deferred<void>();
    const { calls, fake } = candidatesBackend({
      test_candidate: (args) => answer.promise.then(() => fake.handlers().test_candidate!(args)),
    });
    const form = new CandidateForm();
    form.name = "kNN endpoint";
    form.url = "http://127.0.0.1:8080/recommend/item-knn";
    const testing = form.runTest();
    expect(form.testing).toBe(true);
    answer.resolve();
    const test = (await testing) as ConnectionTest;
    expect(form.testing).toBe(false);
    expect(test.ok).toBe(true);
    expect(form.test?.titles).toEqual([
      "Love Villa",
      "Bake Off Brussels",
      "Cold Case North",
      "Wild Alps",
      "Date Night Live",
    ]);
    expect(calls[0]).toEqual({ command: "test_candidate", args: { config: form.config } });
    expect(form.testStale).toBe(false);
    form.url = "http://127.0.0.1:8081/recommend/item-knn";
    expect(form.testStale).toBe(true);
    expect(form.id).toBeNull(); // testing stores nothing
  });

  it("a candidate that cannot answer is a result with its error, not a failure", async () => {
    candidatesBackend();
    const form = new CandidateForm();
    form.name = "Dead";
    form.url = DEAD_URL;
    const test = await form.runTest();
    expect(test?.ok).toBe(false);
    expect(test?.error).toBe(`cannot connect to ${DEAD_URL}: connection refused`);
    expect(form.testError).toBeNull();
  });

  it("settings that do not check out fail the test with the backend's message", async () => {
    candidatesBackend();
    const form = new CandidateForm();
    form.name = "Bad";
    form.url = "not a url";
    expect(await form.runTest()).toBeNull();
    expect(form.test).toBeNull();
    expect(form.testError?.message).toBe('field "url": relative URL without a base');
    expect(form.invalidField).toBe("url");
    form.url = "http://ok.example/";
    expect(form.invalidField).toBeNull();
  });
});
