// Key generation for tests, the simulator and the demo. No "server-only": the simulator imports it.
import ssh2 from "ssh2";

const { utils } = ssh2;

/**
 * An ed25519 pair that ssh2 can parse back. ssh2's own generateKeyPairSync produces a key it cannot
 * read about once in 400 tries ("Malformed OpenSSH public key"); such a key would make a simulated
 * host or a test server fail to start, so generate again.
 */
export function generateEd25519(comment?: string): { private: string; public: string } {
  for (let i = 0; i < 20; i++) {
    const kp = utils.generateKeyPairSync("ed25519", comment ? { comment } : undefined);
    if (!(utils.parseKey(kp.private) instanceof Error) && !(utils.parseKey(kp.public) instanceof Error)) return kp;
  }
  throw new Error("could not generate a parseable ed25519 key pair");
}
