// Users the e2e stack seeds; tests sign in as them.
export const E2E_USERS = [
  { username: "e2e-admin", role: "admin" as const, password: "admin-password-e2e" },
  { username: "e2e-operator", role: "operator" as const, password: "operator-password-e2e" },
  { username: "e2e-viewer", role: "viewer" as const, password: "viewer-password-e2e" },
];
