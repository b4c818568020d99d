/**
 * URLs as they may be logged: no user info, and the value of every query parameter whose
 * name looks like a secret (token, key, secret, password, signature, code...) replaced.
 */
const SECRET_NAME = /token|key|secret|pass|pwd|auth|sig|code|session|credential/i;

export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(not a URL)';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of new Set(parsed.searchParams.keys())) {
    if (SECRET_NAME.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}
