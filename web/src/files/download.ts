import { temporaryLink } from '../api/endpoints';

/**
 * Downloads a file (or one of its versions) by navigating to a temporary link: the browser streams
 * it to disk itself, so a big file never has to fit in the page's memory.
 */
export async function download(fileId: string, name: string, versionId?: string): Promise<void> {
  const link = await temporaryLink(fileId, versionId);
  const anchor = document.createElement('a');
  anchor.href = link;
  anchor.download = name;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}
