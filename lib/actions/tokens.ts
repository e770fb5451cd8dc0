"use server";

import { action } from "@/lib/actions/action";
import { hasRole } from "@/lib/auth/roles";
import { newTokenSecret } from "@/lib/auth/tokens";
import { findTokenOwner, insertServiceAccount, insertToken, revokeToken } from "@/lib/db/api-tokens";
import { findUserByName } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { createServiceAccountInput } from "@/lib/schemas/accounts";
import { createTokenInput, tokenIdInput } from "@/lib/schemas/tokens";

/**
 * Creates an API token for the caller, or (admins) for any user or service account. Its role is
 * at most its owner's; the secret is returned once and only its SHA-256 is stored.
 */
export const createTokenAction = action(
  { schema: createTokenInput, role: "viewer", audit: "token.create" },
  async ({ input, user, tx }) => {
    const ownerId = input.userId ?? user.id;
    if (ownerId !== user.id && !hasRole(user.role, "admin"))
      throw new AppError("FORBIDDEN", "Only an admin can create a token for another user.");
    const { secret, secretHash, prefix } = newTokenSecret();
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const row = await tx(
      async (t) => {
        const owner = await findTokenOwner(t, ownerId);
        if (!owner) throw new AppError("NOT_FOUND", "No such user.");
        if (owner.disabled) throw new AppError("CONFLICT", `${owner.username} is disabled.`);
        if (!hasRole(owner.role, input.role))
          throw new AppError(
            "INVALID",
            `A token's role cannot be above its owner's (${owner.username} is ${owner.role}).`,
          );
        return insertToken(t, {
          name: input.name,
          userId: owner.id,
          role: input.role,
          secretHash,
          prefix,
          expiresAt,
          createdById: user.id,
        });
      },
      (r) => ({
        targetType: "token",
        targetId: r.id,
        after: { name: r.name, owner: r.user.username, role: r.role, prefix: r.prefix, expiresAt: r.expiresAt },
      }),
    );
    return { tokenId: row.id, secret, prefix, expiresAt: row.expiresAt.toISOString() };
  },
);

/** Revokes a token at once: the caller's own, or (admins) anyone's. */
export const revokeTokenAction = action(
  { schema: tokenIdInput, role: "viewer", audit: "token.revoke" },
  async ({ input, user, tx }) => {
    const ownerOnly = hasRole(user.role, "admin") ? undefined : user.id;
    await tx(
      async (t) => {
        const before = await revokeToken(t, input.tokenId, ownerOnly);
        if (!before) throw new AppError("NOT_FOUND", "No such token.");
        return before;
      },
      (b) => ({
        targetType: "token",
        targetId: b.id,
        before: { name: b.name, owner: b.user.username, revokedAt: b.revokedAt },
        after: { revoked: true },
      }),
    );
    return { tokenId: input.tokenId };
  },
);

/** A service account: a user that cannot sign in and acts only through the tokens an admin gives it. */
export const createServiceAccountAction = action(
  { schema: createServiceAccountInput, role: "admin", audit: "user.create-service-account" },
  async ({ input, tx }) =>
    tx(
      async (t) => {
        const existing = await findUserByName(input.username, t);
        if (existing) throw new AppError("CONFLICT", `User ${existing.username} already exists.`);
        return insertServiceAccount(t, input.username, input.role);
      },
      (u) => ({
        targetType: "user",
        targetId: u.id,
        after: { username: u.username, role: u.role, serviceAccount: true },
      }),
    ),
);
