// vshCommandStringParse: the tokenizer virsh uses for a single command-string argument
// (`virsh 'list --all; hostname'`) and for lines read from stdin.

export function splitCommandString(s: string): string[][] {
  const cmds: string[][] = [];
  let words: string[] = [];
  let cur = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(cur);
    cur = "";
    inWord = false;
  };
  const endCmd = () => {
    endWord();
    if (words.length > 0) cmds.push(words);
    words = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === " " || c === "\t") {
      endWord();
    } else if (c === "\n" || c === ";") {
      endCmd();
    } else if (c === "#" && !inWord) {
      while (i < s.length && s[i] !== "\n") i++;
      endCmd();
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new Error("dangling quote");
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end;
    } else {
      cur += c;
      inWord = true;
    }
  }
  endCmd();
  return cmds;
}
