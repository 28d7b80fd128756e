/**
 * Marks the words of a text that a search matched: like the server, case, accents and apostrophes
 * do not matter, every term matches a word it begins (the last term is a prefix while typed).
 */
const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’‘`´]/g, "");

export function searchTerms(q: string): string[] {
  return fold(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 1);
}

export function Highlight({ text, terms }: { text: string; terms: readonly string[] }) {
  if (terms.length === 0) return <>{text}</>;
  const parts = text.split(/([\p{L}\p{N}'’]+)/u);
  return (
    <>
      {parts.map((part, index) => {
        const word = fold(part);
        const hit = index % 2 === 1 && terms.some((term) => word.startsWith(term));
        return hit ? <mark key={index}>{part}</mark> : part;
      })}
    </>
  );
}
