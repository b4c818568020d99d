/**
 * What an administrator gives to create or replace an authorization setting, checked, and
 * split into the part that may be shown (`config`) and the part that is sealed (`secrets`).
 */
import { AuthorizationError } from './authorization-error.js';

export const AUTHORIZATION_KINDS = ['token', 'basic', 'header', 'oauth2', 'oauth2ClientCredentials'] as const;
export type AuthorizationKind = (typeof AUTHORIZATION_KINDS)[number];

export type SettingInput =
  /** A fixed token sent as `Authorization: Bearer <token>`. */
  | { readonly kind: 'token'; readonly name: string; readonly token: string }
  | { readonly kind: 'basic'; readonly name: string; readonly username: string; readonly password: string }
  /** A fixed value in a header of its own, e.g. kintone's `X-Cybozu-API-Token`. */
  | { readonly kind: 'header'; readonly name: string; readonly headerName: string; readonly value: string }
  | {
      readonly kind: 'oauth2';
      readonly name: string;
      readonly authorizeUrl: string;
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret?: string;
      readonly scope?: string;
      /** Where the provider sends the browser back: Nagare's `/oauth2/callback`. */
      readonly redirectUri: string;
    }
  | {
      readonly kind: 'oauth2ClientCredentials';
      readonly name: string;
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
    };

/** The shown part of a setting (never a secret). */
export interface SettingConfig {
  readonly headerName?: string;
  readonly username?: string;
  readonly authorizeUrl?: string;
  readonly tokenUrl?: string;
  readonly clientId?: string;
  readonly scope?: string;
  readonly redirectUri?: string;
}

export interface SettingSecrets {
  readonly token?: string;
  readonly password?: string;
  readonly value?: string;
  readonly clientSecret?: string;
}

export interface CheckedSetting {
  readonly kind: AuthorizationKind;
  readonly name: string;
  readonly config: SettingConfig;
  readonly secrets: SettingSecrets;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the connector or the HTTP stack own; a setting may not replace them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'idempotency-key',
  'cookie',
]);

function fail(message: string): never {
  throw new AuthorizationError('BAD_INPUT', message);
}

function text(input: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') {
    if (required) fail(`authorization setting: "${field}" is required for kind "${String(input.kind)}"`);
    return undefined;
  }
  if (typeof value !== 'string') fail(`authorization setting: "${field}" must be a string`);
  if (value.length > 8192) fail(`authorization setting: "${field}" is longer than 8192 characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\0]/.test(value)) fail(`authorization setting: "${field}" must not contain line breaks`);
  return value;
}

function url(input: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = text(input, field, required);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return fail(`authorization setting: "${field}" must be an absolute http(s) URL, got "${value}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    fail(`authorization setting: "${field}" must be http or https, got ${parsed.protocol}`);
  }
  return parsed.toString();
}

/** Checks an input (from JSON: anything) and splits it; `BAD_INPUT` naming the field otherwise. */
export function checkSettingInput(raw: unknown): CheckedSetting {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    fail('authorization setting must be an object');
  const input = raw as Record<string, unknown>;
  const kind = input.kind as AuthorizationKind;
  if (!AUTHORIZATION_KINDS.includes(kind)) {
    fail(
      `authorization setting: "kind" must be one of ${AUTHORIZATION_KINDS.join(', ')}, got ${JSON.stringify(input.kind)}`,
    );
  }
  const name = text(input, 'name', true)!.trim();
  if (name === '' || name.length > 100) fail('authorization setting: "name" must be 1 to 100 characters');
  switch (kind) {
    case 'token':
      return { kind, name, config: {}, secrets: { token: text(input, 'token', true)! } };
    case 'basic': {
      const username = text(input, 'username', true)!;
      if (username.includes(':')) fail('authorization setting: "username" must not contain ":"');
      return {
        kind,
        name,
        config: { username },
        secrets: { password: text(input, 'password', false) ?? '' },
      };
    }
    case 'header': {
      const headerName = text(input, 'headerName', true)!;
      if (!HEADER_NAME.test(headerName))
        fail(`authorization setting: "headerName" "${headerName}" is not a header name`);
      if (RESERVED_HEADERS.has(headerName.toLowerCase())) {
        fail(`authorization setting: "headerName" may not be ${headerName}`);
      }
      return { kind, name, config: { headerName }, secrets: { value: text(input, 'value', true)! } };
    }
    case 'oauth2': {
      const config: SettingConfig = {
        authorizeUrl: url(input, 'authorizeUrl', true)!,
        tokenUrl: url(input, 'tokenUrl', true)!,
        clientId: text(input, 'clientId', true)!,
        redirectUri: url(input, 'redirectUri', true)!,
        ...optional('scope', text(input, 'scope', false)),
      };
      return { kind, name, config, secrets: optional('clientSecret', text(input, 'clientSecret', false)) };
    }
    case 'oauth2ClientCredentials': {
      const config: SettingConfig = {
        tokenUrl: url(input, 'tokenUrl', true)!,
        clientId: text(input, 'clientId', true)!,
        ...optional('scope', text(input, 'scope', false)),
      };
      return { kind, name, config, secrets: { clientSecret: text(input, 'clientSecret', true)! } };
    }
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
