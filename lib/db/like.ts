// Prisma's `contains` / `startsWith` / `endsWith` put the text into an (I)LIKE pattern as is, so a
// `%` or `_` typed in a filter would match anything. Postgres's default LIKE escape character is
// the backslash: escape it and both wildcards so the text matches only itself.
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
