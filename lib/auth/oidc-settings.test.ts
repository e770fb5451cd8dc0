import { afterEach, describe, expect, it } from "vitest";
import { authSettings, groupsOf, roleForGroups } from "@/lib/auth/oidc-settings";

const MAP = { "convoy-admins": "admin", noc: "operator", ops: "viewer" } as const;

describe("roleForGroups", () => {
  it("gives the highest mapped role, null when no group is mapped", () => {
    expect(roleForGroups(["ops", "noc"], MAP)).toBe("operator");
    expect(roleForGroups(["noc", "convoy-admins", "ops"], MAP)).toBe("admin");
    expect(roleForGroups(["marketing"], MAP)).toBeNull();
    expect(roleForGroups([], MAP)).toBeNull();
  });
  it("never maps a group named like an object property", () => {
    expect(roleForGroups(["__proto__", "constructor", "toString", "hasOwnProperty"], MAP)).toBeNull();
  });
});

describe("groupsOf", () => {
  it("reads an array of strings or one string; anything else is no group", () => {
    expect(groupsOf({ groups: ["a", 1, null, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsOf({ roles: "noc" }, "roles")).toEqual(["noc"]);
    expect(groupsOf({ groups: { noc: true } }, "groups")).toEqual([]);
    expect(groupsOf({}, "groups")).toEqual([]);
  });
});

describe("authSettings", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env))
      if (k.startsWith("CONVOY_OIDC_") || k === "CONVOY_LOCAL_LOGIN") delete process.env[k];
    Object.assign(process.env, saved);
  });
  const configure = (extra: Record<string, string> = {}) =>
    Object.assign(process.env, {
      CONVOY_OIDC_ISSUER: "https://idp.example.com",
      CONVOY_OIDC_CLIENT_ID: "convoy",
      CONVOY_OIDC_CLIENT_SECRET: "s",
      ...extra,
    });

  it("is off without an issuer, and refuses users in no mapped group by default", () => {
    expect(authSettings()).toEqual({ localLogin: true, oidc: null });
    configure();
    expect(authSettings().oidc).toMatchObject({
      noGroup: "refuse",
      roleMap: {},
      scopes: "openid profile email groups",
    });
  });
  it("refuses half a configuration, a bad role map, and local login off without single sign-on", () => {
    process.env.CONVOY_OIDC_ISSUER = "https://idp.example.com";
    expect(() => authSettings()).toThrow(/together/);
    configure({ CONVOY_OIDC_ROLE_MAP: '{"noc":"root"}' });
    expect(() => authSettings()).toThrow();
    for (const k of [
      "CONVOY_OIDC_ISSUER",
      "CONVOY_OIDC_CLIENT_ID",
      "CONVOY_OIDC_CLIENT_SECRET",
      "CONVOY_OIDC_ROLE_MAP",
    ])
      delete process.env[k];
    process.env.CONVOY_LOCAL_LOGIN = "off";
    expect(() => authSettings()).toThrow(/nobody can sign in/);
  });
});
