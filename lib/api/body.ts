// Request bodies of route handlers: JSON only, read up to a byte limit (the stream is cut there,
// whatever Content-Length claims), so a large body costs no more than the limit.

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; detail: string };

export async function readJsonBody(req: Request, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) return tooLarge(limit);
  const type = (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (!req.body) return { ok: true, value: {} };
  if (type !== "application/json") return { ok: false, status: 415, detail: "Send the body as application/json." };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, status: 400, detail: `The body is not valid JSON: ${(e as Error).message.slice(0, 200)}` };
  }
}

const tooLarge = (limit: number): BodyResult => ({
  ok: false,
  status: 413,
  detail: `The body is limited to ${limit} bytes.`,
});
