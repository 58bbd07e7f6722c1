const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Search highlights are HTML-escaped text with the matched words in <mark>...</mark>. They are
 * turned into segments rather than injected as HTML, so nothing else in them can ever be markup.
 */
export function highlightSegments(highlight: string): { text: string; marked: boolean }[] {
  const segments: { text: string; marked: boolean }[] = [];
  const pattern = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let match = pattern.exec(highlight); match; match = pattern.exec(highlight)) {
    if (match.index > last) segments.push({ text: unescapeHtml(highlight.slice(last, match.index)), marked: false });
    segments.push({ text: unescapeHtml(match[1]), marked: true });
    last = match.index + match[0].length;
  }
  if (last < highlight.length) segments.push({ text: unescapeHtml(highlight.slice(last)), marked: false });
  return segments;
}

function unescapeHtml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#39|#x27|apos);/g, (_, entity: string) =>
    ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'", apos: "'" })[entity] ?? '',
  );
}
