// Options (of a SelectField, a segmented choice), written as one table from value to text, in display order.

export function choicesOf<T extends string>(texts: Readonly<Record<T, string>>): { value: T; text: string }[] {
  return (Object.entries(texts) as [T, string][]).map(([value, text]) => ({ value, text }));
}
