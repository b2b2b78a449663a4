// SHA-256 of a user corpus, for its run record: @noble/hashes (audited, synchronous, and available
// where crypto.subtle is not — a worker on a plain-http origin).
import { sha256 as digest } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Hex SHA-256 digest of `data` (bytes, or a string taken as UTF-8). */
export function sha256(data: Uint8Array | string): string {
  return bytesToHex(digest(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}
