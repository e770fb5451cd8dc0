// Pure. User names are compared by a key, so `Sec-Viewer`, `sec-viewer` and `admin.` vs `admin`
// are the same account: NFKC (full-width and ligature look-alikes become plain letters), lower
// case, leading and trailing punctuation, symbols and spaces dropped. Postgres enforces the same
// key with a unique index (`convoy_username_key`, migration username_key): the stored name is
// already NFKC and ASCII (the create form allows only A–Z a–z 0–9 _ . @ -), so the SQL function
// needs only lower() and the trim, which behave the same in any database locale.
const EDGES = /^[\p{P}\p{S}\p{Z}\s]+|[\p{P}\p{S}\p{Z}\s]+$/gu;

/** The spelling to store or look up: NFKC, surrounding whitespace removed. */
export const canonicalUsername = (name: string): string => name.normalize("NFKC").trim();

/** The uniqueness key (also what the password must not contain). */
export const usernameKey = (name: string): string => canonicalUsername(name).toLowerCase().replace(EDGES, "");
