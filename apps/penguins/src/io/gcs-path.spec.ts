import { describe, expect, it } from 'vitest';
import { gcsMount, joinUri, toGcsUri, toLocalPath } from './gcs-path.ts';

describe('gcs paths', () => {
  it('maps gs:// URIs under the mount and back', () => {
    expect(toLocalPath('gs://bucket/serving/penguins', '/gcs')).toBe('/gcs/bucket/serving/penguins');
    expect(toGcsUri('/gcs/bucket/serving/penguins', '/gcs')).toBe('gs://bucket/serving/penguins');
  });

  it('leaves local paths alone and rejects a URI without bucket', () => {
    expect(toLocalPath('/tmp/x', '/gcs')).toBe('/tmp/x');
    expect(toGcsUri('/tmp/x', '/gcs')).toBe('/tmp/x');
    expect(() => toLocalPath('gs://', '/gcs')).toThrow(/bucket/);
  });

  it('takes the mount from CONVEYOR_GCS_MOUNT, else /gcs', () => {
    expect(gcsMount({})).toBe('/gcs');
    expect(gcsMount({ CONVEYOR_GCS_MOUNT: '/data/gcs/' })).toBe('/data/gcs');
  });

  it('joins with single slashes', () => {
    expect(joinUri('gs://b/root/', '/penguins/', 'v1')).toBe('gs://b/root/penguins/v1');
  });
});
