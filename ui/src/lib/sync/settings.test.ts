import { afterEach, describe, expect, it } from "vitest";

import type { SyncStatus } from "../ipc";
import { clearBackend, mockBackend } from "../ipc/mock";
import { FakeSync, SERVER_URL, TOKEN } from "../testing/syncFake";
import { SyncSettingsForm } from "./settings.svelte";

afterEach(clearBackend);

function setup(sync = new FakeSync()) {
  const calls = mockBackend(sync.handlers());
  const saved: SyncStatus[] = [];
  const form = new SyncSettingsForm((s) => saved.push(s));
  return { sync, calls, form, saved };
}

describe("SyncSettingsForm", () => {
  it("starts empty without a server; ready once an address and a token are typed", async () => {
    const { form } = setup();
    await form.load();
    expect(form.status).toBe("ready");
    expect(form.url).toBe("");
    expect(form.hasToken).toBe(false);
    expect(form.ready).toBe(false);
    form.url = SERVER_URL;
    expect(form.ready).toBe(false);
    form.token = TOKEN;
    expect(form.ready).toBe(true);
  });

  it("saves a server the token works on: the status goes to the header, the token field empties", async () => {
    const { form, calls, saved, sync } = setup();
    await form.load();
    form.url = `  ${SERVER_URL}/ `;
    form.token = ` ${TOKEN} `;
    await expect(form.save()).resolves.toBe(true);
    expect(calls.filter((c) => c.command === "configure_sync").at(-1)).toEqual({
      command: "configure_sync",
      args: { request: { server_url: `${SERVER_URL}/`, token: TOKEN } },
    });
    expect(form.result).toMatchObject({ state: "synced", server_url: SERVER_URL });
    expect(saved).toEqual([form.result]);
    expect(form.url).toBe(SERVER_URL);
    expect(form.token).toBe("");
    expect(form.hasToken).toBe(true);
    expect(form.tokenPlace).toBe("file");
    expect(calls.at(-1)?.command).toBe("sync_settings");
    expect(sync.token).toBe(TOKEN);
  });

  it("loads the saved address and that a token is saved; an empty token keeps it", async () => {
    const { form, calls } = setup(new FakeSync().configure());
    await form.load();
    expect(form.url).toBe(SERVER_URL);
    expect(form.savedUrl).toBe(SERVER_URL);
    expect(form.hasToken).toBe(true);
    expect(form.token).toBe("");
    expect(form.ready).toBe(true);
    await expect(form.save()).resolves.toBe(true);
    expect(calls.filter((c) => c.command === "configure_sync").at(-1)?.args).toEqual({
      request: { server_url: SERVER_URL, token: "" },
    });
  });

  it("a token the server refuses is an error, and nothing is saved", async () => {
    const { form, saved, sync } = setup();
    form.url = SERVER_URL;
    form.token = "sr_wrong";
    await expect(form.save()).resolves.toBe(false);
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toBe("the server refused the token: unknown or revoked token");
    expect(form.result).toBeNull();
    expect(form.token).toBe("sr_wrong");
    expect(saved).toEqual([]);
    expect(sync.url).toBeNull();
  });

  it("an unreachable server and an address that is not http(s) are errors too", async () => {
    const { form, sync } = setup();
    sync.offline = true;
    form.url = SERVER_URL;
    form.token = TOKEN;
    await form.save();
    expect(form.error?.code).toBe("unavailable");
    expect(form.error?.message).toContain(`cannot reach ${SERVER_URL}`);

    sync.offline = false;
    form.url = "reports.test:8080";
    await form.save();
    expect(form.error?.code).toBe("invalid_input");
    expect(form.error?.message).toContain("starts with http:// or https://");

    form.url = SERVER_URL;
    await expect(form.save()).resolves.toBe(true);
    expect(form.error).toBeNull();
  });

  it("says when the settings cannot be read", async () => {
    mockBackend({
      sync_settings: () => {
        throw { code: "internal", message: "database is locked" };
      },
    });
    const form = new SyncSettingsForm();
    await form.load();
    expect(form.status).toBe("error");
    expect(form.loadError?.message).toBe("database is locked");
  });
});
