/** The full version of the public HTTP API (semver; the major is in the URI, /core/uri-version). */
export const API_VERSION = '1.0.0';

/** The base path of this major version; no trailing slash (/core/no-trailing-slash). */
export const BASE_PATH = '/api/v1';

/** Public resources may be cached this long by browsers and proxies; ETags make revalidation cheap. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60';
