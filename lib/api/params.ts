import { z } from "zod";

/** `[id]` path segments: a UUID, as every Convoy id is. */
export const idParam = z.object({ id: z.string().uuid() });
