import { describe, expect, it } from "vitest";

import { PERSONALIZE, TWO_TOWER } from "../testing/candidatesBackend";
import { fieldOf, kindBadge, kindLabel, secretInClear, summarize } from "./describe";

describe("summarize", () => {
  it("says what each kind asks: the model spec, the URL, the ARN and region", () => {
    expect(summarize({ kind: "builtin", name: "kNN 50", model: "item-knn:neighbours=50" })).toBe(
      "item-knn:neighbours=50",
    );
    expect(summarize(TWO_TOWER.config)).toBe("http://127.0.0.1:8080/recommend");
    expect(summarize(PERSONALIZE.config)).toBe(
      "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2 · eu-west-1",
    );
    expect(
      summarize({
        kind: "personalize",
        name: "r",
        region: "us-east-1",
        recommender_arn: "arn:aws:personalize:us-east-1:1:recommender/top-picks",
        persona: "user_id",
        timeout_ms: 5000,
      }),
    ).toBe("arn:aws:personalize:us-east-1:1:recommender/top-picks · us-east-1");
  });
});

describe("kinds", () => {
  it("have a label and a badge; an unknown kind reads as itself", () => {
    expect(kindLabel("http")).toBe("HTTP endpoint");
    expect(kindBadge("personalize")).toBe("Personalize");
    expect(kindBadge("builtin")).toBe("Built-in");
    expect(kindLabel("grpc")).toBe("grpc");
  });
});

describe("fieldOf", () => {
  it("finds the field a refusal names", () => {
    expect(
      fieldOf(
        'field "headers": Authorization holds a credential in clear; write it as a reference such as "Bearer ${MY_TOKEN}"',
      ),
    ).toBe("headers");
    expect(fieldOf('field "name": another candidate is called "EASE"')).toBe("name");
    expect(fieldOf('field "event_tracker_id": persona = "replay" sends…')).toBe("event_tracker_id");
    expect(fieldOf('give exactly one of "campaign_arn" and "recommender_arn"')).toBe("arn");
    expect(fieldOf('"EASE" is one of the built-in candidates and cannot be changed')).toBeNull();
  });
});

describe("secretInClear", () => {
  it("flags credential headers whose value is not a ${VAR} reference", () => {
    expect(secretInClear("Authorization", "Bearer abc")).toBe(true);
    expect(secretInClear(" x-api-key ", "k")).toBe(true);
    expect(secretInClear("Cookie", "s=1")).toBe(true);
    expect(secretInClear("Authorization", "Bearer ${TOKEN}")).toBe(false);
    expect(secretInClear("Authorization", "  ")).toBe(false);
    expect(secretInClear("Accept", "application/json")).toBe(false);
  });
});
