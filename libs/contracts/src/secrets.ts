// Credentials that must never reach a request, a memo, a history or a log line: bearer tokens, JWTs
// and the user:password@ (or token@) part of a repository URL. Pure: used by the request schema and
// by the logger's redaction.

/** `scheme://userinfo@`: any userinfo on http(s) is a credential (a token as user name works there). */
const HTTP_USERINFO = /\b(https?:\/\/)[^/?#@\s]+@/gi;

/** `scheme://user:password@` on any other scheme (a bare `ssh://git@` names a user, not a secret). */
const PASSWORD_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s:]*:[^/?#@\s]*@/gi;

/** `Authorization: Bearer <token>` as it appears in text. */
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/g;

/** A compact JWT: base64url header starting `{"` (`eyJ`), payload, signature. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** Whether `url` carries credentials in its userinfo (`https://token@…`, `scheme://user:pass@…`). */
export function hasUrlCredentials(url: string): boolean {
  return redactUrlCredentials(url) !== url;
}

/** `text` with the userinfo of every credentialed URL replaced by `[redacted]`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(HTTP_USERINFO, '$1[redacted]@').replace(PASSWORD_USERINFO, '$1[redacted]@');
}

/** `text` with bearer tokens, JWTs and URL credentials replaced by markers. */
export function redactSecrets(text: string): string {
  return redactUrlCredentials(text.replace(JWT, '[redacted-jwt]').replace(BEARER, '$1 [redacted]'));
}
