// The session cookie's name, on its own so proxy.ts can read it without loading Prisma.
export const SESSION_COOKIE = "convoy_session";
