/**
 * The worker that runs UMAP for `umap` (projection.ts): one request, one reply with the
 * embedding (or the error's message), so UMAP's working memory goes when the worker ends.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { embedUmap, type UmapRequest } from "./umap_embed.ts";

self.onmessage = async (event: MessageEvent<UmapRequest>) => {
  try {
    const embedded = await embedUmap(event.data);
    self.postMessage({ embedded }, [embedded.buffer as ArrayBuffer]);
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
