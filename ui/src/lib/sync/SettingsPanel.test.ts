import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import App from "../../App.svelte";
import { clearBackend } from "../ipc/mock";
import { reviewBackend } from "../testing/reviewBackend";
import { SERVER_URL, TOKEN } from "../testing/syncFake";

afterEach(clearBackend);
beforeEach(() => localStorage.clear());

const input = (testid: string) => screen.getByTestId<HTMLInputElement>(testid);
const label = () => screen.getByTestId("sync-status").textContent?.trim();

async function openSettings() {
  render(App);
  await waitFor(() => expect(label()).toBe("Sync off"));
  await fireEvent.click(screen.getByTestId("settings-open"));
  return screen.findByTestId("settings-panel");
}

describe("Settings: the report server", () => {
  it("opens from the gear, says where the token comes from, and closes with Escape", async () => {
    reviewBackend();
    const panel = await openSettings();
    expect(screen.getByTestId("settings-open").getAttribute("aria-expanded")).toBe("true");
    expect(panel.textContent).toContain("screening server add-user");
    expect(input("sync-token").type).toBe("password");
    expect(screen.queryByTestId("sync-token-saved")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("sync-save").disabled).toBe(true);

    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("settings-panel")).toBeNull();
  });

  it("saving a server and token checks them, says how syncing stands, and updates the header", async () => {
    const { calls, sync } = reviewBackend();
    await openSettings();
    await fireEvent.input(input("sync-url"), { target: { value: SERVER_URL } });
    await fireEvent.input(input("sync-token"), { target: { value: TOKEN } });
    await fireEvent.click(screen.getByTestId("sync-save"));

    const result = await screen.findByTestId("sync-save-result");
    expect(result.dataset.state).toBe("synced");
    expect(result.textContent).toContain("Saved: Synced");
    expect(result.textContent).toContain(`Connected to ${SERVER_URL}.`);
    expect(calls).toContainEqual({
      command: "configure_sync",
      args: { request: { server_url: SERVER_URL, token: TOKEN } },
    });
    expect(sync.token).toBe(TOKEN);
    expect(label()).toBe("Synced");
    expect(screen.getByTestId<HTMLButtonElement>("sync-now").disabled).toBe(false);
    // The token is not kept in the form; a token is saved now.
    expect(input("sync-token").value).toBe("");
    await waitFor(() =>
      expect(screen.getByTestId("sync-token-saved").textContent).toContain(
        "a token is saved in a file only you can read",
      ),
    );
    expect(screen.queryByTestId("app-error")).toBeNull();
  });

  it("a refused token shows the server's reason, and the header stays off", async () => {
    reviewBackend();
    await openSettings();
    await fireEvent.input(input("sync-url"), { target: { value: SERVER_URL } });
    await fireEvent.input(input("sync-token"), { target: { value: "sr_revoked" } });
    await fireEvent.click(screen.getByTestId("sync-save"));

    const banner = await screen.findByTestId("app-error");
    expect(banner.textContent).toContain("The report server was not saved");
    expect(banner.textContent).toContain("the server refused the token: unknown or revoked token");
    expect(within(banner).getByText("invalid_input")).toBeTruthy();
    expect(screen.queryByTestId("sync-save-result")).toBeNull();
    expect(label()).toBe("Sync off");
  });

  it("an unreachable server is an error with its code", async () => {
    const { sync } = reviewBackend();
    sync.offline = true;
    await openSettings();
    await fireEvent.input(input("sync-url"), { target: { value: SERVER_URL } });
    await fireEvent.input(input("sync-token"), { target: { value: TOKEN } });
    await fireEvent.click(screen.getByTestId("sync-save"));
    const banner = await screen.findByTestId("app-error");
    expect(banner.textContent).toContain(`cannot reach ${SERVER_URL}`);
    expect(banner.textContent).toContain("unavailable");
  });

  it("with a server set up: its address shows, a token is saved, and Save keeps the token", async () => {
    const { calls, sync } = reviewBackend();
    sync.configure();
    render(App);
    await waitFor(() => expect(label()).toBe("Synced"));
    await fireEvent.click(screen.getByTestId("settings-open"));
    await waitFor(() => expect(input("sync-url").value).toBe(SERVER_URL));
    expect(screen.getByTestId("sync-token-saved")).toBeTruthy();
    expect(input("sync-token").placeholder).toContain("saved");
    await fireEvent.click(screen.getByTestId("sync-save"));
    await screen.findByTestId("sync-save-result");
    expect(calls).toContainEqual({
      command: "configure_sync",
      args: { request: { server_url: SERVER_URL, token: "" } },
    });
  });

  it("the Datasets and Settings sheets take turns", async () => {
    reviewBackend();
    await openSettings();
    await fireEvent.click(screen.getByTestId("datasets-toggle"));
    expect(screen.queryByTestId("settings-panel")).toBeNull();
    expect(screen.getByTestId("datasets-panel")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("settings-open"));
    expect(screen.queryByTestId("datasets-panel")).toBeNull();
    expect(screen.getByTestId("settings-panel")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Close the settings" }));
    expect(screen.queryByTestId("settings-panel")).toBeNull();
  });
});
