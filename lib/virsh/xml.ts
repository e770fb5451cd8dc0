// libvirt's XML documents (capabilities, dumpxml) parsed with a real, strict XML parser (saxes:
// well-formedness checked, entities escaped the XML way, no DTD processing, so no entity
// expansion). dumpxml carries strings a guest's owner chose (titles, descriptions, metadata), so
// the document is bounded in size, depth and element count while it is parsed, before any tree is
// kept. Pure: no I/O.
import { SaxesParser } from "saxes";
import { VirshParseError } from "./errors";

export type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string };

export const XML_LIMITS = { maxChars: 4 * 1024 * 1024, maxDepth: 64, maxElements: 200_000 } as const;

/** The document's root element; throws VirshParseError on malformed XML or exceeded limits. */
export function parseXml(xml: string, where: string, limits = XML_LIMITS): XmlNode {
  if (xml.length > limits.maxChars)
    throw new VirshParseError(where, `XML larger than ${limits.maxChars} characters`, xml.slice(0, 200));
  const parser = new SaxesParser({ position: false });
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  let count = 0;
  let failure: string | null = null;
  parser.on("error", (e) => {
    failure ??= e.message;
  });
  parser.on("opentag", (tag) => {
    count += 1;
    if (stack.length >= limits.maxDepth) failure ??= `XML nested deeper than ${limits.maxDepth} elements`;
    if (count > limits.maxElements) failure ??= `XML has more than ${limits.maxElements} elements`;
    if (failure) return;
    const node: XmlNode = {
      name: tag.name,
      attrs: { ...(tag.attributes as Record<string, string>) },
      children: [],
      text: "",
    };
    stack.at(-1)?.children.push(node);
    if (!root) root = node;
    stack.push(node);
  });
  parser.on("text", (t) => {
    const top = stack.at(-1);
    if (top && !failure) top.text += t;
  });
  parser.on("closetag", () => {
    if (!failure) stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    failure ??= e instanceof Error ? e.message : String(e);
  }
  if (failure) throw new VirshParseError(where, failure, xml.slice(0, 200));
  if (!root) throw new VirshParseError(where, "no root element", xml.slice(0, 200));
  return root;
}

/** Direct children of `node` named `name`, in document order. */
export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** First direct child named `name`, or null. */
export function child(node: XmlNode | null | undefined, name: string): XmlNode | null {
  return node?.children.find((c) => c.name === name) ?? null;
}

/** Trimmed text of the first direct child named `name`, or null when there is none. */
export function childText(node: XmlNode | null | undefined, name: string): string | null {
  const c = child(node, name);
  return c ? c.text.trim() : null;
}
