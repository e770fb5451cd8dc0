import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import { usernameKey } from "@/lib/auth/username";

export const PASSWORD_MIN_LENGTH = 12;
/** zxcvbn's score 3: "safely unguessable" (about 10^10 guesses); a slow offline attack still fails. */
const MIN_SCORE = 3;

// The common-password, name and keyboard dictionaries; built once (they are large).
let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () => {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  return estimator;
};

// zxcvbn's warning keys in words (without a language pack it returns only keys).
const WARNINGS: Record<string, string> = {
  topTen: "it is one of the most used passwords",
  topHundred: "it is among the most used passwords",
  common: "it is a commonly used password",
  similarToCommon: "it is close to a commonly used password",
  wordByItself: "a single word is easy to guess",
  namesByThemselves: "a name by itself is easy to guess",
  commonNames: "common names are easy to guess",
  userInputs: "it contains the user name or the product's name",
  straightRow: "it is a row of keys",
  keyPattern: "it is a keyboard pattern",
  simpleRepeat: "it repeats characters",
  extendedRepeat: "it repeats a pattern",
  sequences: "it is a sequence like abc or 123",
  recentYears: "it contains a recent year",
  dates: "it contains a date",
};

/** Why `password` is refused for `username`, in words for the form; null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.trim().length === 0) return "The password cannot be only spaces.";
  if ([...password].length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  const key = usernameKey(username);
  if (key && usernameKey(password).includes(key)) return "The password must not contain the user name.";
  const result = zxcvbn().check(password.slice(0, 256), [username, key, "convoy"]);
  if (result.score >= MIN_SCORE) return null;
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) || "it would be guessed quickly";
  return `This password is too easy to guess (${why}). Use a longer passphrase of several unrelated words.`;
}
