import { describe, expect, it } from "vitest";

import type { RecordRequest } from "../ipc";
import { SaveLedger } from "./ledger";

const request = (text: string): RecordRequest => ({
  session_id: "s1",
  persona_id: "p",
  judgement: { kind: "comment", text },
});

describe("SaveLedger", () => {
  it("knows the newest request per thing", () => {
    const ledger = new SaveLedger();
    const [a, b] = [request("a"), request("b")];
    ledger.sent("comment", a, Promise.resolve());
    ledger.sent("comment", b, Promise.resolve());
    expect(ledger.isLatest("comment", a)).toBe(false);
    expect(ledger.isLatest("comment", b)).toBe(true);
  });

  it("accepts only newer device_seq per thing", () => {
    const ledger = new SaveLedger();
    expect(ledger.accept("x", 5)).toBe(true);
    expect(ledger.accept("x", 4)).toBe(false);
    expect(ledger.accept("x", 5)).toBe(false);
    expect(ledger.accept("y", 1)).toBe(true);
    expect(ledger.accept("x", 6)).toBe(true);
  });

  it("settles once everything in flight finished, including what was sent meanwhile", async () => {
    const ledger = new SaveLedger();
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    ledger.sent("a", request("a"), first);
    void first.then(() => ledger.finished(first));
    const second = Promise.resolve();
    let settled = false;
    const waiting = ledger.settled().then(() => (settled = true));
    ledger.sent("b", request("b"), second);
    void second.then(() => ledger.finished(second));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(ledger.busy).toBe(true);
    release();
    await waiting;
    expect(ledger.busy).toBe(false);
  });
});
