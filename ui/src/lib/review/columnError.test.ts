import { describe, expect, it } from "vitest";

import { LONG_HTTP_ERROR } from "../testing/fixtures";
import { splitColumnError } from "./columnError";

describe("splitColumnError", () => {
  it("sets an HTTP error's body apart from its status", () => {
    const { headline, body } = splitColumnError(LONG_HTTP_ERROR);
    expect(headline).toBe("HTTP 503 Service Unavailable");
    expect(body).toMatch(/^<!DOCTYPE html>.*nginx/);
  });

  it("never cuts other messages at their colons", () => {
    for (const message of [
      "cannot connect to http://127.0.0.1:9/: connection refused",
      "no answer within 5000 ms",
      "the response is not valid JSON (expected value at line 1 column 1)",
      "Amazon Personalize candidates are not supported by this version yet",
      "HTTP 500 Internal Server Error: ",
    ]) {
      expect(splitColumnError(message)).toEqual({ headline: message.trim(), body: null });
    }
  });
});
