// gs:// URIs, apart from the storage client so code that only parses them (the CLI's report links,
// its doctor) does not load the client library (`@conveyor/gcp/uris`).

/** Splits `gs://bucket/path` into bucket and object name. @throws Error when not a gs:// URI. */
export function parseGsUri(uri: string): { bucket: string; object: string } {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not a gs:// URI: '${uri}'`);
  return { bucket: match[1] ?? '', object: match[2] ?? '' };
}

/** The bucket of a `gs://bucket[/prefix]` URI. */
export function parseGcsBucket(uri: string): string {
  return parseGsUri(uri).bucket;
}
