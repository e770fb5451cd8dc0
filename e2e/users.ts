// Users the e2e stack seeds; tests sign in as them.
export const E2E_USERS = [
  { username: "e2e-admin", role: "admin" as const, password: "admin-password-e2e" },
  { username: "e2e-operator", role: "operator" as const, password: "operator-password-e2e" },
  { username: "e2e-viewer", role: "viewer" as const, password: "viewer-password-e2e" },
];

// Accounts of the test identity provider the e2e stack starts (scripts/lib/test-idp.ts), and the
// group → role mapping the console is configured with (scripts/e2e-server.ts).
export const E2E_IDP_USERS = {
  "idp-ada": {
    password: "ada-idp-password",
    name: "Ada Lovelace",
    preferredUsername: "ada",
    groups: ["convoy-admins", "staff"],
  },
  "idp-olaf": { password: "olaf-idp-password", name: "Olaf Oncall", preferredUsername: "olaf", groups: ["noc"] },
  "idp-nina": { password: "nina-idp-password", name: "Nina Newhire", preferredUsername: "nina", groups: ["marketing"] },
};
export const E2E_IDP_ROLE_MAP = { "convoy-admins": "admin", noc: "operator" };
