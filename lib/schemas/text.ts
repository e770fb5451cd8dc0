import { z } from "zod";

// Free text typed by people (names, reasons, descriptions). Postgres text and jsonb cannot hold
// NUL, and control characters or unpaired surrogates have no business in a label: refuse them
// with a clear message instead of failing in the driver.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** One line of text (no newlines, tabs or other control characters), trimmed, `min`–`max` long. */
export const lineText = (min: number, max: number, tooShort = `At least ${min} character${min === 1 ? "" : "s"}`) =>
  z
    .string()
    .trim()
    .min(min, tooShort)
    .max(max, `At most ${max} characters`)
    .refine((s) => !CONTROL.test(s) && !/[\n\r\t]/.test(s), "Must not contain control characters or line breaks")
    .refine((s) => !LONE_SURROGATE.test(s), "Contains an invalid character");

/** Several lines allowed (a reason, a description); still no NUL or other control characters. */
export const multilineText = (
  min: number,
  max: number,
  tooShort = `At least ${min} character${min === 1 ? "" : "s"}`,
) =>
  z
    .string()
    .trim()
    .min(min, tooShort)
    .max(max, `At most ${max} characters`)
    .refine((s) => !CONTROL.test(s), "Must not contain control characters")
    .refine((s) => !LONE_SURROGATE.test(s), "Contains an invalid character");
