import { describe, expect, it } from 'vitest';
import { InvalidImageReferenceError, parseImageReference } from './image-ref.ts';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

describe('parseImageReference', () => {
  it.each([
    ['penguins', { domain: undefined, path: 'penguins', tag: undefined, digest: undefined }],
    ['local/penguins:dev', { domain: undefined, path: 'local/penguins', tag: 'dev', digest: undefined }],
    [
      'localhost:5000/penguins:v1.2_RC',
      { domain: 'localhost:5000', path: 'penguins', tag: 'v1.2_RC', digest: undefined },
    ],
    [
      `us-docker.pkg.dev/my-proj/repo/penguins@${DIGEST}`,
      { domain: 'us-docker.pkg.dev', path: 'my-proj/repo/penguins', tag: undefined, digest: DIGEST },
    ],
    [`gcr.io/p/a__b.c-d:tag@${DIGEST}`, { domain: 'gcr.io', path: 'p/a__b.c-d', tag: 'tag', digest: DIGEST }],
  ])('accepts %s', (ref, parsed) => expect(parseImageReference(ref)).toEqual(parsed));

  it.each([
    ['', "invalid image reference '': it is empty"],
    [
      'Local/Penguins:dev',
      "invalid image reference 'Local/Penguins:dev': repository name component 'Local' must be lowercase",
    ],
    [
      'local/Penguins',
      "invalid image reference 'local/Penguins': repository name component 'Penguins' must be lowercase",
    ],
    [
      'local/penguins:',
      "invalid image reference 'local/penguins:': tag '' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
    ],
    [
      'local/pen guins',
      "invalid image reference 'local/pen guins': repository name component 'pen guins' must be lowercase letters and digits separated by '.', '_', '__' or '-'",
    ],
    [
      'local//penguins',
      "invalid image reference 'local//penguins': repository name component '' must be lowercase letters and digits separated by '.', '_', '__' or '-'",
    ],
    [
      'local/penguins@sha256:abc',
      "invalid image reference 'local/penguins@sha256:abc': digest 'sha256:abc' must be sha256: followed by 64 lowercase hex digits",
    ],
    [
      `local/penguins@sha256:${'AB12'.repeat(16)}`,
      `invalid image reference 'local/penguins@sha256:${'AB12'.repeat(16)}': digest 'sha256:${'AB12'.repeat(16)}' must be sha256: followed by 64 lowercase hex digits`,
    ],
    [' penguins', "invalid image reference ' penguins': it has surrounding whitespace"],
    [
      '-bad.example/x',
      "invalid image reference '-bad.example/x': registry host '-bad.example' is not a valid host[:port]",
    ],
  ])('rejects %j', (ref, message) => {
    expect(() => parseImageReference(ref)).toThrow(InvalidImageReferenceError);
    expect(() => parseImageReference(ref)).toThrow(message);
  });
});
