/** A title as a file name on every system: no separators, reserved characters or trailing dots. */
export function safeFileName(title: string): string {
  const cleaned = [...title]
    .map((char) => (char.charCodeAt(0) < 32 ? ' ' : char))
    .join('')
    .replace(/[<>:"/\\|?*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '')
    .slice(0, 80);
  return cleaned === '' ? 'thread' : cleaned;
}
