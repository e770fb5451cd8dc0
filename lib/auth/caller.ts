import type { SessionUser } from "@/lib/auth/session";

/** Who calls: a console session, or an API token's owner (tokenId set, role already capped). */
export type Caller = SessionUser & { tokenId?: string };
