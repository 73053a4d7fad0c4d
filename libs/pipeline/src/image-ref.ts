// Container image references, validated by Docker's grammar (distribution/reference):
//   [domain[:port]/]path-component[/path-component…][:tag][@sha256:<64 hex>]
// Path components are lowercase; only a domain (it has a '.' or ':' or is localhost) may carry uppercase
// letters. Docker also reads an uppercase first component as a domain; we call it a non-lowercase name,
// which is what the user almost certainly meant.

/** A parsed image reference. */
export interface ImageReference {
  /** Registry host (with port) when the reference names one, e.g. `us-docker.pkg.dev`, `localhost:5000`. */
  readonly domain: string | undefined;
  /** Repository path without the domain, e.g. `my-project/repo/penguins`. */
  readonly path: string;
  readonly tag: string | undefined;
  /** `sha256:<64 hex>` when digest-pinned. */
  readonly digest: string | undefined;
}

/** An image reference that does not follow Docker's grammar. */
export class InvalidImageReferenceError extends Error {
  override readonly name = 'InvalidImageReferenceError';
  /** The reference as given. */
  readonly reference: string;

  constructor(reference: string, reason: string) {
    super(`invalid image reference '${reference}': ${reason}`);
    this.reference = reference;
  }
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_NAME = 255;

/**
 * Parses `reference` (e.g. `local/penguins:dev`, `us-docker.pkg.dev/p/r/penguins@sha256:…`).
 * @throws InvalidImageReferenceError saying which part is wrong.
 */
export function parseImageReference(reference: string): ImageReference {
  const fail = (reason: string): never => {
    throw new InvalidImageReferenceError(reference, reason);
  };
  if (reference === '') fail('it is empty');
  if (reference.trim() !== reference) fail('it has surrounding whitespace');
  const at = reference.indexOf('@');
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const rest = at === -1 ? reference : reference.slice(0, at);
  if (digest !== undefined && !DIGEST.test(digest))
    fail(`digest '${digest}' must be sha256: followed by 64 lowercase hex digits`);
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const name = hasTag ? rest.slice(0, colon) : rest;
  const tag = hasTag ? rest.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) fail(`tag '${tag}' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  if (name === '') fail('the repository name is empty');
  if (name.length > MAX_NAME) fail(`the repository name is longer than ${MAX_NAME} characters`);
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const isDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const domain = isDomain ? first : undefined;
  if (domain !== undefined && !DOMAIN.test(domain))
    fail(`registry host '${domain}' is not a valid host[:port]`);
  const pathParts = isDomain ? parts.slice(1) : parts;
  for (const part of pathParts) {
    if (!PATH_COMPONENT.test(part)) {
      fail(
        /[A-Z]/.test(part)
          ? `repository name component '${part}' must be lowercase`
          : `repository name component '${part}' must be lowercase letters and digits separated by '.', '_', '__' or '-'`,
      );
    }
  }
  return { domain, path: pathParts.join('/'), tag, digest };
}
