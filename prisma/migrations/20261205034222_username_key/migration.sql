-- User names are unique by a normalized key, so `Sec-Viewer` / `sec-viewer` and `admin.` / `admin`
-- cannot both exist (lib/auth/username.ts). The application stores names already NFKC-normalized
-- and ASCII, and the key is then lower case with leading/trailing punctuation, symbols and spaces
-- trimmed — ASCII-only operations, identical in every database locale and encoding.
-- Prisma's schema language has no expression indexes, hence raw SQL. Fails if two existing users
-- already share a key: rename one first.
CREATE FUNCTION convoy_username_key(name text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT regexp_replace(lower(name), '^[[:punct:][:space:]]+|[[:punct:][:space:]]+$', '', 'g') $$;

CREATE UNIQUE INDEX "User_username_key_normalized" ON "User" (convoy_username_key("username"));
