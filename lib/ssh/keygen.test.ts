import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { generateEd25519 } from "./keygen";

describe("generateEd25519", () => {
  it("only returns pairs ssh2 can parse (its generator fails ~1 in 400)", () => {
    for (let i = 0; i < 1000; i++) {
      const kp = generateEd25519();
      expect(ssh2.utils.parseKey(kp.public)).not.toBeInstanceOf(Error);
      expect(ssh2.utils.parseKey(kp.private)).not.toBeInstanceOf(Error);
    }
  });
});
